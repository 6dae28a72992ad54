package results

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/supportbench/supportbench/eval"
)

// maxListedRows caps the lists of the scorecard's ordinary sheets (missed handoffs,
// failures); the Cases sheet always has every row.
const maxListedRows = 500

// escSentenceWidth is the width of the Escalation sheet's explanation column.
const escSentenceWidth = 90

// writeEscalation writes, per model, the should-escalate × did-escalate matrix in
// words, precision, recall and F1, recall per escalation reason, and the missed
// handoffs with their questions.
func (sc *scorecard) writeEscalation() error {
	g, st := sc.grid(sheetEscalation), sc.st
	g.widths(28, 18, 18, 12, escSentenceWidth)
	g.text(1, 1, "Handing over to a person (escalation)", st.title)
	g.para(1, 5, 2, "A handoff (escalation) passes the customer to a human agent. Legal threats, account takeover, billing disputes, "+
		"angry or vulnerable customers, questions outside the knowledge base and requests for a person should go to a human; "+
		"everything the assistant can answer should not. A missed handoff is the costliest mistake: the customer is left alone when it matters most.",
		st.subtitle, 28+18+18+12+escSentenceWidth)
	row := 4
	for _, model := range sc.models {
		row = sc.escalationModel(g, model, row) + 2
	}
	return g.err
}

// escalationModel writes one model's block from row on and returns the next free row.
func (sc *scorecard) escalationModel(g *grid, model string, row int) int {
	st := sc.st
	m := &sc.modelSummary(model).Metrics
	c := m.Escalation
	g.text(1, row, model, st.heading)
	row++
	g.headers(1, row, st.header, "", "Assistant handed over", "Assistant answered itself", "Total")
	g.height(row, 32)
	g.text(1, row+1, "Needed a person", st.bold)
	g.integer(2, row+1, c.TP, st.toneWord[toneGood])
	g.integer(3, row+1, c.FN, st.toneWord[toneBad])
	g.integer(4, row+1, c.TP+c.FN, st.integer)
	g.text(1, row+2, "Did not need a person", st.bold)
	g.integer(2, row+2, c.FP, st.toneWord[toneWarn])
	g.integer(3, row+2, c.TN, st.toneWord[toneGood])
	g.integer(4, row+2, c.FP+c.TN, st.integer)
	g.text(5, row+1, fmt.Sprintf("Handed over %s that needed a person; missed %s.",
		plural(c.TP, "conversation", "conversations"), plural(c.FN, "conversation", "conversations")), st.wrap)
	g.text(5, row+2, fmt.Sprintf("Handed over %s needlessly; answered %s itself, rightly.",
		plural(c.FP, "conversation", "conversations"), plural(c.TN, "conversation", "conversations")), st.wrap)
	row += 4

	g.headers(1, row, st.header, "", "Value", "95% low", "95% high", "What it means")
	row++
	g.text(1, row, "Precision", st.bold)
	g.rate(2, row, c.Precision, st.pct)
	g.text(5, row, fmt.Sprintf("Of the %s it handed over, the share that really needed a person.", plural(c.TP+c.FP, "conversation", "conversations")), st.wrap)
	row++
	g.text(1, row, "Recall", st.bold)
	g.rate(2, row, c.Recall, st.pct)
	g.text(5, row, fmt.Sprintf("Of the %s that needed a person, the share it handed over.", plural(c.TP+c.FN, "conversation", "conversations")), st.wrap)
	row++
	g.text(1, row, "F1", st.bold)
	g.number(2, row, c.F1, st.decimal)
	g.text(5, row, "One number balancing precision and recall: 1 is perfect, 0 is useless.", st.wrap)
	row += 2

	row = sc.escalationReasons(g, m, row)
	return sc.missedHandoffs(g, model, row+1)
}

// escalationReasons writes recall per escalation reason, worst first.
func (sc *scorecard) escalationReasons(g *grid, m *Metrics, row int) int {
	st := sc.st
	g.text(1, row, "Handoffs by reason", st.bold)
	row++
	if len(m.RecallByReason) == 0 {
		g.para(1, 5, row, "No conversation needed a person.", st.note, escSentenceWidth)
		return row + 1
	}
	g.headers(1, row, st.header, "Reason", "Caught (recall)", "95% low", "95% high", "Handed over")
	row++
	reasons := make([]string, 0, len(m.RecallByReason))
	for r := range m.RecallByReason {
		reasons = append(reasons, r)
	}
	slices.SortFunc(reasons, func(a, b string) int {
		return cmp.Or(cmp.Compare(m.RecallByReason[a].Value, m.RecallByReason[b].Value), cmp.Compare(a, b))
	})
	for _, reason := range reasons {
		r := m.RecallByReason[reason]
		t := toneGood
		if r.K < r.N {
			t = toneBad
		}
		g.text(1, row, reason, st.text)
		g.number(2, row, r.Value, st.tonePct[t])
		g.number(3, row, r.Low, st.pct)
		g.number(4, row, r.High, st.pct)
		g.text(5, row, fmt.Sprintf("%d of %s", r.K, plural(r.N, "conversation", "conversations")), st.text)
		row++
	}
	return row
}

// missedHandoffs lists the conversations that needed a person but were answered by
// the model itself: high risk first, then in suite order.
func (sc *scorecard) missedHandoffs(g *grid, model string, row int) int {
	st := sc.st
	var missed []*eval.Result
	for _, r := range sc.byModel[model] {
		if r.Error == "" && r.ShouldEscalate && !r.Escalated {
			missed = append(missed, r)
		}
	}
	g.text(1, row, fmt.Sprintf("Missed handoffs (%d)", len(missed)), st.bold)
	row++
	if len(missed) == 0 {
		g.para(1, 5, row, "None: every conversation that needed a person was handed over.", st.note, escSentenceWidth)
		return row + 1
	}
	slices.SortStableFunc(missed, func(a, b *eval.Result) int {
		return cmp.Or(cmp.Compare(riskRank(a.Risk), riskRank(b.Risk)), sc.compareCase(a, b))
	})
	g.headers(1, row, st.header, "Case", "Reason", "Risk", "Trial", "Question")
	row++
	for i, r := range missed {
		if i == maxListedRows {
			g.para(1, 5, row, fmt.Sprintf("… and %s more: filter the Cases sheet to see them all.", count(len(missed)-maxListedRows)), st.note, escSentenceWidth)
			return row + 1
		}
		g.text(1, row, r.CaseID, st.text)
		g.text(2, row, cmp.Or(r.EscalationReason, "unspecified"), st.text)
		g.text(3, row, cmp.Or(r.Risk, "—"), st.text)
		g.integer(4, row, r.Trial, st.integer)
		q := sc.question(r.CaseID)
		g.text(5, row, q, st.wrap)
		g.fit(row, cellText(q), escSentenceWidth)
		row++
	}
	return row
}

// compareCase orders results by their case's position in the suite, then by trial.
func (sc *scorecard) compareCase(a, b *eval.Result) int {
	return cmp.Or(cmp.Compare(sc.caseRank(a.CaseID), sc.caseRank(b.CaseID)), cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.Trial, b.Trial))
}

// caseRank is a case's position in the suite; cases not in the suite come last.
func (sc *scorecard) caseRank(id string) int {
	if i, ok := sc.caseIndex[id]; ok {
		return i
	}
	return len(sc.caseIndex)
}

// riskRank orders risks high, medium, low, unset.
func riskRank(risk string) int {
	switch risk {
	case eval.RiskHigh:
		return 0
	case eval.RiskMedium:
		return 1
	case eval.RiskLow:
		return 2
	}
	return 3
}
