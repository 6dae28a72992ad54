package results

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/supportbench/supportbench/eval"
)

// Cases sheet columns: the case, then five per model.
const (
	casesFixedCols = 7
	casesModelCols = 5
	casesRowHeight = 60
)

// caseRow is one row of the Cases sheet: one (case, trial), with each model's result.
type caseRow struct {
	id    string
	trial int
	rank  int
	c     *eval.Case     // nil when the case is not in the suite
	res   []*eval.Result // by model index; nil when the model has no result
}

// writeCases streams one row per (case, trial) with every model's answer side by
// side. It is the only sheet whose size grows with the suite, so it goes through
// excelize's StreamWriter: rows are written in order and refer to styles by id.
func (sc *scorecard) writeCases() error {
	rows := sc.caseRows()
	lastCol := casesFixedCols + casesModelCols*len(sc.models)
	// Excel holds 1,048,576 rows: the header, the rows, and a note if some do not fit.
	fit := min(len(rows), excelize.TotalRows-2)
	lastRow := 1 + fit
	if fit < len(rows) {
		lastRow++
	}
	if err := sc.f.AutoFilter(sheetCases, cellRef(1, 1)+":"+cellRef(lastCol, max(2, lastRow)), nil); err != nil {
		return fmt.Errorf("%s sheet: filter: %w", sheetCases, err)
	}
	// Before the stream starts: the stream writes the sheet's settings as it opens and closes.
	if err := printSetup(sc.f, sheetCases, false, 1); err != nil {
		return err
	}
	sw, err := sc.f.NewStreamWriter(sheetCases)
	if err != nil {
		return fmt.Errorf("%s sheet: %w", sheetCases, err)
	}
	if err := sc.casesLayout(sw); err != nil {
		return fmt.Errorf("%s sheet: %w", sheetCases, err)
	}
	if err := sw.SetRow("A1", sc.casesHeader(), excelize.RowOpts{Height: 45}); err != nil {
		return fmt.Errorf("%s sheet: %w", sheetCases, err)
	}
	// One row's cells, reused: values points into cells, so a row costs no boxing.
	cells := make([]excelize.Cell, lastCol)
	values := make([]any, lastCol)
	for i := range fit {
		sc.caseValues(cells, &rows[i])
		for j := range cells {
			values[j] = nil
			if cells[j].Value != nil {
				values[j] = &cells[j]
			}
		}
		if err := sw.SetRow(cellRef(1, i+2), values, excelize.RowOpts{Height: casesRowHeight}); err != nil {
			return fmt.Errorf("%s sheet: row %d: %w", sheetCases, i+2, err)
		}
	}
	if fit < len(rows) {
		note := fmt.Sprintf("… %d more rows do not fit in Excel: results.jsonl has them all.", len(rows)-fit)
		if err := sw.SetRow(cellRef(1, lastRow), []any{excelize.Cell{StyleID: sc.st.note, Value: note}}); err != nil {
			return fmt.Errorf("%s sheet: %w", sheetCases, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("%s sheet: %w", sheetCases, err)
	}
	return nil
}

// casesHeader is the header row: the case's columns, then five per model.
func (sc *scorecard) casesHeader() []any {
	names := []string{"Case", "Trial", "Category", "Language", "Risk", "Question (the customer's last message)", "Expected"}
	for _, m := range sc.models {
		m = cellText(m)
		names = append(names, m+": answer", m+": verdict", m+": handed to a person", m+": made-up facts", m+": flags (explained on Failures)")
	}
	header := make([]any, len(names))
	for i, n := range names {
		header[i] = excelize.Cell{StyleID: sc.st.header, Value: n}
	}
	return header
}

// casesLayout sets column widths and freezes the header row and the case column.
func (sc *scorecard) casesLayout(sw *excelize.StreamWriter) error {
	widths := []float64{16, 6, 14, 9, 8, 50, 40}
	for range sc.models {
		widths = append(widths, 60, 11, 11, 10, 30)
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	return sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"})
}

// caseValues fills cells with one row; cells left empty have a nil Value.
func (sc *scorecard) caseValues(cells []excelize.Cell, row *caseRow) {
	st, c := sc.st, row.c
	var first *eval.Result
	for _, r := range row.res {
		if r != nil {
			first = r
			break
		}
	}
	category, language, risk := first.Category, first.Language, first.Risk
	if c != nil {
		category, language, risk = cmp.Or(category, c.Category), cmp.Or(language, c.Lang()), cmp.Or(risk, c.Risk)
	}
	text := func(s string, style int) excelize.Cell {
		if s == "" {
			return excelize.Cell{} // no cell at all
		}
		return excelize.Cell{StyleID: style, Value: cellText(s)}
	}
	question := "(this case is not in the suite)"
	if c != nil {
		question = c.LastQuestion()
	}
	cells[0] = text(row.id, st.text)
	cells[1] = excelize.Cell{StyleID: st.integer, Value: row.trial}
	cells[2] = text(category, st.text)
	cells[3] = text(language, st.text)
	cells[4] = text(risk, st.text)
	cells[5] = text(question, st.wrap)
	cells[6] = text(expectedText(c), st.wrap)
	for i, r := range row.res {
		col := casesFixedCols + i*casesModelCols
		clear(cells[col : col+casesModelCols])
		switch {
		case r == nil:
			cells[col] = text("(no result for this model)", st.note)
		case r.Error != "":
			cells[col] = text("(no answer: the request failed: "+r.Error+")", st.note)
			cells[col+1] = text("error", st.toneWord[toneNone])
		default:
			cells[col] = text(r.Answer, st.wrap)
			cells[col+1] = text(correctWord(r.Correct), st.toneWord[boolTone(r.Correct)])
			cells[col+2] = text(yesNo(r.Escalated), st.toneWord[boolTone(r.EscalationOK)])
			cells[col+3] = text(yesNo(r.Hallucinated), st.toneWord[boolTone(!r.Hallucinated)])
			cells[col+4] = text(strings.Join(r.Flags, "\n"), st.wrap)
		}
	}
}

func correctWord(ok bool) string {
	if ok {
		return "✓ correct"
	}
	return "✗ wrong"
}

func boolTone(good bool) tone {
	if good {
		return toneGood
	}
	return toneBad
}

// caseRows groups the results by (case, trial), in suite order.
func (sc *scorecard) caseRows() []caseRow {
	modelIndex := make(map[string]int, len(sc.models))
	for i, m := range sc.models {
		modelIndex[m] = i
	}
	type key struct {
		id    string
		trial int
	}
	index := make(map[key]int, len(sc.rep.Results)/max(1, len(sc.models)))
	var rows []caseRow
	// Every row's per-model slots come from one array, filled row after row.
	var slots []*eval.Result
	for i := range sc.rep.Results {
		r := &sc.rep.Results[i]
		k := key{r.CaseID, r.Trial}
		j, ok := index[k]
		if !ok {
			j = len(rows)
			index[k] = j
			if len(slots) < len(sc.models) {
				slots = make([]*eval.Result, len(sc.models)*max(64, len(sc.rep.Results)/max(1, len(sc.models))-len(rows)))
			}
			res := slots[:len(sc.models):len(sc.models)]
			slots = slots[len(sc.models):]
			row := caseRow{id: r.CaseID, trial: r.Trial, rank: len(sc.caseIndex), res: res}
			if ci, ok := sc.caseIndex[r.CaseID]; ok {
				row.rank, row.c = ci, &sc.suite.Cases[ci]
			}
			rows = append(rows, row)
		}
		rows[j].res[modelIndex[r.Model]] = r
	}
	slices.SortStableFunc(rows, func(a, b caseRow) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.id, b.id), cmp.Compare(a.trial, b.trial))
	})
	return rows
}
