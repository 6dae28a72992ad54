package results

import (
	"fmt"
	"io"
	"strings"
)

// mdBaseline writes the comparison with the baseline, when there is one: whether
// anything regressed, each model's measures with their change and significance,
// accuracy per category where answers flipped, and the flipped cases.
func (sc *scorecard) mdBaseline(w io.Writer) {
	c := sc.rep.Baseline
	if c == nil {
		return
	}
	fmt.Fprintf(w, "## Against the baseline\n\n")
	which := md(c.Dir, 0)
	if c.Run != "" && !strings.HasSuffix(c.Dir, c.Run) {
		which += " (" + md(c.Run, 0) + ")"
	}
	if !c.Started.IsZero() {
		which += ", started " + c.Started.UTC().Format("2006-01-02 15:04 UTC")
	}
	fmt.Fprintf(w, "Baseline: %s. Compared on the answers both runs have. Significant at 95%%: accuracy by McNemar's exact test "+
		"on the answers that flipped, the other measures when the 95%% interval of the change (paired bootstrap over cases, %s resamples) "+
		"excludes zero.\n\n", which, count(c.Resamples))
	switch {
	case len(c.Models) == 0:
		fmt.Fprintf(w, "Nothing compared: no model of this run is in the baseline.\n\n")
	case c.Regressed:
		for _, m := range c.Models {
			if m.Regressed {
				fmt.Fprintf(w, "**REGRESSED: %s**: %s.\n\n", md(m.Model, 0), regressionWords(&m)) // metric names and numbers
			}
		}
	default:
		fmt.Fprintf(w, "No significant regression.\n\n")
	}
	for i := range c.Models {
		mdModelChange(w, &c.Models[i])
	}
	if len(c.NewModels) > 0 {
		fmt.Fprintf(w, "Not in the baseline, so not compared: %s.\n\n", mdList(c.NewModels))
	}
	if len(c.DroppedModels) > 0 {
		fmt.Fprintf(w, "In the baseline but not in this run: %s.\n\n", mdList(c.DroppedModels))
	}
}

// mdModelChange writes one model's comparison.
func mdModelChange(w io.Writer, m *ModelComparison) {
	title := md(m.Model, 0)
	if m.BaseModel != m.Model {
		title += " (baseline: " + md(m.BaseModel, 0) + ")"
	}
	fmt.Fprintf(w, "### %s\n\n%s in both runs: %d got worse (correct → wrong), %d got better (wrong → correct).\n\n",
		title, upperFirst(plural(m.Pairs, "answer", "answers")), m.Regressions, m.Fixes)
	fmt.Fprintln(w, "| Measure | Baseline | Now | Change | 95% interval | p | Significance |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---|")
	for i := range m.Metrics {
		ch := &m.Metrics[i]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", ch.Metric, pctOrDash(ch.Base, ch.BaseN), pctOrDash(ch.Current, ch.CurrentN),
			deltaText(ch), intervalText(ch), pText(ch), mdChange(ch))
	}
	fmt.Fprintln(w)
	var cats []CategoryChange
	for _, cc := range m.Categories {
		if cc.Regressions+cc.Fixes > 0 {
			cats = append(cats, cc)
		}
	}
	if len(cats) > 0 {
		fmt.Fprintln(w, "Accuracy in the categories where answers flipped:")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| Category | Baseline | Now | Change | p | Got worse | Got better | Significance |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---|")
		for _, cc := range cats {
			ch := &cc.Accuracy
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %d | %d | %s |\n", md(cc.Category, 0), pctOrDash(ch.Base, ch.BaseN),
				pctOrDash(ch.Current, ch.CurrentN), deltaText(ch), pText(ch), cc.Regressions, cc.Fixes, mdChange(ch))
		}
		fmt.Fprintln(w)
	}
	mdFlips(w, m.Flipped)
	if len(m.Added) > 0 {
		fmt.Fprintf(w, "Only in this run, not compared: %s.\n\n", mdList(m.Added))
	}
	if len(m.Removed) > 0 {
		fmt.Fprintf(w, "Only in the baseline, not compared: %s.\n\n", mdList(m.Removed))
	}
	if m.Skipped > 0 {
		fmt.Fprintf(w, "Not compared: %s (a failed request, or a trial only one run has).\n\n", plural(m.Skipped, "answer", "answers"))
	}
}

// mdFlips lists the flipped cases, regressions first, at most mdMaxFlips of them.
func mdFlips(w io.Writer, flips []Flip) {
	if len(flips) == 0 {
		return
	}
	fmt.Fprintln(w, "Flipped cases:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| | Case | Trial | Category | Before | After | Flags now |")
	fmt.Fprintln(w, "|---|---|---:|---|---|---|---|")
	for _, f := range flips[:min(len(flips), mdMaxFlips)] {
		mark := "▲ fixed"
		if f.Regression() {
			mark = "▼ regressed"
		}
		flags := "—"
		if len(f.Flags) > 0 {
			flags = md(strings.Join(f.Flags, "; "), mdTextLimit)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s |\n", mark, md(f.CaseID, 0), f.Trial, md(f.Category, 0), f.Before, f.After, flags)
	}
	if len(flips) > mdMaxFlips {
		fmt.Fprintf(w, "\n… and %s more (all are in summary.json).\n", count(len(flips)-mdMaxFlips))
	}
	fmt.Fprintln(w)
}

// mdChange is a change's significance, in bold when it is harmful.
func mdChange(ch *MetricChange) string {
	if ch.Worse {
		return "**" + ch.verdictWords() + "**"
	}
	return ch.verdictWords()
}

// mdList writes at most mdMaxListed escaped names, then how many more there are.
func mdList(names []string) string {
	shown := make([]string, 0, min(len(names), mdMaxListed))
	for _, n := range names[:min(len(names), mdMaxListed)] {
		shown = append(shown, md(n, 0))
	}
	s := strings.Join(shown, ", ")
	if len(names) > mdMaxListed {
		s += fmt.Sprintf(" and %s more", count(len(names)-mdMaxListed))
	}
	return s
}
