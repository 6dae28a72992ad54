package results

import (
	"math"
	"strings"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

// escResult is an answered result in category cat for a case of the given risk.
func escResult(cat, risk string, should, did bool) eval.Result {
	return eval.Result{CaseID: "c", Model: "m", Category: cat, Risk: risk, ShouldEscalate: should,
		Verdict: eval.Verdict{Escalated: did, EscalationOK: should == did, Correct: should == did}}
}

func TestEscalationCost(t *testing.T) {
	t.Parallel()
	failed := escResult("billing", eval.RiskHigh, true, false)
	failed.Error = "timeout" // no answer: costs nothing and does not count as answered
	rs := []eval.Result{
		escResult("legal", eval.RiskHigh, true, false),     // missed, high
		escResult("legal", eval.RiskHigh, true, true),      // right
		escResult("legal", eval.RiskLow, true, false),      // missed, low
		escResult("returns", "", true, false),              // missed, no risk: medium
		escResult("returns", eval.RiskMedium, true, false), // missed, medium
		escResult("returns", eval.RiskHigh, false, true),   // unnecessary: flat, whatever the risk
		escResult("returns", eval.RiskLow, false, true),    // unnecessary
		escResult("returns", eval.RiskLow, false, false),   // right
		failed,
	}
	custom := CostWeights{Missed: RiskWeights{Low: 1, Medium: 1, High: 3}, Unnecessary: 0.5}
	for _, tc := range []struct {
		name    string
		weights CostWeights
		// legal has 3 answers, returns 5, billing only a failed request
		overall, legal, returns EscalationCost
	}{
		{
			name: "defaults 2/5/10 and 1", weights: DefaultCostWeights(),
			overall: EscalationCost{Missed: 10 + 2 + 5 + 5, Unnecessary: 2, Total: 24, PerAnswer: 24.0 / 8},
			legal:   EscalationCost{Missed: 12, Total: 12, PerAnswer: 4},
			returns: EscalationCost{Missed: 10, Unnecessary: 2, Total: 12, PerAnswer: 12.0 / 5},
		},
		{
			name: "set by the suite", weights: custom,
			overall: EscalationCost{Missed: 3 + 1 + 1 + 1, Unnecessary: 1, Total: 7, PerAnswer: 7.0 / 8},
			legal:   EscalationCost{Missed: 4, Total: 4, PerAnswer: 4.0 / 3},
			returns: EscalationCost{Missed: 2, Unnecessary: 1, Total: 3, PerAnswer: 3.0 / 5},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set := DefaultSettings()
			set.Costs = tc.weights
			ms := SummarizeWith(rs, set)[0]
			byCat := map[string]EscalationCost{}
			for _, c := range ms.Categories {
				byCat[c.Category] = c.EscalationCost
			}
			for _, sc := range []struct {
				scope     string
				got, want EscalationCost
			}{
				{"overall", ms.EscalationCost, tc.overall},
				{"legal", byCat["legal"], tc.legal},
				{"returns", byCat["returns"], tc.returns},
				{"billing", byCat["billing"], EscalationCost{}}, // only a failed request
			} {
				if !costNear(sc.got, sc.want) {
					t.Errorf("%s: %+v, want %+v", sc.scope, sc.got, sc.want)
				}
			}
		})
	}
}

func costNear(a, b EscalationCost) bool {
	const tol = 1e-12
	return math.Abs(a.Missed-b.Missed) < tol && math.Abs(a.Unnecessary-b.Unnecessary) < tol &&
		math.Abs(a.Total-b.Total) < tol && math.Abs(a.PerAnswer-b.PerAnswer) < tol
}

func TestCostWeightsValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		w    CostWeights
		err  string
	}{
		{"defaults", DefaultCostWeights(), ""},
		{"zero is allowed", CostWeights{}, ""},
		{"negative", CostWeights{Missed: RiskWeights{Low: 2, Medium: -5, High: 10}}, "missed.medium"},
		{"not a number", CostWeights{Unnecessary: math.NaN()}, "unnecessary"},
	} {
		err := tc.w.Validate()
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one naming %s", tc.name, err, tc.err)
		}
	}
}
