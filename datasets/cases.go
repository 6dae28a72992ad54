package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// A case file is read into entries: raw cases with where they came from. Positions are
// kept per field only where they differ (YAML keys on their own lines, XLSX cells), so a
// large JSONL file costs one line number per case.

// source is one case file (or, for XLSX, one sheet of it).
type source struct {
	file  string // relative to the suite root
	sheet string // XLSX only
	// cols is the 1-based column of each field (CSV and XLSX).
	cols map[string]int
	// absent lists fields with no column (CSV and XLSX); their absence is reported once
	// for the header, not once per row.
	absent map[string]bool
}

// entry is one case as read, not yet validated.
type entry struct {
	rc   rawCase
	src  *source
	line int // line (JSONL, CSV, YAML) or row (XLSX) where the case starts
	// lines holds the line of each key of a YAML case.
	lines map[string]int
	// bad lists the fields that could not be decoded (already reported), so that they
	// are not also reported as missing.
	bad []string
}

// markBad records that field (or a key under it, "messages.role") failed to decode.
func (e *entry) markBad(field string) {
	top, _, _ := strings.Cut(field, ".")
	e.bad = append(e.bad, top)
}

func (e *entry) isBad(field string) bool { return slices.Contains(e.bad, field) }

// unreadable reports whether the case as a whole could not be decoded (not a JSON
// object, not a YAML mapping); its fields are then not checked one by one.
func (e *entry) unreadable() bool { return e.isBad("") }

// pos returns the position of field in the case ("" for the case as a whole).
func (e *entry) pos(field string) pos {
	p := pos{file: e.src.file, line: e.line, sheet: e.src.sheet}
	if l, ok := e.lines[field]; ok {
		p.line = l
	}
	if c, ok := e.src.cols[field]; ok {
		p.col = c
	} else if e.src.sheet != "" {
		p.col = 1
	}
	return p
}

// caseExtensions are the supported case file types, as written in messages.
const caseExtensions = ".jsonl, .yaml, .yml, .csv or .xlsx"

// parseCaseFile reads the cases of one file, dispatching on its extension.
func parseCaseFile(name string, data []byte) ([]entry, []Problem) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	src := &source{file: name}
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".jsonl":
		return parseJSONL(src, data)
	case ".yaml", ".yml":
		return parseYAMLCases(src, data)
	case ".csv":
		return parseCSV(src, data)
	case ".xlsx":
		return parseXLSX(src, data)
	case ".json":
		return nil, []Problem{{at: pos{file: name}, Msg: "unsupported case file type .json; write one case object per line and name the file .jsonl"}}
	default:
		return nil, []Problem{{at: pos{file: name}, Msg: "unsupported case file type " + strconv.Quote(ext) + "; case files must be " + caseExtensions}}
	}
}

// parseJSONL decodes one case per non-blank line. Each worker decodes a contiguous run
// of lines as one JSON stream, reusing the decoder's buffer, and falls back to decoding
// a line on its own (which reports every problem of that line) when the stream does not
// line up with the lines or a line is invalid.
func parseJSONL(src *source, data []byte) ([]entry, []Problem) {
	var lines []jsonLine
	var long []Problem
	for no, start := 1, 0; start < len(data); no++ {
		end := len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i
		}
		switch {
		case end-start > maxLineSize:
			// Not decoded: a hostile line would cost many times its size in memory.
			long = append(long, Problem{at: pos{file: src.file, line: no}, Msg: fmt.Sprintf("the line is %s long, more than the %s a case may take", sizeText(int64(end-start)), sizeText(maxLineSize))})
		case len(bytes.TrimSpace(data[start:end])) > 0:
			lines = append(lines, jsonLine{no, start, end})
		}
		start = end + 1
	}
	if len(lines) == 0 {
		if len(long) > 0 {
			return nil, long
		}
		return nil, []Problem{{at: pos{file: src.file}, Msg: "the file has no cases; write one JSON object per line"}}
	}
	entries := make([]entry, len(lines))
	workers := min(runtime.GOMAXPROCS(0), (len(lines)+255)/256)
	found := make([][]Problem, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(lines)/workers, (w+1)*len(lines)/workers
		wg.Go(func() { found[w] = decodeJSONLines(src, data, lines[lo:hi], entries[lo:hi]) })
	}
	wg.Wait()
	out := long
	for _, f := range found {
		out = append(out, f...)
	}
	return entries, out
}

// jsonLine is a non-blank line of a JSONL file: its number and its bytes in the file.
type jsonLine struct{ no, start, end int }

func decodeJSONLines(src *source, data []byte, lines []jsonLine, entries []entry) []Problem {
	var ps []Problem
	var dec *json.Decoder
	base := 0
	for i, l := range lines {
		e := &entries[i]
		e.src, e.line = src, l.no
		if dec == nil {
			base = l.start
			dec = json.NewDecoder(bytes.NewReader(data[base:lines[len(lines)-1].end]))
			dec.DisallowUnknownFields()
			dec.UseNumber()
		}
		if err := dec.Decode(&e.rc); err == nil {
			end := base + int(dec.InputOffset())
			if end <= l.end && len(bytes.TrimSpace(data[end:l.end])) == 0 {
				continue
			}
		}
		// Out of step with the lines: decode this line alone and restart the stream after it.
		dec = nil
		var issues []fieldIssue
		e.rc, issues = decodeJSONCase(data[l.start:l.end])
		for _, is := range issues {
			e.markBad(is.field)
			ps = append(ps, Problem{at: e.pos(is.field), Field: is.field, Msg: is.msg})
		}
	}
	return ps
}

var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAMLCases decodes a top-level list of cases, every problem with its line.
func parseYAMLCases(src *source, data []byte) ([]entry, []Problem) {
	at := pos{file: src.file}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []Problem{{at: at, Msg: "the file has no cases; write a list of cases, each starting with \"- id:\""}}
		}
		msg := err.Error()
		if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
			at.line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		return nil, []Problem{{at: at, Msg: "invalid YAML: " + msg}}
	}
	var ps []Problem
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		ps = append(ps, Problem{at: pos{file: src.file, line: extra.Line}, Msg: "more than one YAML document (---); put all cases in one list"})
	}
	root := doc.Content[0]
	if msg := aliasProblem(root); msg != "" {
		return nil, append(ps, Problem{at: pos{file: src.file}, Msg: msg})
	}
	if root.Kind != yaml.SequenceNode {
		msg := "a case file must be a top-level list of cases, each starting with \"- id:\""
		if root.Kind == yaml.MappingNode && len(root.Content) > 0 && root.Content[0].Value == "cases" {
			msg += "; remove the \"cases:\" key and un-indent the list"
		}
		return nil, append(ps, Problem{at: pos{file: src.file, line: root.Line}, Msg: msg})
	}
	if len(root.Content) == 0 {
		return nil, append(ps, Problem{at: pos{file: src.file, line: root.Line}, Msg: "the list of cases is empty"})
	}
	entries := make([]entry, len(root.Content))
	for i, item := range root.Content {
		e := &entries[i]
		e.src, e.line, e.lines = src, item.Line, make(map[string]int)
		if item.Kind == yaml.MappingNode {
			for k := 0; k+1 < len(item.Content); k += 2 {
				e.lines[item.Content[k].Value] = item.Content[k].Line
			}
		}
		nd := nodeDecoder{report: func(line int, field, msg string) {
			e.markBad(field)
			ps = append(ps, Problem{at: pos{file: src.file, line: line}, Field: field, Msg: msg})
		}}
		nd.decode(item, reflect.ValueOf(&e.rc).Elem(), "")
	}
	return entries, ps
}
