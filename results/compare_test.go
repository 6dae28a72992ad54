package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

func TestMcNemarKnownValues(t *testing.T) {
	t.Parallel()
	// Exact values, computed with integer binomial coefficients.
	for _, tc := range []struct {
		b, c int
		want float64
	}{
		{10, 2, 0.03857421875},
		{2, 10, 0.03857421875},
		{4, 0, 0.125},
		{6, 0, 0.03125},
		{1, 0, 1},
		{0, 0, 1},
		{5, 5, 1},
		{7, 3, 0.34375},
		{30, 12, 0.007915897334896727},
		{120, 80, 0.0056851559967503055},
		{3000, 2800, 0.008969436001193416},
	} {
		got := McNemar(tc.b, tc.c)
		if math.Abs(got-tc.want) > 1e-9*tc.want {
			t.Errorf("McNemar(%d, %d) = %.12g, want %.12g", tc.b, tc.c, got, tc.want)
		}
	}
}

func TestQuantile(t *testing.T) {
	t.Parallel()
	xs := []float64{1, 2, 3, 4, 5}
	for q, want := range map[float64]float64{0: 1, 1: 5, 0.5: 3, 0.25: 2, 0.1: 1.4} {
		if got := quantile(xs, q); math.Abs(got-want) > 1e-12 {
			t.Errorf("quantile(%v) = %v, want %v", q, got, want)
		}
	}
}

// outcome builds one result of the comparison fixture.
type outcome struct {
	id, cat            string
	trial              int
	correct, escalated bool
	shouldEscalate     bool
	hallucinated       bool
	err                string
	flags              []string
}

func (o outcome) result(model string) eval.Result {
	return eval.Result{CaseID: o.id, Model: model, Trial: max(1, o.trial), Category: o.cat, ShouldEscalate: o.shouldEscalate,
		Verdict: eval.Verdict{Correct: o.correct, Escalated: o.escalated, EscalationOK: o.escalated == o.shouldEscalate,
			Hallucinated: o.hallucinated, Flags: o.flags}, Error: o.err}
}

// compareFixture is a baseline and a current run of 24 cases in three categories:
// the current run broke six returns answers (three now make up a fact) and two legal
// handoffs, fixed one handoff, lost a billing answer to a failed request, and has a
// case the baseline lacks (and lacks one it had). It also runs a second model.
func compareFixture() (base, cur []eval.Result) {
	var b, c []outcome
	for i := 1; i <= 12; i++ {
		id := fmt.Sprintf("ret-%02d", i)
		b = append(b, outcome{id: id, cat: "returns", correct: i != 12})
		now := outcome{id: id, cat: "returns", correct: i > 6 && i != 12}
		switch {
		case i <= 3:
			now.hallucinated, now.flags = true, []string{"unsupported-claim: 14 days", "missing-fact: 30 days"}
		case i <= 6:
			now.flags = []string{"missing-fact: 30 days"}
		case i == 12:
			now.flags = []string{"missing-fact: 30 days"}
		}
		c = append(c, now)
	}
	b = append(b, outcome{id: "ret-01", cat: "returns", trial: 2, correct: true})
	c = append(c, outcome{id: "ret-01", cat: "returns", trial: 2, flags: []string{"missing-fact: 30 days | `|` <b>"}})
	for i := 1; i <= 6; i++ {
		id := fmt.Sprintf("legal-%02d", i)
		b = append(b, outcome{id: id, cat: "legal", shouldEscalate: true, escalated: i != 6, correct: i != 6})
		esc := i > 2
		o := outcome{id: id, cat: "legal", shouldEscalate: true, escalated: esc, correct: esc}
		if !esc {
			o.flags = []string{"missed-escalation"}
		}
		c = append(c, o)
	}
	for i := 1; i <= 6; i++ {
		id := fmt.Sprintf("bill-%02d", i)
		b = append(b, outcome{id: id, cat: "billing", correct: true})
		switch i {
		case 1:
			c = append(c, outcome{id: id, cat: "billing", err: "503 Service Unavailable"})
		case 6:
		default:
			c = append(c, outcome{id: id, cat: "billing", correct: true})
		}
	}
	c = append(c, outcome{id: "ret-13", cat: "returns", correct: true})
	for _, o := range b {
		base = append(base, o.result("bot"))
	}
	for _, o := range c {
		cur = append(cur, o.result("bot"))
	}
	cur = append(cur, outcome{id: "ret-01", cat: "returns", correct: true}.result("other"))
	return base, cur
}

