package results

import (
	"fmt"
	"slices"

	"github.com/supportbench/supportbench/eval"
)

// GateResult is one threshold checked for one model, overall or in one category.
type GateResult struct {
	Model string `json:"model"`
	// Scope is "overall" or a category name.
	Scope     string  `json:"scope"`
	Metric    string  `json:"metric"`
	Op        string  `json:"op"`
	Threshold float64 `json:"threshold"`
	Value     float64 `json:"value"`
	N         int     `json:"n"`
	Passed    bool    `json:"passed"`
}

// String is the gate in words: "demo-model refunds: accuracy 0.72 < 0.80 (FAIL)".
func (g GateResult) String() string {
	verdict := "pass"
	if !g.Passed {
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s %s: %s %.3f, needs %s %.3f (n=%d) %s", g.Model, g.Scope, g.Metric, g.Value, g.Op, g.Threshold, g.N, verdict)
}

// CheckGates checks the suite's gates against each model's metrics. Category gates
// apply to the categories they name; a category without answers passes vacuously
// and is reported with n=0, while an overall gate without answers fails.
func CheckGates(g eval.Gates, models []ModelSummary) []GateResult {
	var out []GateResult
	for _, ms := range models {
		out = append(out, checkScope(g, ms.Model, "overall", &ms.Metrics)...)
		cats := make([]string, 0, len(g.Categories))
		for c := range g.Categories {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		for _, c := range cats {
			var m *Metrics
			for i := range ms.Categories {
				if ms.Categories[i].Category == c {
					m = &ms.Categories[i].Metrics
				}
			}
			if m == nil {
				m = &Metrics{}
			}
			out = append(out, checkScope(g.Categories[c], ms.Model, c, m)...)
		}
	}
	return out
}

func checkScope(g eval.Gates, model, scope string, m *Metrics) []GateResult {
	var out []GateResult
	add := func(metric, op string, th *float64, r Rate) {
		if th == nil {
			return
		}
		// No answers: nothing to judge in a category, but an overall gate cannot pass on nothing.
		pass := (r.N == 0 && scope != "overall") || r.N > 0 && (op == ">=" && r.Value >= *th) || (op == "<=" && r.Value <= *th)
		out = append(out, GateResult{Model: model, Scope: scope, Metric: metric, Op: op, Threshold: *th, Value: r.Value, N: r.N, Passed: pass})
	}
	add("accuracy", ">=", g.MinAccuracy, m.Accuracy)
	add("hallucination_rate", "<=", g.MaxHallucination, m.Hallucination)
	add("escalation_recall", ">=", g.MinEscalationRecall, m.Escalation.Recall)
	return out
}

// AllPassed reports whether every gate passed.
func AllPassed(gs []GateResult) bool {
	for _, g := range gs {
		if !g.Passed {
			return false
		}
	}
	return true
}
