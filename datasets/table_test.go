package datasets

import (
	"reflect"
	"testing"

	"github.com/supportbench/supportbench/eval"
	"github.com/xuri/excelize/v2"
)

// TestTableConventions checks how CSV and XLSX cells become case fields.
func TestTableConventions(t *testing.T) {
	t.Parallel()
	header := []string{"ID", "Category", "Reference", "Messages", "Knowledge", "Facts", "Forbidden", "Should Escalate", "Tags", "customer", "other_records", "Language"}
	row := []string{
		"c1", "returns", "[Template] We refund within 14 days.",
		"customer: I want to return my order A-1 | agent: Which item? | customer: The jacket, bought on 2 May.",
		"returns | shipping",
		"14 days || two weeks | original payment method | /refund(ed)?/",
		`["/30|thirty days/", "store credit"]`,
		"No",
		"multi-turn | counterfactual:return-window",
		`{"name": "Ana Silva", "orders": [{"id": "A-1", "total": 59.9}]}`,
		`[{"name": "Bo Chen", "email": "bo@example.com"}]`,
		"pt-br",
	}
	want := eval.Case{
		ID:        "c1",
		Category:  "returns",
		Reference: "[Template] We refund within 14 days.",
		Messages: []eval.Message{
			{Role: "customer", Content: "I want to return my order A-1"},
			{Role: "agent", Content: "Which item?"},
			{Role: "customer", Content: "The jacket, bought on 2 May."},
		},
		Knowledge: []string{"returns", "shipping"},
		Facts:     []eval.Fact{{"14 days", "two weeks"}, {"original payment method"}, {"/refund(ed)?/"}},
		Forbidden: []string{"/30|thirty days/", "store credit"},
		Tags:      []string{"multi-turn", "counterfactual:return-window"},
		Language:  "pt-BR",
	}
	check := func(t *testing.T, fsys map[string][]byte, source string) {
		t.Helper()
		suite := baseSuite()
		for p, b := range fsys {
			suite[p] = mapFile(b)
		}
		got := mustLoad(t, suite).Cases[0]
		if got.Source != source {
			t.Errorf("source %q, want %q", got.Source, source)
		}
		if got.Customer["name"] != "Ana Silva" || len(got.OtherRecords) != 1 || got.OtherRecords[0]["email"] != "bo@example.com" {
			t.Errorf("records: %v, %v", got.Customer, got.OtherRecords)
		}
		got.Customer, got.OtherRecords, got.Source = nil, nil, ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("case:\n%#v\nwant:\n%#v", got, want)
		}
	}
	t.Run("csv", func(t *testing.T) {
		t.Parallel()
		rows := [][]string{header, make([]string, len(header)), row}
		check(t, map[string][]byte{"cases/c.csv": writeCSVRows(rows, ',')}, "cases/c.csv:3")
	})
	t.Run("csv with semicolons", func(t *testing.T) {
		t.Parallel()
		check(t, map[string][]byte{"cases/c.csv": append([]byte("\ufeff"), writeCSVRows([][]string{header, row}, ';')...)}, "cases/c.csv:2")
	})
	t.Run("xlsx", func(t *testing.T) {
		t.Parallel()
		check(t, map[string][]byte{"cases/c.xlsx": xlsxBytes(t, [][]string{header, nil, row})}, "cases/c.xlsx:Sheet1!A3")
	})
}

func writeCSVRows(rows [][]string, comma byte) []byte {
	var b []byte
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b = append(b, comma)
			}
			b = append(b, '"')
			for _, ch := range []byte(c) {
				if ch == '"' {
					b = append(b, '"')
				}
				b = append(b, ch)
			}
			b = append(b, '"')
		}
		b = append(b, '\n')
	}
	return b
}

// TestXLSXTypedCells checks cells typed by a spreadsheet: booleans, numbers, a renamed
// first sheet (only the first sheet is read), and problems positioned by cell.
func TestXLSXTypedCells(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Cases"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Notes"); err != nil {
		t.Fatal(err)
	}
	set := func(sheet, cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range []string{"id", "category", "question", "should_escalate", "risk", "escalation_reason"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		set("Cases", cell, h)
	}
	set("Cases", "A2", 1001)
	set("Cases", "B2", "billing")
	set("Cases", "C2", "I was charged twice, I'm disputing it with my bank.")
	set("Cases", "D2", true)
	set("Cases", "F2", "billing-dispute")
	set("Cases", "A3", 1002)
	set("Cases", "B3", "billing")
	set("Cases", "C3", "Why was I charged?")
	set("Cases", "D3", "perhaps")
	set("Cases", "E3", "urgent")
	set("Notes", "A1", "not a case")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	fsys := baseSuite()
	fsys["cases/c.xlsx"] = mapFile(buf.Bytes())
	assertLines(t, problemsOf(t, fsys), []string{
		`s/cases/c.xlsx:Cases!D3: should_escalate: must be true or false (or yes/no, 1/0), got "perhaps"`,
		`s/cases/c.xlsx:Cases!E3: risk: must be low, medium or high, got "urgent"`,
	})
	fsys["cases/c.xlsx"] = mapFile(xlsxBytes(t, [][]string{
		{"id", "category", "question", "should_escalate"},
		{"1001", "billing", "Charged twice, disputing it.", "TRUE"},
	}))
	s := mustLoad(t, fsys)
	if c := s.Cases[0]; c.ID != "1001" || !c.ShouldEscalate {
		t.Errorf("case: %+v", c)
	}
}

// TestTableHeaders checks header problems: missing required columns are reported once,
// repeated columns, and values under a column without a name.
func TestTableHeaders(t *testing.T) {
	t.Parallel()
	fsys := baseSuite()
	fsys["cases/c.csv"] = mapFile([]byte("id,question,question,,tags\na,Hi?,Hello?,stray,x\nb,Hey?,,,\n"))
	assertLines(t, problemsOf(t, fsys), []string{
		"s/cases/c.csv:1: category: missing column; every case needs category",
		"s/cases/c.csv:1: should_escalate: missing column; every case needs should_escalate",
		"s/cases/c.csv:1: question: column repeated (also column B); keep one",
		"s/cases/c.csv:2: value in a column without a header; name the column or delete it",
	})
	fsys["cases/c.csv"] = mapFile([]byte("id,category,question,should_escalate\n\"a,returns,Hi?,false\n"))
	assertLines(t, problemsOf(t, fsys), []string{
		`s/cases/c.csv:2: invalid CSV: extraneous or missing " in quoted-field (check the quotes)`,
	})
}
