package results

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// writeCalibration writes, per model that reported confidence, a risk–coverage
// table (answer only when confidence is at least t: how many answers remain, and how
// many of those are correct) and its Brier score, with a chart of the curves.
func (sc *scorecard) writeCalibration() error {
	g, st := sc.grid(sheetCalibration), sc.st
	g.widths(30, 12, 12, 14, 12)
	g.text(1, 1, "Confidence: does the assistant know when it is unsure?", st.title)
	g.para(1, 5, 2, "Some models say how sure they are of each answer (0 = guessing, 1 = certain). If that number means something, "+
		"you can let the assistant answer only when it is sure enough and pass the rest to people. Read each table from the top: "+
		"as the minimum confidence rises, the assistant answers fewer conversations (coverage falls) and, if its confidence is "+
		"trustworthy, more of those answers are correct (accuracy rises).", st.subtitle, 80)
	row := 4
	var series []excelize.ChartSeries
	for _, model := range sc.models {
		var s *excelize.ChartSeries
		row, s = sc.calibrationModel(g, model, row)
		if s != nil {
			series = append(series, *s)
		}
		row++
	}
	if len(series) > 0 {
		g.chart(1, row+1, calibrationChart(series))
	}
	return g.err
}

// calibrationModel writes one model's block from row on; it returns the next free
// row and the chart series of its curve, nil when the model gave no confidence. The
// table shows the fixed thresholds 0.0, 0.1, ..., 0.9 of the model's Calibration.
func (sc *scorecard) calibrationModel(g *grid, model string, row int) (int, *excelize.ChartSeries) {
	st := sc.st
	answered := 0
	for _, r := range sc.byModel[model] {
		if r.Error == "" {
			answered++
		}
	}
	target, _ := sc.accuracyBar("overall")
	cal := NewCalibration(sc.byModel[model], target)
	nameRow := row
	g.text(1, row, model, st.heading)
	row++
	if cal == nil {
		g.para(1, 5, row, model+" gave no confidence with its answers, so we cannot tell whether letting it answer only when it is sure would help.", st.wrap, 80)
		return row + 1, nil
	}
	g.para(1, 5, row, fmt.Sprintf("%d of %s came with a confidence. Brier score %.3f: 0 is perfect, always saying 50%% scores 0.25, lower is better.",
		cal.N, plural(answered, "answer", "answers"), cal.Brier), st.wrap, 80)
	row++
	g.headers(1, row, st.header, "Answer only when confidence is at least", "Answers kept", "Coverage", "Correct among them", "Accuracy")
	g.height(row, 32)
	first := row + 1
	for _, p := range cal.RiskCoverage {
		if p.Threshold != gridValue(gridIndex(p.Threshold)) {
			continue // a confidence quantile: summary.json has it, the table keeps to the grid
		}
		row++
		g.number(1, row, p.Threshold, st.decimal)
		g.integer(2, row, p.Accuracy.N, st.integer)
		g.number(3, row, p.Coverage, st.pct)
		g.integer(4, row, p.Accuracy.K, st.integer)
		if p.Accuracy.N > 0 {
			g.number(5, row, p.Accuracy.Value, st.pct)
		} else {
			g.text(5, row, "—", st.text)
		}
	}
	return row + 1, &excelize.ChartSeries{
		Name:       fmt.Sprintf("%s!$A$%d", sheetCalibration, nameRow),
		Categories: fmt.Sprintf("%s!$C$%d:$C$%d", sheetCalibration, first, row),
		Values:     fmt.Sprintf("%s!$E$%d:$E$%d", sheetCalibration, first, row),
		Line:       excelize.LineOptions{Type: excelize.LineSolid, Width: 2},
		Marker:     excelize.ChartMarker{Symbol: "circle", Size: 6},
	}
}

// calibrationChart draws accuracy against coverage, one line per model.
func calibrationChart(series []excelize.ChartSeries) *excelize.Chart {
	x, y := percentAxis(), percentAxis()
	x.MajorGridLines = false
	x.Title = chartTitle("Coverage: share of conversations the assistant still answers")
	y.Title = chartTitle("Accuracy of those answers")
	return &excelize.Chart{
		Type:      excelize.Scatter,
		Series:    series,
		Title:     chartTitle("Accuracy against coverage: answering only when sure"),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     x,
		YAxis:     y,
		Dimension: excelize.ChartDimension{Width: 640, Height: 400},
		Format:    excelize.GraphicOptions{AltText: "Line chart: accuracy against coverage for each model that reports confidence"},
	}
}
