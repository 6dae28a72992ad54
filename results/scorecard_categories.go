package results

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Categories sheet layout: two header rows (model names over their three columns),
// then one row per category.
const (
	catModelRow  = 4
	catHeaderRow = 5
	catFirstRow  = 6
	catModelCols = 3 // correct, n, readiness
)

// writeCategories writes the readiness matrix, category × model: accuracy coloured
// against the category's bar, the number of answers beside it, the readiness in
// words, a "start small" list per model and a chart.
func (sc *scorecard) writeCategories() error {
	g, st := sc.grid(sheetCategories), sc.st
	cats := sc.categories()
	ws := []float64{26, 12}
	for range sc.models {
		ws = append(ws, 12, 9, 14)
	}
	g.widths(ws...)
	g.text(1, 1, "Readiness by category", st.title)
	g.para(1, 2+catModelCols*max(1, len(sc.models)), 2, "Each cell is the share of conversations in that category the model handled correctly: green ✓ Ready meets the bar, "+
		"amber ~ Almost is within 10 points below it, red ✗ Not ready is further below. n is the number of answers: a small n means a shaky number.",
		st.subtitle, 38+35*float64(max(1, len(sc.models))))
	g.text(1, catModelRow, "Category", st.header)
	g.text(2, catModelRow, "Bar (correct at least)", st.header)
	g.text(1, catHeaderRow, "", st.header)
	g.text(2, catHeaderRow, "", st.header)
	for i, model := range sc.models {
		col := 3 + i*catModelCols
		g.text(col, catModelRow, model, st.header)
		g.text(col+catModelCols-1, catModelRow, "", st.header)
		if g.err == nil {
			g.do(g.f.MergeCell(g.sheet, cellRef(col, catModelRow), cellRef(col+catModelCols-1, catModelRow)))
		}
		g.headers(col, catHeaderRow, st.header, "Correct", "n", "Readiness")
	}
	g.height(catModelRow, 32)
	g.freeze(1, catHeaderRow)
	row := catFirstRow
	for _, c := range cats {
		bar, _ := sc.accuracyBar(c)
		g.text(1, row, c, st.bold)
		g.number(2, row, bar, st.pct)
		for i, model := range sc.models {
			col := 3 + i*catModelCols
			var acc Rate
			if m := sc.metrics(model, c); m != nil {
				acc = m.Accuracy
			}
			t, word := readiness(acc, bar)
			if acc.N > 0 {
				g.number(col, row, acc.Value, st.tonePct[t])
			} else {
				g.text(col, row, "—", st.toneWord[t])
			}
			g.integer(col+1, row, acc.N, st.integer)
			g.text(col+2, row, word, st.toneWord[t])
		}
		row++
	}
	row = sc.startSmall(g, cats, row+1)
	if len(cats) > 0 && len(sc.models) > 0 {
		g.chart(1, row+1, sc.categoriesChart(len(cats)))
	}
	return g.err
}

// startSmall writes, per model, which categories can be automated first.
func (sc *scorecard) startSmall(g *grid, cats []string, row int) int {
	st := sc.st
	width := 26 + 35.0*float64(max(1, len(sc.models)))
	g.text(1, row, "Start small", st.heading)
	row++
	g.para(1, 2+catModelCols*max(1, len(sc.models)), row, "A model does not have to be ready for everything: let it take over the categories where it is ready first, "+
		"keep people on the others, and run this scorecard again before widening its scope. A category is ready when its accuracy meets its bar: "+
		"the category's own accuracy bar, else the suite's overall one, else 90%.", st.wrap, width)
	row++
	for _, model := range sc.models {
		var groups [4][]string
		for _, c := range cats {
			bar, _ := sc.accuracyBar(c)
			var acc Rate
			if m := sc.metrics(model, c); m != nil {
				acc = m.Accuracy
			}
			t, _ := readiness(acc, bar)
			groups[t] = append(groups[t], c)
		}
		var parts []string
		if len(groups[toneGood]) > 0 {
			parts = append(parts, "Ready to automate first: "+strings.Join(groups[toneGood], ", ")+".")
		} else {
			parts = append(parts, "No category is ready yet.")
		}
		if len(groups[toneWarn]) > 0 {
			parts = append(parts, "Almost ready: "+strings.Join(groups[toneWarn], ", ")+".")
		}
		if len(groups[toneBad]) > 0 {
			parts = append(parts, "Keep with people: "+strings.Join(groups[toneBad], ", ")+".")
		}
		g.text(1, row, model, st.bold)
		g.para(2, 1+catModelCols*max(1, len(sc.models)), row, strings.Join(parts, " "), st.wrap, width-26)
		row++
	}
	return row
}

// categoriesChart compares the models' accuracy per category.
func (sc *scorecard) categoriesChart(cats int) *excelize.Chart {
	last := catFirstRow + cats - 1
	colours := []string{"1F4E79", "C55A11", "A5A5A5", "7F6000", "2E75B6", "548235"}
	var series []excelize.ChartSeries
	for i := range sc.models {
		name, _ := excelize.ColumnNumberToName(3 + i*catModelCols)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", sheetCategories, name, catModelRow),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", sheetCategories, catFirstRow, last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetCategories, name, catFirstRow, name, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colours[i%len(colours)]}},
		})
	}
	height := min(2000, max(320, 90+18*cats*len(sc.models)))
	return &excelize.Chart{
		Type:      excelize.Bar,
		Series:    series,
		Title:     chartTitle("Correct answers by category and model"),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: axisFont()},
		YAxis:     percentAxis(),
		PlotArea:  excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Dimension: excelize.ChartDimension{Width: 760, Height: uint(height)},
		Format:    excelize.GraphicOptions{AltText: "Bar chart: share of correct answers per category, one bar per model"},
	}
}
