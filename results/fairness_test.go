package results

import (
	"fmt"
	"math"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

func TestNewcombeInterval(t *testing.T) {
	t.Parallel()
	// Newcombe (1998), "Interval estimation for the difference between independent
	// proportions", Statistics in Medicine 17, Table II, method 10 (score, no
	// continuity correction).
	for _, tc := range []struct {
		k1, n1, k2, n2 int
		low, high      float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{6, 7, 2, 7, 0.0582, 0.8062},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000},
		{10, 10, 0, 10, 0.6075, 1.0000},
	} {
		lo, hi := newcombe(tc.k1, tc.n1, tc.k2, tc.n2)
		if math.Abs(lo-tc.low) > 5e-5 || math.Abs(hi-tc.high) > 5e-5 {
			t.Errorf("%d/%d − %d/%d: [%.4f, %.4f], want [%.4f, %.4f]", tc.k1, tc.n1, tc.k2, tc.n2, lo, hi, tc.low, tc.high)
		}
	}
}

// fairPersona is how one model answered one persona's cases of a counterfactual group.
type fairPersona struct {
	name, lang      string // name "" leaves the customer record without a name
	n, right, esc   int
	answer          string
	errors, notCase int // failed requests; answers to cases missing from the suite
}

// fairnessFixture builds a suite and one model's results from persona outcomes.
func fairnessFixture(model, group string, ps []fairPersona) ([]eval.Case, []eval.Result) {
	var cases []eval.Case
	var rs []eval.Result
	for pi, p := range ps {
		for i := range p.n + p.errors + p.notCase {
			c := eval.Case{ID: fmt.Sprintf("%s-%d-%d", group, pi, i), Category: "c", Language: p.lang,
				Tags: []string{"multi-turn", counterfactual + ":" + group}, Customer: map[string]any{"email": "x@example.com"}}
			if p.name != "" {
				c.Customer["name"] = p.name
			}
			r := eval.Result{CaseID: c.ID, Model: model, Language: c.Lang(), Tags: c.Tags, Answer: p.answer,
				Verdict: eval.Verdict{Correct: i < p.right, Escalated: i < p.esc}}
			switch {
			case i >= p.n+p.errors:
				r.Language, r.CaseID = "fr", "not-in-suite"
			case i >= p.n:
				r.Error, r.Verdict.Correct = "503", true
			}
			if i < p.n+p.errors {
				cases = append(cases, c)
			}
			rs = append(rs, r)
		}
	}
	return cases, rs
}

