package results

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MarkdownFile is report.md in a run directory.
const MarkdownFile = "report.md"

// Limits of report.md, so that a pull-request comment stays readable.
const (
	mdMaxFlips    = 20
	mdMaxFailures = 10
	mdMaxListed   = 20
	mdTextLimit   = 300
)

// WriteMarkdown writes report.md for rep to w, for CI logs and pull-request comments:
// the verdict per model with its numbers, the gates, accuracy per category, the
// comparison with the baseline and the cases that flipped, and the worst failures.
// Everything that came from a model or a suite file is escaped (see md), so that no
// answer can break a table or smuggle in HTML or a link.
func WriteMarkdown(w io.Writer, rep *Report) error {
	if rep == nil {
		return errors.New("report.md: no report")
	}
	sc := newScorecard(nil, rep)
	ew := &errWriter{w: w}
	sc.mdHeadline(ew)
	sc.mdJudge(ew)
	sc.mdGates(ew)
	sc.mdCategories(ew)
	sc.mdBaseline(ew)
	sc.mdFailures(ew)
	if ew.err != nil {
		return fmt.Errorf("report.md: %w", ew.err)
	}
	return nil
}

// mdHeadline writes the title, the run line and the verdict per model.
func (sc *scorecard) mdHeadline(w io.Writer) {
	fmt.Fprintf(w, "# supportbench: %s\n\n", md(sc.suite.Name, 0))
	var facts []string
	if m := sc.rep.Manifest; m != nil {
		if !m.Started.IsZero() {
			facts = append(facts, "started "+m.Started.UTC().Format("2006-01-02 15:04 UTC"))
		}
		if m.Command != "" {
			facts = append(facts, "by supportbench "+md(m.Command, 0))
		}
	}
	facts = append(facts, "status "+md(cmp.Or(sc.sum.Status, "unknown"), 0))
	if sc.sum.Hash != "" {
		facts = append(facts, "suite hash "+md(shortHash(sc.sum.Hash), 0))
	}
	fmt.Fprintf(w, "%s.\n\n", upperFirst(strings.Join(facts, ", ")))
	if sc.sum.Status != "" && sc.sum.Status != StatusComplete {
		fmt.Fprintf(w, "> **Careful:** this run did not finish; the numbers cover only the answers collected.\n\n")
	}
	fmt.Fprintf(w, "%s\n\n", sc.mdOverall())
	for _, model := range sc.models {
		m := &sc.modelSummary(model).Metrics
		word, why := sc.mdVerdict(model)
		line := fmt.Sprintf("- **%s: %s**%s — correct %s, made-up facts %s, handoff recall %s, handoff precision %s; %s",
			md(model, 0), word, why, mdRate(m.Accuracy, true), mdRate(m.Hallucination, false),
			mdRate(m.Escalation.Recall, false), mdRate(m.Escalation.Precision, false), plural(m.Results-m.Errors, "answer", "answers"))
		if m.Errors > 0 {
			line += fmt.Sprintf(", %s (no answer)", plural(m.Errors, "failed request", "failed requests"))
		}
		if m.LatencyMS.N > 0 {
			line += fmt.Sprintf(", median response %.1f s", m.LatencyMS.P50/1000)
		}
		fmt.Fprintln(w, line+".")
	}
	fmt.Fprintln(w)
}

// mdOverall is the run's verdict in one line.
func (sc *scorecard) mdOverall() string {
	var bad []string
	failed := 0
	for _, g := range sc.sum.Gates {
		if !g.Passed {
			failed++
		}
	}
	if failed > 0 {
		bad = append(bad, plural(failed, "gate", "gates")+" failed")
	}
	if b := sc.rep.Baseline; b != nil && b.Regressed {
		bad = append(bad, "quality regressed against the baseline")
	}
	switch {
	case len(bad) > 0:
		return "**NO-GO**: " + strings.Join(bad, "; ") + "."
	case len(sc.sum.Gates) == 0 && sc.rep.Baseline == nil:
		return "**No gates set**: judge by the numbers below."
	case sc.rep.Baseline != nil:
		return "**GO**: every gate passed and nothing regressed significantly against the baseline."
	}
	return "**GO**: every gate passed."
}

// mdVerdict is one model's verdict word and why.
func (sc *scorecard) mdVerdict(model string) (string, string) {
	var failed []string
	n := 0
	for _, g := range sc.sum.Gates {
		if g.Model == model {
			n++
			if !g.Passed {
				failed = append(failed, g.Metric+" ("+md(g.Scope, 0)+")")
			}
		}
	}
	regressed := false
	if b := sc.rep.Baseline; b != nil {
		for _, m := range b.Models {
			regressed = regressed || m.Model == model && m.Regressed
		}
	}
	var why []string
	if len(failed) > 0 {
		why = append(why, "failed "+strings.Join(failed, ", "))
	}
	if regressed {
		why = append(why, "regressed against the baseline")
	}
	switch {
	case len(why) > 0:
		return "NO-GO", " (" + strings.Join(why, "; ") + ")"
	case n == 0:
		return "no gates", ""
	}
	return "GO", ""
}

