package results

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"
)

// Marks of a change, as the text table, report.md and the scorecard show them.
const (
	markUp      = "▲ significant"
	markDown    = "▼ significant"
	markNone    = "– not significant"
	markUnknown = "n/a"
)

// Mark says whether a change is significant and which way it went: "▲ significant",
// "▼ significant", "– not significant", or "n/a" when the metric is undefined in
// either run.
func (ch *MetricChange) Mark() string {
	switch {
	case ch.BaseN == 0 || ch.CurrentN == 0:
		return markUnknown
	case !ch.Significant:
		return markNone
	case ch.Delta > 0:
		return markUp
	}
	return markDown
}

// Better reports whether the change is significant and an improvement.
func (ch *MetricChange) Better() bool { return ch.Significant && !ch.Worse }

// verdictWords is Mark with a word on whether the change is good or bad.
func (ch *MetricChange) verdictWords() string {
	switch {
	case ch.Worse:
		return ch.Mark() + " (worse)"
	case ch.Better():
		return ch.Mark() + " (better)"
	}
	return ch.Mark()
}

// WriteComparisonText writes the comparison as fixed-width tables in the manner of
// benchstat: per model, each metric in A (the baseline) and B with the change, its
// 95% interval (and McNemar's p for accuracy) and whether it is significant; then
// accuracy per category, the flipped cases, and the cases only one run has. aLabel and
// bLabel name the two runs. Flags are model-derived text and are printed on one line
// with control characters replaced.
func WriteComparisonText(w io.Writer, c *Comparison, aLabel, bLabel string) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "A: %s\nB: %s\n", plainLine(aLabel), plainLine(bLabel))
	fmt.Fprintf(ew, "(%s bootstrap resamples, seed %d; significant at 95%%: accuracy by McNemar's exact test, the others by the interval)\n",
		count(c.Resamples), c.Seed)
	for i := range c.Models {
		writeModelText(ew, &c.Models[i])
	}
	if len(c.NewModels) > 0 {
		fmt.Fprintf(ew, "\nonly in B, not compared: %s\n", plainLine(strings.Join(c.NewModels, ", ")))
	}
	if len(c.DroppedModels) > 0 {
		fmt.Fprintf(ew, "\nonly in A, not compared: %s\n", plainLine(strings.Join(c.DroppedModels, ", ")))
	}
	fmt.Fprintln(ew)
	switch {
	case len(c.Models) == 0:
		fmt.Fprintln(ew, "nothing compared: the runs have no model in common")
	case c.Regressed:
		for _, m := range c.Models {
			if m.Regressed {
				fmt.Fprintf(ew, "REGRESSED: %s: %s\n", plainLine(m.Model), regressionWords(&m))
			}
		}
	default:
		fmt.Fprintln(ew, "no significant regression")
	}
	return ew.err
}

// writeModelText writes one model's tables.
func writeModelText(w io.Writer, m *ModelComparison) {
	name := plainLine(m.Model)
	if m.BaseModel != m.Model {
		name += " (A: " + plainLine(m.BaseModel) + ")"
	}
	fmt.Fprintf(w, "\nmodel %s: %s in both runs (%s); %s, %s\n", name,
		plural(m.Pairs, "answer", "answers"), plural(m.Cases, "case", "cases"),
		plural(m.Regressions, "regression (correct → wrong)", "regressions (correct → wrong)"),
		plural(m.Fixes, "fix (wrong → correct)", "fixes (wrong → correct)"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tA\tB\tdelta\t95% interval\tp\tchange")
	for i := range m.Metrics {
		ch := &m.Metrics[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ch.Metric, pctOrDash(ch.Base, ch.BaseN), pctOrDash(ch.Current, ch.CurrentN),
			deltaText(ch), intervalText(ch), pText(ch), ch.verdictWords())
	}
	tw.Flush()
	if len(m.Categories) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "accuracy by category\tA\tB\tdelta\t95% interval\tp\tchange")
		for _, cc := range m.Categories {
			ch := &cc.Accuracy
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", plainLine(cc.Category), pctOrDash(ch.Base, ch.BaseN),
				pctOrDash(ch.Current, ch.CurrentN), deltaText(ch), intervalText(ch), pText(ch), ch.verdictWords())
		}
		tw.Flush()
	}
	if len(m.Flipped) > 0 {
		fmt.Fprintf(w, "\nflipped:\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, f := range m.Flipped {
			mark := "▲"
			if f.Regression() {
				mark = "▼"
			}
			flags := "—"
			if len(f.Flags) > 0 {
				flags = plainLine(strings.Join(f.Flags, "; "))
			}
			fmt.Fprintf(tw, "  %s\t%s\ttrial %d\t%s\t%s → %s\t%s\n", mark, plainLine(f.CaseID), f.Trial, plainLine(f.Category),
				f.Before, f.After, flags)
		}
		tw.Flush()
	}
	if len(m.Added) > 0 {
		fmt.Fprintf(w, "\nonly in B (added, not compared): %s\n", plainLine(strings.Join(m.Added, ", ")))
	}
	if len(m.Removed) > 0 {
		fmt.Fprintf(w, "\nonly in A (removed, not compared): %s\n", plainLine(strings.Join(m.Removed, ", ")))
	}
	if m.Skipped > 0 {
		fmt.Fprintf(w, "\nnot compared: %s (a failed request, or a trial only one run has)\n", plural(m.Skipped, "result", "results"))
	}
}

