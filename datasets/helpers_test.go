package datasets

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/supportbench/supportbench/eval"
	"github.com/xuri/excelize/v2"
)

// Test suites are built in memory (fstest.MapFS) under the label "s", so positions in
// messages read "s/cases/c.jsonl:1".

const (
	returnsArticle  = "Returns are accepted within 14 days of delivery. Refunds go back to the original payment method within 5 business days."
	shippingArticle = "Standard shipping takes 3–5 business days. Express shipping costs €9.90 and arrives the next business day."
)

// baseSuite returns a valid suite without cases; tests add case files.
func baseSuite() fstest.MapFS {
	return fstest.MapFS{
		"suite.yaml":           {Data: []byte("name: t\n")},
		"knowledge/returns.md": {Data: []byte(returnsArticle)},
		"knowledge/shipping.txt": {
			Data: []byte(shippingArticle),
		},
	}
}

// problemsOf loads fsys and returns its problems as strings; it fails the test when
// loading fails for another reason.
func problemsOf(t *testing.T, fsys fstest.MapFS) []string {
	t.Helper()
	_, err := LoadFS(fsys, "s")
	if err == nil {
		return nil
	}
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("LoadFS: %v, want a *ProblemsError", err)
	}
	out := make([]string, len(pe.Problems))
	for i, p := range pe.Problems {
		out[i] = p.String()
	}
	return out
}

// mustLoad loads fsys and fails the test on any problem.
func mustLoad(t *testing.T, fsys fstest.MapFS) *eval.Suite {
	t.Helper()
	s, err := LoadFS(fsys, "s")
	if err != nil {
		t.Fatalf("LoadFS:\n%v", err)
	}
	return s
}

// kv is one field of a case as a test writes it, in the order it is written.
type kv struct {
	key string
	val any // string, bool, []string, [][]string (facts), []eval.Message, map[string]any
}

// formats writes cases in each supported format and says where a field of a case ends up.
var formats = []struct {
	name  string
	file  string
	write func(t *testing.T, cases [][]kv) []byte
	// at is the position of field in case i (0-based), after the label "s/".
	at func(cases [][]kv, i int, field string) string
}{
	{"jsonl", "cases/c.jsonl", writeJSONL, func(_ [][]kv, i int, _ string) string {
		return fmt.Sprintf("cases/c.jsonl:%d", i+1)
	}},
	{"yaml", "cases/c.yaml", writeYAML, func(cases [][]kv, i int, field string) string {
		line := 1
		for _, c := range cases[:i] {
			line += max(1, len(c))
		}
		for j, f := range cases[i] {
			if f.key == field {
				return fmt.Sprintf("cases/c.yaml:%d", line+j)
			}
		}
		return fmt.Sprintf("cases/c.yaml:%d", line)
	}},
	{"csv", "cases/c.csv", writeCSV, func(_ [][]kv, i int, _ string) string {
		return fmt.Sprintf("cases/c.csv:%d", i+2)
	}},
	{"xlsx", "cases/c.xlsx", writeXLSX, func(_ [][]kv, i int, field string) string {
		col := max(1, slices.Index(caseFields, field)+1)
		return fmt.Sprintf("cases/c.xlsx:Sheet1!%s%d", columnName(col), i+2)
	}},
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeJSONL(t *testing.T, cases [][]kv) []byte {
	var b strings.Builder
	for _, c := range cases {
		parts := make([]string, len(c))
		for i, f := range c {
			parts[i] = jsonText(t, f.key) + ":" + jsonText(t, f.val)
		}
		b.WriteString("{" + strings.Join(parts, ",") + "}\n")
	}
	return []byte(b.String())
}

// writeYAML writes one field per line, values in flow style (JSON is valid YAML).
func writeYAML(t *testing.T, cases [][]kv) []byte {
	var b strings.Builder
	for _, c := range cases {
		for i, f := range c {
			prefix := "  "
			if i == 0 {
				prefix = "- "
			}
			fmt.Fprintf(&b, "%s%s: %s\n", prefix, f.key, jsonText(t, f.val))
		}
	}
	return []byte(b.String())
}

// tableRows renders cases under a header of every case field, with the cell conventions.
func tableRows(t *testing.T, cases [][]kv) [][]string {
	rows := [][]string{caseFields}
	for _, c := range cases {
		row := make([]string, len(caseFields))
		for _, f := range c {
			i := slices.Index(caseFields, f.key)
			if i < 0 {
				t.Fatalf("no column for %s", f.key)
			}
			row[i] = cellText(t, f.val)
		}
		rows = append(rows, row)
	}
	return rows
}

func cellText(t *testing.T, v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return fmt.Sprint(v)
	case []string:
		return strings.Join(v, " | ")
	case [][]string:
		facts := make([]string, len(v))
		for i, f := range v {
			facts[i] = strings.Join(f, " || ")
		}
		return strings.Join(facts, " | ")
	case []eval.Message:
		turns := make([]string, len(v))
		for i, m := range v {
			turns[i] = m.Role + ": " + m.Content
		}
		return strings.Join(turns, " | ")
	}
	return jsonText(t, v)
}

func writeCSV(t *testing.T, cases [][]kv) []byte {
	var b strings.Builder
	for _, row := range tableRows(t, cases) {
		for i, cell := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + strings.ReplaceAll(cell, `"`, `""`) + `"`)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func writeXLSX(t *testing.T, cases [][]kv) []byte {
	return xlsxBytes(t, tableRows(t, cases))
}

// xlsxBytes builds a workbook whose first sheet, Sheet1, holds rows.
func xlsxBytes(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		cells := make([]any, len(row))
		for i, c := range row {
			cells[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mapFile(b []byte) *fstest.MapFile { return &fstest.MapFile{Data: b} }