// mdRate writes a rate as "84.6%", with its 95% interval when withCI, or "—".
func mdRate(r Rate, withCI bool) string {
	if r.N == 0 {
		return "—"
	}
	if withCI {
		return fmt.Sprintf("%s (95%% CI %s–%s, n=%d)", pctDigits(r.Value, 1), strings.TrimSuffix(pctDigits(r.Low, 1), "%"), pctDigits(r.High, 1), r.N)
	}
	return pctDigits(r.Value, 1)
}

// mdGates writes the gate table.
func (sc *scorecard) mdGates(w io.Writer) {
	fmt.Fprintf(w, "## Gates\n\n")
	if len(sc.sum.Gates) == 0 {
		fmt.Fprintf(w, "This suite sets no gates (`gates:` in suite.yaml).\n\n")
		return
	}
	fmt.Fprintln(w, "| Model | Scope | Metric | Value | Bar | n | Result |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---|")
	for _, g := range sc.sum.Gates {
		result := "pass"
		if !g.Passed {
			result = "**FAIL**"
		}
		value := pctDigits(g.Value, 1)
		if g.N == 0 {
			value = "—"
		}
		op := map[string]string{">=": "≥", "<=": "≤"}[g.Op]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s %s | %d | %s |\n", md(g.Model, 0), md(g.Scope, 0), g.Metric, value,
			cmp.Or(op, md(g.Op, 0)), pctDigits(g.Threshold, 1), g.N, result)
	}
	fmt.Fprintln(w)
}

// mdCategories writes accuracy per category and model.
func (sc *scorecard) mdCategories(w io.Writer) {
	cats := sc.categories()
	if len(cats) == 0 || len(sc.models) == 0 {
		return
	}
	fmt.Fprintf(w, "## Accuracy by category\n\n| Category |")
	for _, m := range sc.models {
		fmt.Fprintf(w, " %s |", md(m, 0))
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(sc.models)))
	for _, c := range cats {
		fmt.Fprintf(w, "| %s |", md(c, 0))
		for _, model := range sc.models {
			cell := "—"
			if m := sc.metrics(model, c); m != nil && m.Accuracy.N > 0 {
				cell = fmt.Sprintf("%s (%d/%d)", pctDigits(m.Accuracy.Value, 1), m.Accuracy.K, m.Accuracy.N)
			}
			fmt.Fprintf(w, " %s |", cell)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// mdFailures writes the worst wrong answers, in the Failures sheet's order.
func (sc *scorecard) mdFailures(w io.Writer) {
	fs, errs := sc.failures()
	fmt.Fprintf(w, "## Worst failures\n\n")
	if len(fs) == 0 {
		fmt.Fprintf(w, "No wrong answers.\n")
	} else {
		if len(fs) > mdMaxFailures {
			fmt.Fprintf(w, "The %d worst of %s wrong answers (all are in scorecard.xlsx and results.jsonl).\n\n", mdMaxFailures, count(len(fs)))
		}
		fmt.Fprintln(w, "| # | Model | Case | What went wrong | Question | Expected | Answer | Flags |")
		fmt.Fprintln(w, "|---:|---|---|---|---|---|---|---|")
		for i, fl := range fs[:min(len(fs), mdMaxFailures)] {
			r := fl.r
			headline, _ := failureHeadline(fl)
			id := md(r.CaseID, 0)
			if sc.rep.Manifest != nil && sc.rep.Manifest.Trials > 1 || r.Trial > 1 {
				id += fmt.Sprintf(" (trial %d)", r.Trial)
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s | %s | %s |\n", i+1, md(r.Model, 0), id, md(headline, 0),
				md(sc.question(r.CaseID), mdTextLimit), md(expectedText(sc.cases[r.CaseID]), mdTextLimit),
				md(r.Answer, mdTextLimit), md(strings.Join(r.Flags, "; "), mdTextLimit))
		}
	}
	if errs > 0 {
		fmt.Fprintf(w, "\nNot listed: %s without an answer because the request failed.\n", plural(errs, "conversation", "conversations"))
	}
}

// shortHash is a content hash cut to 12 hex digits after its algorithm.
func shortHash(h string) string {
	algo, hex, ok := strings.Cut(h, ":")
	if !ok {
		return h[:min(len(h), 12)]
	}
	return algo + ":" + hex[:min(len(hex), 12)]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