// RegressionSummary says in one line which metrics of a model regressed:
// "bot: accuracy fell 16.7 points, from 83.3% to 66.7% (p=0.0386)".
func RegressionSummary(m *ModelComparison) string {
	return plainLine(m.Model) + ": " + regressionWords(m)
}

// ChangeSummary says in one line how a model changed against the baseline: its
// accuracy, the flips, and whether it regressed.
func ChangeSummary(m *ModelComparison) string {
	s := plural(m.Pairs, "answer", "answers") + " compared"
	if acc := m.Metric(metricAccuracy); acc != nil && acc.BaseN > 0 && acc.CurrentN > 0 {
		s = fmt.Sprintf("accuracy %s → %s (%s pts, p=%s), %s compared", pctDigits(acc.Base, 1), pctDigits(acc.Current, 1),
			signedPoints(acc.Delta), pText(acc), plural(m.Pairs, "answer", "answers"))
	}
	s += fmt.Sprintf(", %s, %s", plural(m.Regressions, "regression", "regressions"), plural(m.Fixes, "fix", "fixes"))
	if m.Regressed {
		return s + "; REGRESSED: " + regressionWords(m)
	}
	return s + "; no significant regression"
}

// regressionWords says which metrics regressed: "accuracy fell 16.7 points (p=0.0386)".
func regressionWords(m *ModelComparison) string {
	var parts []string
	for _, name := range m.Reasons {
		ch := m.Metric(name)
		if ch == nil {
			continue
		}
		verb := "fell"
		if ch.Delta > 0 {
			verb = "rose"
		}
		s := fmt.Sprintf("%s %s %.1f points, from %s to %s", name, verb, 100*math.Abs(ch.Delta), pctDigits(ch.Base, 1), pctDigits(ch.Current, 1))
		if ch.P != nil {
			s += " (p=" + pValue(*ch.P) + ")"
		} else if ch.Interval != nil {
			s += " (95% interval " + intervalText(ch) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func pctOrDash(v float64, n int) string {
	if n == 0 {
		return "—"
	}
	return pctDigits(v, 1)
}

// deltaText is a change in percentage points: "-16.7 pts".
func deltaText(ch *MetricChange) string {
	if ch.BaseN == 0 || ch.CurrentN == 0 {
		return "—"
	}
	return signedPoints(ch.Delta) + " pts"
}

func signedPoints(d float64) string {
	s := strconv.FormatFloat(100*d, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

// intervalText is the interval in percentage points: "[-33.3, -4.2]".
func intervalText(ch *MetricChange) string {
	if ch.Interval == nil {
		return "—"
	}
	return "[" + signedPoints(ch.Interval[0]) + ", " + signedPoints(ch.Interval[1]) + "]"
}

func pText(ch *MetricChange) string {
	if ch.P == nil {
		return ""
	}
	return pValue(*ch.P)
}

// pValue writes a p-value with three significant digits: 0.0386, 0.125, 1.
func pValue(p float64) string {
	if p < 0.0001 {
		return "<0.0001"
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

// plainLine makes untrusted text safe for one line of a terminal: invalid UTF-8,
// control characters (escape sequences included) and bidirectional overrides become
// U+FFFD; line breaks and tabs become spaces.
func plainLine(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || isBidiControl(r):
			return '\uFFFD'
		}
		return r
	}, s)
}

// isBidiControl reports whether r reorders text (the "trojan source" characters).
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// errWriter keeps the first write error, so a writer's code reads as its layout.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
