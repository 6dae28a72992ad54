package scorers_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/supportbench/supportbench/datasets"
	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/scorers"
)

// demoAnswersDir holds hand-written recorded answers for the demo suite: careful-bot.jsonl
// (answers that are right), flawed-bot.jsonl (answers that each show one failure) and
// expected.jsonl (the verdict each answer was written to get).
var demoAnswersDir = filepath.Join("..", "datasets", "demo-answers")

var demoAnswerFiles = []struct{ file, model string }{
	{"careful-bot.jsonl", "careful-bot"},
	{"flawed-bot.jsonl", "flawed-bot"},
}

// demoExpectation is one line of expected.jsonl.
type demoExpectation struct {
	Model        string   `json:"model"`
	ID           string   `json:"id"`
	Correct      *bool    `json:"correct"`
	Hallucinated *bool    `json:"hallucinated"`
	Escalated    *bool    `json:"escalated"`
	Flags        []string `json:"flags"`
	Shows        string   `json:"shows"`
}

// knownFlagPrefixes are the flag names the scorer reports (the Flag constants without the
// ": " that introduces what a flag is about), so that a typo in expected.jsonl is caught.
var knownFlagPrefixes = func() []string {
	var out []string
	for _, f := range []string{
		scorers.FlagMissedEscalation, scorers.FlagUnnecessaryEscalation, scorers.FlagMissingFact,
		scorers.FlagForbidden, scorers.FlagUnsupportedClaim, scorers.FlagUnbackedPromise,
		scorers.FlagHandoffMissingContext, scorers.FlagPIILeak, scorers.FlagAsksForSecret,
		scorers.FlagClaimsHuman, scorers.FlagNoAIDisclosure, scorers.FlagInjection,
	} {
		out = append(out, strings.TrimSuffix(f, ": "))
	}
	return out
}()

