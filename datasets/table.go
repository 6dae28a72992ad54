package datasets

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/supportbench/supportbench/eval"
	"github.com/xuri/excelize/v2"
)

// Tables (CSV files, and the first sheet of XLSX workbooks) follow the cell conventions
// in the package documentation (doc.go).

// parseTable turns a header and data rows into entries; CSV and XLSX both end here.
// lineOf gives the line (CSV) or row (XLSX) of each data row.
func parseTable(src *source, header []string, headerLine int, rows [][]string, lineOf func(int) int) ([]entry, []Problem) {
	fieldOf, ps := readHeader(src, header, headerLine)
	at := func(line, col int) pos { return pos{file: src.file, line: line, col: col, sheet: src.sheet} }
	var entries []entry
	unnamedReported := make(map[int]bool)
	for r, row := range rows {
		if isBlankRow(row) {
			continue
		}
		line := lineOf(r)
		e := entry{src: src, line: line}
		for i, cell := range row {
			if strings.TrimSpace(cell) == "" {
				continue
			}
			if i >= len(fieldOf) || fieldOf[i] == "" {
				if i >= len(header) || strings.TrimSpace(header[i]) == "" {
					if !unnamedReported[i] {
						unnamedReported[i] = true
						ps = append(ps, Problem{at: at(line, i+1), Msg: "value in a column without a header; name the column or delete it"})
					}
				}
				continue
			}
			if len(cell) > maxLineSize {
				e.markBad(fieldOf[i])
				ps = append(ps, Problem{at: at(line, i+1), Field: fieldOf[i], Msg: fmt.Sprintf("the cell holds more than %s of text", sizeText(maxLineSize))})
				continue
			}
			if err := setCell(&e.rc, fieldOf[i], cell); err != nil {
				e.markBad(fieldOf[i])
				ps = append(ps, Problem{at: at(line, i+1), Field: fieldOf[i], Msg: err.Error()})
			}
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		ps = append(ps, Problem{at: pos{file: src.file}, Msg: "the file has no cases; write one case per row under the header row"})
	}
	return entries, ps
}

// readHeader maps each column to its field (fieldOf[i], "" for none) and fills src.cols
// and src.absent.
func readHeader(src *source, header []string, line int) (fieldOf []string, ps []Problem) {
	at := func(col int) pos { return pos{file: src.file, line: line, col: col, sheet: src.sheet} }
	src.cols = make(map[string]int)
	fieldOf = make([]string, len(header))
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		name = strings.NewReplacer(" ", "_", "-", "_").Replace(name)
		switch {
		case name == "":
			continue
		case new(rawCase).field(name) == nil:
			ps = append(ps, Problem{at: at(i + 1), Field: strings.TrimSpace(h), Msg: "unknown column" + suggest(name, caseFields) + "; columns are named like the case fields"})
		case src.cols[name] != 0:
			ps = append(ps, Problem{at: at(i + 1), Field: name, Msg: fmt.Sprintf("column repeated (also column %s); keep one", columnName(src.cols[name]))})
		default:
			src.cols[name] = i + 1
			fieldOf[i] = name
		}
	}
	src.absent = make(map[string]bool)
	for _, name := range []string{"id", "category", "should_escalate"} {
		if src.cols[name] == 0 {
			src.absent[name] = true
			ps = append(ps, Problem{at: at(0), Field: name, Msg: "missing column; every case needs " + name})
		}
	}
	if src.cols["question"] == 0 && src.cols["messages"] == 0 {
		src.absent["question"] = true
		ps = append(ps, Problem{at: at(0), Field: "question", Msg: "missing column; add a question column (or messages for conversations)"})
	}
	return fieldOf, ps
}

func isBlankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// setCell parses one non-empty cell into the field of rc it belongs to.
func setCell(rc *rawCase, field, cell string) error {
	cell = strings.TrimSpace(cell)
	switch field {
	case "customer", "other_records":
		return setJSONCell(rc, field, cell)
	case "knowledge", "facts", "forbidden", "tags", "messages":
		if strings.HasPrefix(cell, "[") {
			return setJSONCell(rc, field, cell)
		}
	}
	switch field {
	case "should_escalate":
		b, ok := parseBool(cell)
		if !ok {
			return fmt.Errorf("must be true or false (or yes/no, 1/0), got %q", cell)
		}
		rc.ShouldEscalate = &b
	case "question":
		rc.Question = &cell
	case "knowledge":
		rc.Knowledge = splitItems(cell)
	case "forbidden":
		rc.Forbidden = splitItems(cell)
	case "tags":
		rc.Tags = splitItems(cell)
	case "facts":
		rc.Facts = splitFacts(cell)
	case "messages":
		msgs, err := splitTurns(cell)
		if err != nil {
			return err
		}
		rc.Messages = msgs
	default:
		*(rc.field(field).(*string)) = cell
	}
	return nil
}

