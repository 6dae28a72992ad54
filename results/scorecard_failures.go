package results

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/supportbench/supportbench/eval"
)

// Failures sheet columns that hold long text, with their widths.
const (
	failQuestionWidth = 40
	failExpectedWidth = 32
	failAnswerWidth   = 60
	failWhyWidth      = 48
	failHeaderRow     = 4
	failMaxLines      = 12
)

// Severity classes of a wrong answer, worst first.
const (
	severityMissedHighRisk = iota
	severityHallucinated
	severityOther
)

// failure is one wrong answer with its place in the worst-first order.
type failure struct {
	r        *eval.Result
	severity int
	model    int
}

// writeFailures writes the wrong answers, worst first: missed handoffs on high-risk
// conversations, then made-up facts, then the other wrong answers, each by risk;
// with the question, what was expected, what the model said and what was wrong.
func (sc *scorecard) writeFailures() error {
	g, st := sc.grid(sheetFailures), sc.st
	g.widths(6, 18, 16, 6, 14, 8, 26, failQuestionWidth, failExpectedWidth, failAnswerWidth, failWhyWidth)
	g.text(1, 1, "The worst answers first", st.title)
	fs, errs := sc.failures()
	note := "Wrong answers in order of harm: first high-risk conversations that should have gone to a person but did not, " +
		"then answers with made-up facts, then the other wrong answers; within each, high risk before medium before low."
	if len(fs) > maxListedRows {
		note += fmt.Sprintf(" Showing the %d worst of %s wrong answers; the Cases sheet lists them all (filter a verdict column on ✗ wrong).",
			maxListedRows, count(len(fs)))
	}
	if errs > 0 {
		note += fmt.Sprintf(" Not listed: %s without an answer because the request failed (see the Cases sheet).", plural(errs, "conversation", "conversations"))
	}
	g.para(1, 11, 2, note, st.subtitle, 260)
	if len(fs) == 0 {
		g.text(1, failHeaderRow, "No wrong answers: every answered conversation was handled right.", st.bold)
		return g.err
	}
	g.headers(1, failHeaderRow, st.header, "#", "Model", "Case", "Trial", "Category", "Risk", "What went wrong",
		"Question (the customer's last message)", "What was expected", "What the model said", "Why it is wrong")
	g.freeze(0, failHeaderRow)
	shown := fs[:min(len(fs), maxListedRows)]
	if g.err == nil {
		g.do(g.f.AutoFilter(g.sheet, cellRef(1, failHeaderRow)+":"+cellRef(11, failHeaderRow+len(shown)), nil))
	}
	for i, fl := range shown {
		row := failHeaderRow + 1 + i
		r := fl.r
		headline, t := failureHeadline(fl)
		q, exp, why := sc.question(r.CaseID), expectedText(sc.cases[r.CaseID]), explainFlags(r.Flags)
		g.integer(1, row, i+1, st.integer)
		g.text(2, row, r.Model, st.text)
		g.text(3, row, r.CaseID, st.text)
		g.integer(4, row, r.Trial, st.integer)
		g.text(5, row, r.Category, st.text)
		g.text(6, row, cmp.Or(r.Risk, "—"), st.text)
		g.text(7, row, headline, st.toneText[t])
		g.text(8, row, q, st.wrap)
		g.text(9, row, exp, st.wrap)
		g.text(10, row, r.Answer, st.wrap)
		g.text(11, row, why, st.wrap)
		// At most failMaxLines lines: one very long answer must not fill pages; the cell holds it all.
		g.fitLines(row, min(failMaxLines, max(wrappedLines(cellText(q), failQuestionWidth), wrappedLines(exp, failExpectedWidth),
			wrappedLines(r.Answer, failAnswerWidth), wrappedLines(why, failWhyWidth))))
	}
	return g.err
}

// failures returns every wrong answer, worst first, and the number of failed requests.
func (sc *scorecard) failures() ([]failure, int) {
	var fs []failure
	errs := 0
	for mi, model := range sc.models {
		for _, r := range sc.byModel[model] {
			switch {
			case r.Error != "":
				errs++
			case !r.Correct:
				fs = append(fs, failure{r: r, severity: severity(r), model: mi})
			}
		}
	}
	slices.SortStableFunc(fs, func(a, b failure) int {
		return cmp.Or(
			cmp.Compare(a.severity, b.severity),
			cmp.Compare(riskRank(a.r.Risk), riskRank(b.r.Risk)),
			sc.compareCase(a.r, b.r),
			cmp.Compare(a.model, b.model),
		)
	})
	return fs, errs
}

// severity classes a wrong answer: a missed handoff on a high-risk conversation is
// worst, then a made-up fact, then anything else.
func severity(r *eval.Result) int {
	switch {
	case r.ShouldEscalate && !r.Escalated && r.Risk == eval.RiskHigh:
		return severityMissedHighRisk
	case r.Hallucinated:
		return severityHallucinated
	}
	return severityOther
}

// failureHeadline says in a few words what went wrong, most harmful first.
func failureHeadline(fl failure) (string, tone) {
	r := fl.r
	switch {
	case fl.severity == severityMissedHighRisk:
		return "✗ Did not hand a high-risk conversation to a person", toneBad
	case fl.severity == severityHallucinated:
		return "✗ Made up a fact", toneBad
	case hasFlag(r.Flags, "pii-leak"):
		return "✗ Revealed another customer's data", toneBad
	case hasFlag(r.Flags, "claims-human"):
		return "✗ Claimed to be a human", toneBad
	case hasFlag(r.Flags, "injection-followed"):
		return "✗ Obeyed planted instructions", toneBad
	case hasFlag(r.Flags, "asks-for-secret"):
		return "✗ Asked for a password or card number", toneBad
	case r.ShouldEscalate && !r.Escalated:
		return "✗ Did not hand over to a person", toneBad
	case !r.ShouldEscalate && r.Escalated:
		return "✗ Handed over needlessly", toneWarn
	case hasFlag(r.Flags, "forbidden"):
		return "✗ Said something it must not say", toneBad
	case hasFlag(r.Flags, "missing-fact"):
		return "✗ Left out what the customer needed", toneBad
	}
	return "✗ Wrong answer", toneBad
}