func TestFairness(t *testing.T) {
	t.Parallel()
	type want struct {
		personas                  []string // persona (kind) n correct escalated
		correctTop, correctBottom string
		correctGap, low, high     float64
		escTop, escBottom         string
		escGap                    float64
		lengthRatio               float64 // 0: nil
		noGaps                    bool
	}
	for _, tc := range []struct {
		name     string
		personas []fairPersona
		want     want
	}{
		{
			name: "four personas, one by language",
			personas: []fairPersona{
				{name: "Anna", n: 10, right: 9, answer: "abcd", errors: 2},
				{name: "Bo", n: 10, right: 5, esc: 2, answer: "héllo wörld"},
				{name: "Chen", n: 10, right: 3, esc: 2, answer: "日本語"},
				{name: " ", lang: "de", n: 10, right: 6, esc: 1, answer: "sechs!"},
			},
			want: want{
				personas:   []string{"Anna (name) 10 9 0", "Bo (name) 10 5 2", "Chen (name) 10 3 2", "de (language) 10 6 1"},
				correctTop: "Anna", correctBottom: "Chen", correctGap: 0.6, low: 0.1705, high: 0.8090,
				escTop: "Bo", escBottom: "Anna", escGap: 0.2, lengthRatio: 11.0 / 3,
			},
		},
		{
			name: "equal personas: the first two in order, no gap",
			personas: []fairPersona{
				{name: "Xu", n: 2, right: 2, answer: "same"},
				{name: "Xa", n: 2, right: 2, answer: "same"},
				{name: "Xb", n: 2, right: 2, answer: "same"},
			},
			want: want{
				personas:   []string{"Xa (name) 2 2 0", "Xb (name) 2 2 0", "Xu (name) 2 2 0"},
				correctTop: "Xa", correctBottom: "Xb", low: -0.6576, high: 0.6576,
				escTop: "Xa", escBottom: "Xb", lengthRatio: 1,
			},
		},
		{
			name:     "one persona: nothing to compare",
			personas: []fairPersona{{name: "Solo", n: 3, right: 1, answer: "hi"}},
			want:     want{personas: []string{"Solo (name) 3 1 0"}, noGaps: true},
		},
		{
			name:     "cases missing from the suite: the result's language",
			personas: []fairPersona{{name: "Anna", n: 1, right: 1, answer: "ok", notCase: 2}},
			want: want{personas: []string{"Anna (name) 1 1 0", "fr (language) 2 0 0"},
				correctTop: "Anna", correctBottom: "fr", correctGap: 1, low: -0.0305, high: 1,
				escTop: "Anna", escBottom: "fr", lengthRatio: 1},
		},
		{
			name: "an empty answer: no length ratio",
			personas: []fairPersona{
				{name: "A", n: 1, esc: 1, answer: ""},
				{name: "B", n: 1, answer: "no"},
			},
			want: want{personas: []string{"A (name) 1 0 1", "B (name) 1 0 0"},
				correctTop: "A", correctBottom: "B", low: -0.7935, high: 0.7935,
				escTop: "A", escBottom: "B", escGap: 1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cases, rs := fairnessFixture("m1", "refund", tc.personas)
			other, ors := fairnessFixture("m2", "address", []fairPersona{{name: "Anna", n: 1, answer: "x"}})
			rs = append(append(rs, ors...), eval.Result{CaseID: "plain", Model: "m3"})
			s := &eval.Suite{Cases: append(cases, other...)}
			got := Fairness(rs, s)
			if len(got) != 2 || len(got["m1"]) != 1 || len(got["m2"]) != 1 {
				t.Fatalf("fairness %+v, want m1 and m2 with one group each", got)
			}
			g := got["m1"][0]
			if g.Group != "refund" || len(g.Personas) != len(tc.want.personas) {
				t.Fatalf("group %+v, want personas %v", g, tc.want.personas)
			}
			for i, p := range g.Personas {
				line := fmt.Sprintf("%s (%s) %d %d %d", p.Persona, p.Kind, p.Correct.N, p.Correct.K, p.Escalation.K)
				if line != tc.want.personas[i] || p.Escalation.N != p.Correct.N {
					t.Errorf("persona %d: %s, want %s", i, line, tc.want.personas[i])
				}
			}
			w := tc.want
			if w.noGaps {
				if g.CorrectGap != nil || g.EscalationGap != nil || g.LengthRatio != nil {
					t.Errorf("gaps %+v %+v %v, want none", g.CorrectGap, g.EscalationGap, g.LengthRatio)
				}
				return
			}
			if c := g.CorrectGap; c == nil || c.Top != w.correctTop || c.Bottom != w.correctBottom ||
				math.Abs(c.Value-w.correctGap) > 1e-12 || math.Abs(c.Low-w.low) > 5e-5 || math.Abs(c.High-w.high) > 5e-5 {
				t.Errorf("correct gap %+v, want %s − %s = %v [%v, %v]", c, w.correctTop, w.correctBottom, w.correctGap, w.low, w.high)
			}
			if e := g.EscalationGap; e == nil || e.Top != w.escTop || e.Bottom != w.escBottom ||
				math.Abs(e.Value-w.escGap) > 1e-12 || e.Low > e.Value || e.High < e.Value {
				t.Errorf("escalation gap %+v, want %s − %s = %v", e, w.escTop, w.escBottom, w.escGap)
			}
			switch {
			case w.lengthRatio == 0 && g.LengthRatio != nil:
				t.Errorf("length ratio %v, want none", *g.LengthRatio)
			case w.lengthRatio != 0 && (g.LengthRatio == nil || math.Abs(*g.LengthRatio-w.lengthRatio) > 1e-12):
				t.Errorf("length ratio %v, want %v", g.LengthRatio, w.lengthRatio)
			}
		})
	}
}

func TestFairnessWithoutSuite(t *testing.T) {
	t.Parallel()
	_, rs := fairnessFixture("m", "g", []fairPersona{{name: "Anna", lang: "nl", n: 2, right: 1, answer: "ok"}})
	got := Fairness(rs, nil)["m"]
	if len(got) != 1 || len(got[0].Personas) != 1 || got[0].Personas[0].Persona != "nl" || got[0].Personas[0].Kind != PersonaLanguage {
		t.Errorf("fairness without a suite %+v, want one persona by language nl", got)
	}
}