// setJSONCell decodes a cell written as JSON, as the field would be in a JSONL file.
func setJSONCell(rc *rawCase, field, cell string) error {
	dst := rc.field(field)
	dec := json.NewDecoder(strings.NewReader(cell))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("extra text after the JSON value")
	}
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var detail string
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		detail = "the JSON is incomplete; check the closing brackets and quotes"
	case errors.As(err, &se):
		detail = strings.TrimPrefix(se.Error(), "json: ")
	default:
		return errors.New(jsonFieldMessage(err, dst))
	}
	switch field {
	case "customer":
		return fmt.Errorf("must be a JSON object such as {\"name\": \"Ana\"}: %s", detail)
	case "other_records":
		return fmt.Errorf("must be a JSON array of objects such as [{\"name\": \"Bo\"}]: %s", detail)
	}
	return fmt.Errorf("a cell starting with [ is read as a JSON array: %s", detail)
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "1":
		return true, true
	case "false", "no", "0":
		return false, true
	}
	return false, false
}

// splitItems splits a list cell on "|", trims items and drops empty ones.
func splitItems(cell string) []string {
	var out []string
	for item := range strings.SplitSeq(cell, "|") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// splitFacts splits a facts cell: "|" between facts, "||" between alternatives.
func splitFacts(cell string) []rawFact {
	var facts []rawFact
	for f := range strings.SplitSeq(strings.ReplaceAll(cell, "||", "\x00"), "|") {
		var alts rawFact
		for a := range strings.SplitSeq(f, "\x00") {
			if a = strings.TrimSpace(a); a != "" {
				alts = append(alts, a)
			}
		}
		if len(alts) > 0 {
			facts = append(facts, alts)
		}
	}
	return facts
}

// splitTurns reads "customer: ... | agent: ..." into messages.
func splitTurns(cell string) ([]eval.Message, error) {
	var out []eval.Message
	for i, item := range splitItems(cell) {
		role, content, ok := strings.Cut(item, ":")
		role = strings.ToLower(strings.TrimSpace(role))
		if !ok || (role != eval.RoleCustomer && role != eval.RoleAgent) {
			return nil, fmt.Errorf("turn %d must start with \"customer:\" or \"agent:\" (turns are separated by |)", i+1)
		}
		out = append(out, eval.Message{Role: role, Content: strings.TrimSpace(content)})
	}
	return out, nil
}

// parseCSV reads a CSV file with a header row. The delimiter is a comma, or a semicolon
// or tab when the header row has one of those and no comma (as some spreadsheet locales
// export).
func parseCSV(src *source, data []byte) ([]entry, []Problem) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.ContainsRune(first, ',') {
		if bytes.ContainsRune(first, ';') {
			r.Comma = ';'
		} else if bytes.ContainsRune(first, '\t') {
			r.Comma = '\t'
		}
	}
	var records [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
				err = pe.Err
			}
			return nil, []Problem{{at: pos{file: src.file, line: line}, Msg: fmt.Sprintf("invalid CSV: %v (check the quotes)", err)}}
		}
		line, _ := r.FieldPos(0)
		records = append(records, rec)
		lines = append(lines, line)
	}
	if len(records) == 0 {
		return nil, []Problem{{at: pos{file: src.file}, Msg: "the file is empty; the first row must name the columns"}}
	}
	return parseTable(src, records[0], lines[0], records[1:], func(i int) int { return lines[i+1] })
}

// parseXLSX reads the first sheet of a workbook; its first row is the header.
func parseXLSX(src *source, data []byte) ([]entry, []Problem) {
	// The limits make a zip bomb fail here: excelize's default lets a workbook unzip to
	// 16 GB. Sheets larger than UnzipXMLSizeLimit are read from a temporary file.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxFileSize, UnzipXMLSizeLimit: maxLineSize})
	if err != nil {
		if strings.HasPrefix(err.Error(), "unzip size exceeds") {
			return nil, []Problem{{at: pos{file: src.file}, Msg: fmt.Sprintf("the workbook unpacks to more than %s; split it into several files", sizeText(maxFileSize))}}
		}
		return nil, []Problem{{at: pos{file: src.file}, Msg: fmt.Sprintf("cannot read the workbook: %v", err)}}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, []Problem{{at: pos{file: src.file}, Msg: "the workbook has no sheets"}}
	}
	src.sheet = sheets[0]
	rows, err := f.GetRows(src.sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, []Problem{{at: pos{file: src.file}, Msg: fmt.Sprintf("cannot read sheet %s: %v", src.sheet, err)}}
	}
	if len(rows) == 0 || isBlankRow(rows[0]) {
		return nil, []Problem{{at: pos{file: src.file, sheet: src.sheet, line: 1, col: 1}, Msg: "the first row must name the columns"}}
	}
	return parseTable(src, rows[0], 1, rows[1:], func(i int) int { return i + 2 })
}
