// Package results reads and writes what a run produces: the append-only results.jsonl
// stream, the manifest, and the reports computed from them (summary.json, junit.xml,
// scorecard.xlsx), plus aggregation, statistics and gates.
package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/supportbench/supportbench/eval"
)

// File names inside a run directory.
const (
	ResultsFile  = "results.jsonl"
	ManifestFile = "manifest.json"
	SummaryFile  = "summary.json"
	JUnitFile    = "junit.xml"
	XLSXFile     = "scorecard.xlsx"
	LockFile     = ".lock"
)

// Writer appends results to results.jsonl, one line per result, each with a single
// write so a killed process leaves only whole lines (at most the last one cut short,
// which Read skips). Lines reach the kernel at once; fsync runs at most every SyncEvery,
// and on Close, so a power loss costs at most that window.
type Writer struct {
	mu        sync.Mutex
	f         *os.File
	buf       bytes.Buffer
	lastSync  time.Time
	SyncEvery time.Duration
}

// Append opens path for appending, creating it if needed.
func Append(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open results: %w", err)
	}
	return &Writer{f: f, lastSync: time.Now(), SyncEvery: time.Second}, nil
}

// Write appends one result.
func (w *Writer) Write(r eval.Result) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Reset()
	enc := json.NewEncoder(&w.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode result %s/%s: %w", r.CaseID, r.Model, err)
	}
	if _, err := w.f.Write(w.buf.Bytes()); err != nil {
		return fmt.Errorf("append to %s: %w", w.f.Name(), err)
	}
	if time.Since(w.lastSync) >= w.SyncEvery {
		w.lastSync = time.Now()
		if err := w.f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", w.f.Name(), err)
		}
	}
	return nil
}

// Close syncs and closes the file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	serr := w.f.Sync()
	cerr := w.f.Close()
	return errors.Join(serr, cerr)
}

// Damage describes lines of a results file that could not be read.
type Damage struct {
	// Lines are the 1-based numbers of unreadable lines.
	Lines []int
}

// maxLine bounds one line of results.jsonl, so that a damaged file (a crash can leave
// a run of zero bytes without a newline) cannot exhaust memory. The longest line a run
// writes holds a recorded answer of at most 16 MB, escaped.
const maxLine = 128 << 20

// Scan reads results.jsonl and calls fn for each whole, valid result in file order.
// Unreadable lines (a line cut short by a crash, a line longer than 128 MB) are skipped
// and reported.
func Scan(r io.Reader, fn func(eval.Result) error) (Damage, error) {
	var d Damage
	br := bufio.NewReaderSize(r, 1<<20)
	line := 0
	for {
		data, tooLong, err := eval.ReadLine(br, maxLine)
		if tooLong {
			line++
			d.Lines = append(d.Lines, line)
		} else if len(data) > 0 {
			line++
			if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 {
				var res eval.Result
				if jerr := json.Unmarshal(trimmed, &res); jerr != nil || res.CaseID == "" || res.Model == "" {
					d.Lines = append(d.Lines, line)
				} else if ferr := fn(res); ferr != nil {
					return d, ferr
				}
			}
		}
		if err == io.EOF {
			return d, nil
		}
		if err != nil {
			return d, fmt.Errorf("read results: %w", err)
		}
	}
}

// ReadFile reads every valid result of a results.jsonl file.
func ReadFile(path string) ([]eval.Result, Damage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Damage{}, err
	}
	defer f.Close()
	var out []eval.Result
	d, err := Scan(f, func(r eval.Result) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, d, fmt.Errorf("%s: %w", path, err)
	}
	return out, d, nil
}

// ID is the identity of a result: one per (case, model, trial) in a complete run.
type ID struct {
	Case, Model string
	Trial       int
}

// IDOf returns the identity of r.
func IDOf(r *eval.Result) ID { return ID{r.CaseID, r.Model, r.Trial} }

// Compact keeps, per identity, the last successful result — or the last failed one when
// none succeeded — in first-seen order. Resumed and merged runs use it so that no
// (case, model, trial) appears twice.
func Compact(rs []eval.Result) []eval.Result {
	pos := make(map[ID]int, len(rs))
	out := make([]eval.Result, 0, len(rs))
	for _, r := range rs {
		id := IDOf(&r)
		i, seen := pos[id]
		switch {
		case !seen:
			pos[id] = len(out)
			out = append(out, r)
		case r.Error == "" || out[i].Error != "":
			out[i] = r
		}
	}
	return out
}

// Rewrite replaces path with rs, atomically.
func Rewrite(path string, rs []eval.Result) error {
	return eval.WriteAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for i := range rs {
			if err := enc.Encode(&rs[i]); err != nil {
				return fmt.Errorf("encode result %s: %w", rs[i].CaseID, err)
			}
		}
		return nil
	})
}