func loadDemoExpectations(t *testing.T) map[[2]string]demoExpectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(demoAnswersDir, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[[2]string]demoExpectation{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e demoExpectation
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("expected.jsonl:%d: %v", line, err)
		}
		if e.Model == "" || e.ID == "" || e.Correct == nil || e.Hallucinated == nil || e.Escalated == nil || e.Flags == nil || strings.TrimSpace(e.Shows) == "" {
			t.Fatalf("expected.jsonl:%d: model, id, correct, hallucinated, escalated, flags and shows are all required", line)
		}
		for _, p := range e.Flags {
			if !slices.Contains(knownFlagPrefixes, p) {
				t.Errorf("expected.jsonl:%d: flag prefix %q is not one the scorer reports (%s)", line, p, strings.Join(knownFlagPrefixes, ", "))
			}
		}
		if *e.Hallucinated && !slices.Contains(e.Flags, "unsupported-claim") && !slices.Contains(e.Flags, "unbacked-promise") {
			t.Errorf("expected.jsonl:%d: a hallucinated answer must expect an unsupported-claim or unbacked-promise flag", line)
		}
		// A correct answer is clean, except for what a handoff that should happen carries:
		// its context and its promises do not decide correctness (formats.md).
		for _, p := range e.Flags {
			if *e.Correct && p != "handoff-missing-context" && p != "unbacked-promise" {
				t.Errorf("expected.jsonl:%d: a correct answer may not expect a %q flag", line, p)
			}
		}
		k := [2]string{e.Model, e.ID}
		if _, dup := out[k]; dup {
			t.Fatalf("expected.jsonl:%d: %s/%s listed twice", line, e.Model, e.ID)
		}
		out[k] = e
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDemoAnswers scores the hand-written demo answers and checks every verdict against
// what the answer was written to show.
func TestDemoAnswers(t *testing.T) {
	suite, err := datasets.Demo()
	if err != nil {
		t.Fatal(err)
	}
	cases := make(map[string]*eval.Case, len(suite.Cases))
	for i := range suite.Cases {
		cases[suite.Cases[i].ID] = &suite.Cases[i]
	}
	scorer := scorers.New(suite)
	expected := loadDemoExpectations(t)

	type scored struct {
		exp demoExpectation
		c   *eval.Case
	}
	var all []scored
	seen := map[[2]string]bool{}
	ids := map[string][]string{} // model → case ids, in file order
	for _, f := range demoAnswerFiles {
		recs, err := datasets.LoadAnswers(filepath.Join(demoAnswersDir, f.file), suite)
		if err != nil {
			t.Fatalf("%s: %v", f.file, err)
		}
		for _, r := range recs {
			if r.Answer.Model != f.model {
				t.Errorf("%s: %s: model %q, want %q", f.file, r.CaseID, r.Answer.Model, f.model)
			}
			k := [2]string{r.Answer.Model, r.CaseID}
			if seen[k] {
				t.Errorf("%s: %s answered twice", f.file, r.CaseID)
				continue
			}
			seen[k] = true
			ids[f.model] = append(ids[f.model], r.CaseID)
			exp, ok := expected[k]
			if !ok {
				t.Errorf("%s: %s has no line in expected.jsonl", f.file, r.CaseID)
				continue
			}
			c := cases[r.CaseID]
			all = append(all, scored{exp, c})
			t.Run(k[0]+"/"+k[1]+": "+exp.Shows, func(t *testing.T) {
				v := scorer.Score(c, &r.Answer)
				if v.Escalated != *exp.Escalated {
					t.Errorf("escalated = %v, want %v", v.Escalated, *exp.Escalated)
				}
				if v.Correct != *exp.Correct {
					t.Errorf("correct = %v, want %v", v.Correct, *exp.Correct)
				}
				if v.Hallucinated != *exp.Hallucinated {
					t.Errorf("hallucinated = %v, want %v", v.Hallucinated, *exp.Hallucinated)
				}
				for _, p := range exp.Flags {
					if !slices.ContainsFunc(v.Flags, func(f string) bool { return strings.HasPrefix(f, p) }) {
						t.Errorf("no %q flag", p)
					}
				}
				if len(exp.Flags) == 0 && len(v.Flags) > 0 {
					t.Errorf("flags = %q, want none", v.Flags)
				}
				if t.Failed() {
					t.Logf("answer was written to show: %s\nanswer: %s\nverdict flags: %q", exp.Shows, r.Answer.Text, v.Flags)
				}
			})
		}
	}
	for k := range expected {
		if !seen[k] {
			t.Errorf("expected.jsonl: %s/%s has no answer", k[0], k[1])
		}
	}
	if a, b := ids["careful-bot"], ids["flawed-bot"]; !slices.Equal(a, b) {
		t.Errorf("careful-bot and flawed-bot must answer the same case ids in the same order:\n%v\n%v", a, b)
	}

	// Between them, the two files show every kind of verdict.
	has := func(e demoExpectation, prefix string) bool { return slices.Contains(e.Flags, prefix) }
	kinds := []struct {
		name string
		is   func(e demoExpectation, c *eval.Case) bool
	}{
		{"correct", func(e demoExpectation, _ *eval.Case) bool { return *e.Correct }},
		{"incorrect", func(e demoExpectation, _ *eval.Case) bool { return !*e.Correct }},
		{"hallucinated", func(e demoExpectation, _ *eval.Case) bool { return *e.Hallucinated }},
		{"escalated and should", func(e demoExpectation, c *eval.Case) bool { return *e.Escalated && c.ShouldEscalate }},
		{"missed escalation", func(e demoExpectation, c *eval.Case) bool {
			return !*e.Escalated && c.ShouldEscalate && has(e, "missed-escalation")
		}},
		{"unnecessary escalation", func(e demoExpectation, c *eval.Case) bool {
			return *e.Escalated && !c.ShouldEscalate && has(e, "unnecessary-escalation")
		}},
		{"pii leak", func(e demoExpectation, _ *eval.Case) bool { return has(e, "pii-leak") }},
		{"claims human", func(e demoExpectation, _ *eval.Case) bool { return has(e, "claims-human") }},
		{"injection followed", func(e demoExpectation, _ *eval.Case) bool { return has(e, "injection-followed") }},
		{"missing fact", func(e demoExpectation, _ *eval.Case) bool { return has(e, "missing-fact") }},
		{"forbidden content", func(e demoExpectation, _ *eval.Case) bool { return has(e, "forbidden") }},
		{"asks for a secret", func(e demoExpectation, _ *eval.Case) bool { return has(e, "asks-for-secret") }},
		{"no AI disclosure", func(e demoExpectation, _ *eval.Case) bool { return has(e, "no-ai-disclosure") }},
		{"unbacked promise", func(e demoExpectation, _ *eval.Case) bool { return has(e, "unbacked-promise") }},
		{"handoff missing context", func(e demoExpectation, _ *eval.Case) bool { return has(e, "handoff-missing-context") }},
	}
	for _, k := range kinds {
		n := 0
		for _, s := range all {
			if k.is(s.exp, s.c) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no demo answer shows the verdict kind %q", k.name)
		}
	}
}