func TestCompareCountsFlipsAndRegression(t *testing.T) {
	t.Parallel()
	base, cur := compareFixture()
	c := Compare(base, cur, CompareOptions{})
	if len(c.Models) != 1 || c.Models[0].Model != "bot" || !slices.Equal(c.NewModels, []string{"other"}) || len(c.DroppedModels) != 0 {
		t.Fatalf("models %+v, new %v, dropped %v", c.Models, c.NewModels, c.DroppedModels)
	}
	m := c.Models[0]
	if m.Pairs != 23 || m.Cases != 22 || m.Regressions != 9 || m.Fixes != 1 || m.Skipped != 1 {
		t.Errorf("pairs %d cases %d regressions %d fixes %d skipped %d; want 23, 22, 9, 1, 1", m.Pairs, m.Cases, m.Regressions, m.Fixes, m.Skipped)
	}
	if !slices.Equal(m.Added, []string{"ret-13"}) || !slices.Equal(m.Removed, []string{"bill-06"}) {
		t.Errorf("added %v removed %v", m.Added, m.Removed)
	}
	acc := m.Metric(metricAccuracy)
	if acc.P == nil || math.Abs(*acc.P-McNemar(9, 1)) > 1e-12 || !acc.Significant || !acc.Worse {
		t.Errorf("accuracy %+v: want McNemar(9, 1) = %.4f, significant and worse", acc, McNemar(9, 1))
	}
	if want := float64(10-18) / 23; math.Abs(acc.Delta-want) > 1e-12 {
		t.Errorf("accuracy delta %v, want %v", acc.Delta, want)
	}
	if !m.Regressed || !c.Regressed || !slices.Contains(m.Reasons, metricAccuracy) {
		t.Errorf("regressed %v (%v), want accuracy among the reasons", m.Regressed, m.Reasons)
	}
	if len(m.Flipped) != 10 || !m.Flipped[0].Regression() || m.Flipped[9].Regression() || m.Flipped[9].CaseID != "legal-06" {
		t.Errorf("flipped %+v: want 9 regressions then the fix legal-06", m.Flipped)
	}
	for _, f := range m.Flipped[:9] {
		if f.Before != VerdictCorrect || f.After != VerdictWrong || len(f.Flags) == 0 {
			t.Errorf("regression %+v lacks its verdicts or flags", f)
		}
	}
	var cats []string
	for _, cc := range m.Categories {
		cats = append(cats, cc.Category)
	}
	if !slices.Equal(cats, []string{"billing", "legal", "returns"}) {
		t.Errorf("categories %v", cats)
	}
	if cc := m.Categories[1]; cc.Regressions != 2 || cc.Fixes != 1 || cc.Accuracy.Significant {
		t.Errorf("legal %+v: 2 regressions and 1 fix are not significant", cc)
	}
}

func TestCompareIdenticalRunsIsNotARegression(t *testing.T) {
	t.Parallel()
	base, _ := compareFixture()
	c := Compare(base, base, CompareOptions{})
	if c.Regressed || len(c.Models) != 1 {
		t.Fatalf("identical runs: regressed %v, models %d", c.Regressed, len(c.Models))
	}
	m := c.Models[0]
	for _, ch := range m.Metrics {
		if ch.Significant || ch.Delta != 0 || ch.Interval == nil || ch.Interval[0] != 0 || ch.Interval[1] != 0 {
			t.Errorf("%s: %+v, want no change", ch.Metric, ch)
		}
	}
	if len(m.Flipped) != 0 || m.Regressions != 0 || m.Fixes != 0 {
		t.Errorf("flips in identical runs: %+v", m.Flipped)
	}
}

func TestComparePairsSingleModelsByPosition(t *testing.T) {
	t.Parallel()
	base, cur := compareFixture()
	var renamed []eval.Result
	for _, r := range cur {
		if r.Model == "bot" {
			r.Model = "bot-v2"
			renamed = append(renamed, r)
		}
	}
	c := Compare(base, renamed, CompareOptions{})
	if len(c.Models) != 1 || c.Models[0].Model != "bot-v2" || c.Models[0].BaseModel != "bot" || c.Models[0].Regressions != 9 {
		t.Errorf("single models not paired: %+v", c.Models)
	}
	if c := Compare(base, cur[len(cur)-1:], CompareOptions{}); len(c.Models) != 1 || c.Models[0].BaseModel != "bot" {
		t.Errorf("one model each side must pair whatever the names: %+v", c)
	}
}

