package results

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Columns of the Summary sheet's table.
const (
	sumColModel = iota + 1
	sumColAnswers
	sumColErrors
	sumColAccuracy // value, low, high
	_
	_
	sumColHallucination
	_
	_
	sumColEscAccuracy
	_
	_
	sumColPrecision
	_
	_
	sumColRecall
	_
	_
	sumColF1
	sumColP50
	sumColP90
	sumColTPS
)

// summaryHeaderRow is the Summary table's header row; models follow it.
const summaryHeaderRow = 4

// writeSummary writes the key metrics of every model side by side, each rate with
// its 95% interval in separate low / high columns, and a chart of the headline rates.
func (sc *scorecard) writeSummary() error {
	g, st := sc.grid(sheetSummary), sc.st
	g.widths(24, 10, 10, 11, 8, 8, 13, 8, 8, 13, 8, 8, 11, 8, 8, 11, 8, 8, 9, 11, 11, 10)
	g.text(1, 1, "Key numbers by model", st.title)
	g.para(1, 12, 2, "Rates are shares of answered conversations; low and high are the 95% confidence range: the true rate very likely lies between them.", st.subtitle, 120)
	h := summaryHeaderRow
	g.headers(1, h, st.header, "Model", "Answers", "Failed requests (no answer)",
		"Correct (accuracy)", "low", "high",
		"Made-up facts (hallucination)", "low", "high",
		"Right handoff decision", "low", "high",
		"Handoff precision", "low", "high",
		"Handoff recall", "low", "high",
		"Handoff F1 (0–1)", "Response time, median (s)", "Response time, 90th percentile (s)", "Tokens per second")
	g.height(h, 48)
	g.freeze(1, h)
	row := h + 1
	for _, model := range sc.models {
		m := &sc.modelSummary(model).Metrics
		g.text(sumColModel, row, model, st.bold)
		g.integer(sumColAnswers, row, m.Results-m.Errors, st.integer)
		g.integer(sumColErrors, row, m.Errors, st.integer)
		g.rate(sumColAccuracy, row, m.Accuracy, st.pct)
		g.rate(sumColHallucination, row, m.Hallucination, st.pct)
		g.rate(sumColEscAccuracy, row, m.EscalationAccuracy, st.pct)
		g.rate(sumColPrecision, row, m.Escalation.Precision, st.pct)
		g.rate(sumColRecall, row, m.Escalation.Recall, st.pct)
		g.number(sumColF1, row, m.Escalation.F1, st.decimal)
		if m.LatencyMS.N > 0 {
			g.number(sumColP50, row, m.LatencyMS.P50/1000, st.decimal)
			g.number(sumColP90, row, m.LatencyMS.P90/1000, st.decimal)
		} else {
			g.text(sumColP50, row, "—", st.text)
			g.text(sumColP90, row, "—", st.text)
		}
		g.number(sumColTPS, row, m.TokensPerSecond, st.decimal)
		row++
	}
	last := row - 1
	row = sc.summaryJudge(g, row)
	row = sc.summaryBaseline(g, row+1)
	g.text(1, row, "What the columns mean", st.heading)
	row++
	for _, item := range [][2]string{
		{"Answers", "Conversations the model answered."},
		{"Failed requests", "Requests that failed (server error, timeout) and got no answer; they are left out of every rate."},
		{"Correct (accuracy)", "Handled right end to end: stated every fact the customer needed, said nothing forbidden, and handed over to a person exactly when it should."},
		{"Made-up facts", "Answers with a claim (refund window, price, date, order number, link, ...) that the knowledge given to the model does not back up. Lower is better."},
		{"Right handoff decision", "Handed the customer to a person when the conversation needed one, and answered itself when it did not."},
		{"Handoff precision", "Of the conversations the model handed over, the share that really needed a person."},
		{"Handoff recall", "Of the conversations that needed a person, the share the model handed over. A missed handoff is the costliest mistake."},
		{"Handoff F1", "One number balancing precision and recall: 1 is perfect, 0 is useless."},
		{"Response time", "Seconds from question to complete answer: half the answers were faster than the median, nine in ten faster than the 90th percentile."},
		{"Tokens per second", "How fast the model writes; a token is a word or a piece of a word."},
		{"— (dash)", "Nothing to measure, e.g. no conversation needed a person."},
	} {
		g.text(1, row, item[0], st.bold)
		g.para(2, 19, row, item[1], st.wrap, 170)
		row++
	}
	if len(sc.models) > 0 {
		g.chart(1, row+1, sc.summaryChart(last))
	}
	return g.err
}

// summaryChart compares accuracy, made-up facts and handoff recall across models.
func (sc *scorecard) summaryChart(last int) *excelize.Chart {
	first := summaryHeaderRow + 1
	series := func(col int, colour string) excelize.ChartSeries {
		name, _ := excelize.ColumnNumberToName(col)
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", sheetSummary, name, summaryHeaderRow),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", sheetSummary, first, last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetSummary, name, first, name, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		}
	}
	return &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{
			series(sumColAccuracy, "1F4E79"),
			series(sumColHallucination, "C55A11"),
			series(sumColRecall, "A5A5A5"),
		},
		Title:     chartTitle("Correct answers, made-up facts and handoffs caught, by model"),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{Font: axisFont()},
		YAxis:     percentAxis(),
		PlotArea:  excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Dimension: excelize.ChartDimension{Width: 760, Height: 380},
		Format:    excelize.GraphicOptions{AltText: "Bar chart: correct answers, made-up facts and handoffs caught, per model"},
	}
}
