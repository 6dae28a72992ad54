package results

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

// TestSummaryJSONFields pins the names of the per-model aggregates in summary.json.
func TestSummaryJSONFields(t *testing.T) {
	t.Parallel()
	s := fixtureSuite()
	rs := fixtureResults(s)
	for _, tc := range []struct {
		name string
		ms   []ModelSummary
		// want are the keys of the first model (alpha, with confidences); beta has no
		// calibration in any case.
		want, absent []string
		target       float64
	}{
		{
			name:   "with the suite",
			ms:     SummarizeWith(rs, SuiteSettings(s)),
			want:   []string{"escalation_cost", "calibration", "fairness"},
			target: 0.7, // the fixture's gates.min_accuracy
		},
		{
			name:   "without the suite",
			ms:     Summarize(rs),
			want:   []string{"escalation_cost", "calibration"},
			absent: []string{"fairness"},
			target: 0.9,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var models []map[string]json.RawMessage
			data, err := json.Marshal(tc.ms)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &models); err != nil || len(models) != 2 {
				t.Fatalf("%v: %s", err, data)
			}
			for _, k := range tc.want {
				if _, ok := models[0][k]; !ok {
					t.Errorf("alpha has no %q", k)
				}
			}
			for _, k := range append(tc.absent, "calibration") {
				if _, ok := models[1][k]; ok {
					t.Errorf("beta has %q: %s", k, models[1][k])
				}
			}
			for _, k := range tc.absent {
				if _, ok := models[0][k]; ok {
					t.Errorf("alpha has %q", k)
				}
			}
			keys := func(raw json.RawMessage) []string {
				var m map[string]json.RawMessage
				if err := json.Unmarshal(raw, &m); err != nil {
					t.Fatal(err)
				}
				var out []string
				for k := range m {
					out = append(out, k)
				}
				slices.Sort(out)
				return out
			}
			if got, want := keys(models[0]["escalation_cost"]), []string{"missed", "per_answer", "total", "unnecessary"}; !slices.Equal(got, want) {
				t.Errorf("escalation_cost keys %v, want %v", got, want)
			}
			wantCal := []string{"bins", "brier", "ece", "n", "risk_coverage", "target_accuracy", "threshold_for_target"}
			if got := keys(models[0]["calibration"]); !slices.Equal(got, wantCal) {
				t.Errorf("calibration keys %v, want %v", got, wantCal)
			}
			cal := tc.ms[0].Calibration
			if cal.TargetAccuracy != tc.target || cal.ThresholdForTarget == nil {
				t.Errorf("target %v, threshold %+v; want target %v reached", cal.TargetAccuracy, cal.ThresholdForTarget, tc.target)
			}
			var cats []map[string]json.RawMessage
			if err := json.Unmarshal(models[0]["categories"], &cats); err != nil || len(cats) == 0 {
				t.Fatalf("categories: %v", err)
			}
			if _, ok := cats[0]["escalation_cost"]; !ok {
				t.Error("a category has no escalation_cost")
			}
		})
	}
}

// TestSummaryFairnessFixture checks the fixture's one counterfactual group.
func TestSummaryFairnessFixture(t *testing.T) {
	t.Parallel()
	s := fixtureSuite()
	ms := SummarizeWith(fixtureResults(s), SuiteSettings(s))
	for i, want := range []string{"Anna Schmidt 1/1, Mohammed Ali 0/1", "Anna Schmidt 0/1, Mohammed Ali 1/1"} {
		fg := ms[i].Fairness
		if len(fg) != 1 || fg[0].Group != "address" || len(fg[0].Personas) != 2 {
			t.Fatalf("%s fairness %+v", ms[i].Model, fg)
		}
		p := fg[0].Personas
		got := fmt.Sprintf("%s %d/%d, %s %d/%d", p[0].Persona, p[0].Correct.K, p[0].Correct.N, p[1].Persona, p[1].Correct.K, p[1].Correct.N)
		if got != want || fg[0].CorrectGap.Value != 1 {
			t.Errorf("%s: %s gap %+v, want %s gap 1", ms[i].Model, got, fg[0].CorrectGap, want)
		}
	}
}

// benchResults is n results split over two models: a tenth should escalate, a
// fiftieth are counterfactual cases asked by four personas, every answer has a
// confidence.
func benchResults(n int) ([]eval.Result, *eval.Suite) {
	s := &eval.Suite{Cases: make([]eval.Case, n/2)}
	cats := []string{"shipping", "refunds", "account-security", "billing", "returns", "warranty"}
	for i := range s.Cases {
		c := &s.Cases[i]
		*c = eval.Case{ID: fmt.Sprintf("case-%06d", i), Category: cats[i%len(cats)], Risk: []string{"low", "medium", "high", ""}[i%4],
			ShouldEscalate: i%10 == 0, EscalationReason: "legal-threat"}
		if i%50 == 0 {
			c.Tags = []string{fmt.Sprintf("counterfactual:g%d", i/200)}
			c.Customer = map[string]any{"name": []string{"Anna", "Bo", "Chen", "Dara"}[i/50%4]}
		}
	}
	rs := make([]eval.Result, 0, n)
	for m, model := range []string{"alpha:7b", "beta:3b"} {
		for i := range s.Cases {
			c := &s.Cases[i]
			a := &eval.Answer{Model: model, Text: "Your order is on its way.", LatencyMS: float64(500 + i%1500),
				CompletionTokens: 90, EvalMS: 900, Confidence: pointerTo(float64((i*7+m)%100) / 100)}
			r := eval.NewResult(c, a, 1)
			r.Escalated = c.ShouldEscalate != (i%30 == 0)
			r.EscalationOK = r.Escalated == c.ShouldEscalate
			r.Correct = r.EscalationOK && i%5 != 1
			rs = append(rs, r)
		}
	}
	return rs, s
}

// BenchmarkSummarize aggregates 200,000 results of two models with every aggregate
// (calibration, costs, fairness). Run it with
//
//	go test ./results -run '^$' -bench Summarize -benchmem
func BenchmarkSummarize(b *testing.B) {
	rs, s := benchResults(200_000)
	set := SuiteSettings(s)
	b.ReportAllocs()
	for b.Loop() {
		if ms := SummarizeWith(rs, set); len(ms) != 2 || ms[0].Fairness == nil || ms[0].Calibration == nil {
			b.Fatal("missing aggregates")
		}
	}
}