func TestCompareBootstrapIsDeterministic(t *testing.T) {
	t.Parallel()
	base, cur := compareFixture()
	a := Compare(base, cur, CompareOptions{})
	b := Compare(base, cur, CompareOptions{})
	if !reflect.DeepEqual(a, b) {
		t.Error("two comparisons of the same runs differ")
	}
	// Reordering the inputs must not change any interval.
	rev := slices.Clone(cur)
	slices.Reverse(rev)
	if r := Compare(base, rev, CompareOptions{}); !reflect.DeepEqual(a.Models[0].Metrics, r.Models[0].Metrics) {
		t.Errorf("intervals depend on result order:\n%+v\n%+v", a.Models[0].Metrics, r.Models[0].Metrics)
	}
	other := Compare(base, cur, CompareOptions{Seed: 7})
	if reflect.DeepEqual(a.Models[0].Metrics, other.Models[0].Metrics) {
		t.Error("another seed gave identical intervals")
	}
	for _, ch := range a.Models[0].Metrics {
		if ch.Interval != nil && (ch.Interval[0] > ch.Delta || ch.Interval[1] < ch.Delta) {
			t.Errorf("%s: interval %v does not contain the delta %v", ch.Metric, *ch.Interval, ch.Delta)
		}
	}
}

func TestCompareHallucinationRiseRegresses(t *testing.T) {
	t.Parallel()
	// 40 cases, 8 now make up facts but stay correct: accuracy is unchanged, the
	// hallucination rate rises significantly.
	var base, cur []eval.Result
	for i := range 40 {
		o := outcome{id: fmt.Sprintf("c%02d", i), cat: "x", correct: true}
		base = append(base, o.result("m"))
		o.hallucinated = i < 8
		cur = append(cur, o.result("m"))
	}
	c := Compare(base, cur, CompareOptions{})
	m := c.Models[0]
	if !m.Regressed || !slices.Equal(m.Reasons, []string{metricHallucination}) {
		t.Errorf("regressed %v reasons %v, want the hallucination rate", m.Regressed, m.Reasons)
	}
	if ch := m.Metric(metricEscalationRecall); ch.BaseN != 0 || ch.Mark() != markUnknown || ch.Interval != nil {
		t.Errorf("recall without escalation cases: %+v", ch)
	}
}

func TestCompareTextGolden(t *testing.T) {
	t.Parallel()
	base, cur := compareFixture()
	c := Compare(base, cur, CompareOptions{})
	var buf bytes.Buffer
	if err := WriteComparisonText(&buf, &c, "runs/base (northwind, 2026-03-01)", "runs/tonight (northwind, 2026-03-02)"); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "compare", "text.golden"), buf.String())
	data, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "compare", "comparison.json"), string(data)+"\n")
}

// checkGolden compares got with the golden file at path, or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n%s", path, goldenDiff(string(want), got))
	}
}

func TestPlainLineRemovesControls(t *testing.T) {
	t.Parallel()
	got := plainLine("a\x1b[31mred\x1b[0m\nb\u202Eevil\xff")
	if strings.ContainsAny(got, "\x1b\n\u202E") || !strings.Contains(got, "red") {
		t.Errorf("plainLine left controls: %q", got)
	}
}

// BenchmarkCompare compares two runs of 10,000 cases in 20 categories.
func BenchmarkCompare(b *testing.B) {
	var base, cur []eval.Result
	for i := range 10000 {
		o := outcome{id: fmt.Sprintf("c%05d", i), cat: fmt.Sprintf("cat-%02d", i%20), correct: i%5 != 0,
			shouldEscalate: i%4 == 0, escalated: i%4 == 0 && i%3 != 0, hallucinated: i%11 == 0}
		base = append(base, o.result("m"))
		o.correct = i%6 != 0
		cur = append(cur, o.result("m"))
	}
	b.ReportAllocs()
	for b.Loop() {
		Compare(base, cur, CompareOptions{})
	}
}
