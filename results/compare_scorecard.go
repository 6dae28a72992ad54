package results

import (
	"fmt"
	"strings"
)

// Columns of the Summary sheet's baseline block; they reuse the widths of the
// model table above it.
const (
	baseColLabel = iota + 1
	baseColBase
	baseColNow
	baseColDelta
	baseColLow
	baseColHigh
	baseColMark
	baseColP
)

// comparedLabel names a compared metric in words.
func comparedLabel(metric string) string {
	switch metric {
	case metricAccuracy:
		return "Correct (accuracy)"
	case metricHallucination:
		return "Made-up facts (hallucination)"
	case metricEscalationRecall:
		return "Handoff recall"
	case metricEscalationPrecision:
		return "Handoff precision"
	}
	return metric
}

// changeTone colours a change: green when significantly better, red when
// significantly worse, grey otherwise.
func changeTone(ch *MetricChange) tone {
	switch {
	case ch.Worse:
		return toneBad
	case ch.Better():
		return toneGood
	}
	return toneNone
}

// summaryBaseline writes the change of every model against the baseline from row on,
// when the report has a baseline, and returns the next free row.
func (sc *scorecard) summaryBaseline(g *grid, row int) int {
	c := sc.rep.Baseline
	if c == nil {
		return row
	}
	st := sc.st
	g.text(1, row, "Change against the baseline", st.heading)
	row++
	g.para(1, 12, row, baselineIntro(c), st.subtitle, 120)
	row++
	g.headers(1, row, st.header, "Model and measure", "Baseline", "Now", "Change (percentage points)", "low", "high",
		"Significant?", "p (McNemar)")
	g.height(row, 32)
	row++
	for i := range c.Models {
		row = sc.baselineModel(g, &c.Models[i], row)
	}
	var notes []string
	if len(c.NewModels) > 0 {
		notes = append(notes, "Not in the baseline, so not compared: "+strings.Join(c.NewModels, ", ")+".")
	}
	if len(c.DroppedModels) > 0 {
		notes = append(notes, "In the baseline but not in this run: "+strings.Join(c.DroppedModels, ", ")+".")
	}
	if len(c.Models) == 0 {
		notes = append(notes, "No model of this run is in the baseline, so nothing was compared.")
	}
	for _, n := range notes {
		g.para(1, 12, row, n, st.note, 120)
		row++
	}
	return row + 1
}

// baselineIntro says which run the baseline is and how to read the block.
func baselineIntro(c *Comparison) string {
	which := c.Dir
	if c.Run != "" && c.Run != c.Dir && !strings.HasSuffix(c.Dir, c.Run) {
		which += " (" + c.Run + ")"
	}
	if !c.Started.IsZero() {
		which += ", started " + c.Started.UTC().Format("2 January 2006 15:04 UTC")
	}
	return "Baseline: " + which + ". Compared on the conversations both runs answered. ▲ / ▼ significant: the change is very " +
		"unlikely to be chance (95%) — for correct answers by McNemar's exact test on the conversations that flipped, for the others " +
		"because the 95% range of the change (low to high, from resampling the conversations) excludes zero. Green is better, red is worse. " +
		"The conversations that flipped are listed in report.md and summary.json."
}

// baselineModel writes one model's rows and returns the next free row.
func (sc *scorecard) baselineModel(g *grid, m *ModelComparison, row int) int {
	st := sc.st
	name := m.Model
	if m.BaseModel != m.Model {
		name += " (baseline: " + m.BaseModel + ")"
	}
	g.text(baseColLabel, row, name, st.bold)
	g.para(baseColBase, baseColHigh, row, fmt.Sprintf("%s in both runs: %d got worse, %d got better.",
		plural(m.Pairs, "conversation", "conversations"), m.Regressions, m.Fixes), st.wrap, 55)
	word, t := "✓ No regression", toneGood
	if m.Regressed {
		word, t = "✗ Regressed", toneBad
	}
	g.text(baseColMark, row, word, st.toneWord[t])
	g.fitLines(row, 2)
	row++
	for i := range m.Metrics {
		ch := &m.Metrics[i]
		g.text(baseColLabel, row, "   "+comparedLabel(ch.Metric), st.text)
		if ch.BaseN == 0 || ch.CurrentN == 0 {
			for col := baseColBase; col <= baseColHigh; col++ {
				g.text(col, row, "—", st.text)
			}
		} else {
			g.number(baseColBase, row, ch.Base, st.pct)
			g.number(baseColNow, row, ch.Current, st.pct)
			g.number(baseColDelta, row, ch.Delta, st.pct)
			if ch.Interval != nil {
				g.number(baseColLow, row, ch.Interval[0], st.pct)
				g.number(baseColHigh, row, ch.Interval[1], st.pct)
			}
		}
		g.text(baseColMark, row, ch.Mark(), st.toneWord[changeTone(ch)])
		if ch.P != nil {
			g.text(baseColP, row, pValue(*ch.P), st.text)
		}
		g.fitLines(row, 2)
		row++
	}
	return row
}
