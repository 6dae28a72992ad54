package results

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// sheetTrend is the sheet of earlier runs, present when the report has a history.
const sheetTrend = "Trend"

// Trend sheet layout: the table of runs × models on the left, the accuracy of each
// model per run (the chart's data) on the right, the chart below that.
const (
	trendHeaderRow = 4
	trendPivotCol  = 10
	trendDateFmt   = "2006-01-02 15:04"
)

// writeTrend writes the history of the suite's runs: one row per run and model with
// the headline numbers, and a line chart of accuracy over runs per model.
func (sc *scorecard) writeTrend() error {
	g, st := sc.grid(sheetTrend), sc.st
	pts := sc.rep.History
	runs, models := trendAxes(pts)
	ws := []float64{17, 28, 22, 12, 13, 11, 13, 10, 3, 17}
	for range models {
		ws = append(ws, 14)
	}
	g.widths(ws...)
	g.text(1, 1, "Trend over runs", st.title)
	g.para(1, 8, 2, fmt.Sprintf("The last %s of this suite, oldest first, one row per run and model: is the model getting better or worse "+
		"from night to night? Each number is that run's own; a change of a few points between two runs can be chance — the Summary "+
		"sheet says which changes against the baseline are significant.", plural(len(runs), "run", "runs")), st.subtitle, 126)
	g.headers(1, trendHeaderRow, st.header, "Started (UTC)", "Run", "Model", "Correct (accuracy)", "Made-up facts (hallucination)",
		"Handoff recall", "Response time, median (s)", "Answers")
	g.height(trendHeaderRow, 48)
	g.freeze(0, trendHeaderRow)
	row := trendHeaderRow + 1
	for _, p := range pts {
		g.text(1, row, p.Started.UTC().Format(trendDateFmt), st.text)
		g.text(2, row, p.Run, st.text)
		g.text(3, row, p.Model, st.bold)
		trendRate(g, 4, row, p.Accuracy, st.pct)
		trendRate(g, 5, row, p.Hallucination, st.pct)
		trendRate(g, 6, row, p.EscalationRecall, st.pct)
		if p.LatencyN > 0 {
			g.number(7, row, p.LatencyP50MS/1000, st.decimal)
		} else {
			g.text(7, row, "—", st.text)
		}
		g.integer(8, row, p.Accuracy.N, st.integer)
		row++
	}
	sc.trendPivot(g, runs, models)
	if len(models) > 0 {
		g.chart(trendPivotCol, trendHeaderRow+len(runs)+2, sc.trendChart(len(runs), len(models)))
	}
	return g.err
}

// trendRate writes a rate as one percentage, or a dash when nothing was measured.
func trendRate(g *grid, col, row int, r Rate, style int) {
	if r.N == 0 {
		g.text(col, row, "—", style)
		return
	}
	g.number(col, row, r.Value, style)
}

// trendRun is one run of the history: its name and start.
type trendRun struct {
	name, started string
}

// trendAxes lists the runs (in history order) and the models (in order of first
// appearance) of the history.
func trendAxes(pts []HistoryPoint) ([]trendRun, []string) {
	var runs []trendRun
	var models []string
	seenRun, seenModel := map[trendRun]bool{}, map[string]bool{}
	for _, p := range pts {
		r := trendRun{p.Run, p.Started.UTC().Format(trendDateFmt)}
		if !seenRun[r] {
			seenRun[r] = true
			runs = append(runs, r)
		}
		if !seenModel[p.Model] {
			seenModel[p.Model] = true
			models = append(models, p.Model)
		}
	}
	return runs, models
}

// trendPivot writes accuracy per run (rows) and model (columns): the chart's data.
// A model that did not take part in a run leaves its cell empty, a gap in its line.
func (sc *scorecard) trendPivot(g *grid, runs []trendRun, models []string) {
	st := sc.st
	g.text(trendPivotCol, trendHeaderRow-1, "Correct answers per run", st.heading)
	g.text(trendPivotCol, trendHeaderRow, "Started (UTC)", st.header)
	for i, m := range models {
		g.text(trendPivotCol+1+i, trendHeaderRow, m, st.header)
	}
	index := make(map[trendRun]int, len(runs))
	for i, r := range runs {
		index[r] = i
		g.text(trendPivotCol, trendHeaderRow+1+i, r.started, st.text)
	}
	for _, p := range sc.rep.History {
		if p.Accuracy.N == 0 {
			continue
		}
		i := index[trendRun{p.Run, p.Started.UTC().Format(trendDateFmt)}]
		for j, m := range models {
			if m == p.Model {
				g.number(trendPivotCol+1+j, trendHeaderRow+1+i, p.Accuracy.Value, st.pct)
			}
		}
	}
}

// trendChart draws each model's accuracy over the runs.
func (sc *scorecard) trendChart(runs, models int) *excelize.Chart {
	first, last := trendHeaderRow+1, trendHeaderRow+runs
	dateCol, _ := excelize.ColumnNumberToName(trendPivotCol)
	colours := []string{"1F4E79", "C55A11", "A5A5A5", "7F6000", "2E75B6", "548235"}
	var series []excelize.ChartSeries
	for i := range models {
		col, _ := excelize.ColumnNumberToName(trendPivotCol + 1 + i)
		colour := colours[i%len(colours)]
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", sheetTrend, col, trendHeaderRow),
			Categories: fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetTrend, dateCol, first, dateCol, last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetTrend, col, first, col, last),
			Line:       excelize.LineOptions{Width: 2},
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 6, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}},
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		})
	}
	return &excelize.Chart{
		Type:      excelize.Line,
		Series:    series,
		Title:     chartTitle("Correct answers per run, by model"),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{Font: axisFont()},
		YAxis:     percentAxis(),
		Dimension: excelize.ChartDimension{Width: 760, Height: 380},
		Format:    excelize.GraphicOptions{AltText: "Line chart: share of correct answers in each run, one line per model"},
	}
}
