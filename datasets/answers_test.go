package datasets

import (
	"strings"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

func answersSuite() *eval.Suite {
	return &eval.Suite{Cases: []eval.Case{{ID: "a"}, {ID: "b"}}}
}

func TestReadAnswersNumbersTrials(t *testing.T) {
	t.Parallel()
	in := `{"id":"a","model":"bot","answer":"Returns are free within 30 days."}

{"id":"a","model":"bot","answer":"Again.","confidence":0.25}
{"id":"b","model":"bot","answer":"","tool_calls":[{"name":"escalate_to_human","arguments":{"reason":"legal-threat"}}]}
{"id":"a","model":"other","answer":"x"}
`
	recs, err := readAnswers(strings.NewReader(in), "answers.jsonl", answersSuite())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d answers", len(recs))
	}
	if recs[1].Trial != 2 || recs[3].Trial != 1 || *recs[1].Answer.Confidence != 0.25 {
		t.Errorf("trials/confidence: %+v", recs)
	}
	if len(recs[2].Answer.ToolCalls) != 1 || recs[2].Answer.ToolCalls[0].Arguments["reason"] != "legal-threat" {
		t.Errorf("tool calls: %+v", recs[2].Answer.ToolCalls)
	}
}

func TestReadAnswersReportsEveryProblem(t *testing.T) {
	t.Parallel()
	in := `{"id":"a","model":"bot"}
{"id":"zzz","model":"bot","answer":"x"}
{"id":"a","model":"bot","answer":"x","confidence":1.5}
{"id":"a","model":"bot","answer":"x","confdence":0.5}
not json
{"id":"a","model":"","answer":"x","tool_calls":[{"arguments":{}}]}
{"id":"a","model":"bot","answer":7}
`
	_, err := readAnswers(strings.NewReader(in), "answers.jsonl", answersSuite())
	pe, ok := err.(*ProblemsError)
	if !ok {
		t.Fatalf("err = %v; want *ProblemsError", err)
	}
	got := pe.Error()
	for _, want := range []string{
		"answers.jsonl:1: answer: required",
		`answers.jsonl:2: id: no case "zzz" in the suite`,
		"answers.jsonl:3: confidence: must be between 0 and 1",
		"answers.jsonl:4: confdence: unknown field",
		"answers.jsonl:5: invalid JSON",
		"answers.jsonl:6: model: required",
		"answers.jsonl:6: tool_calls[0].name: required",
		"answers.jsonl:7: answer: must be string",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func TestReadAnswersBoundsLineLength(t *testing.T) {
	t.Parallel()
	long := `{"id":"a","model":"bot","answer":"` + strings.Repeat("x", maxAnswerLine) + `"}`
	in := long + "\n" + `{"id":"b","model":"bot","answer":"ok"}` + "\n"
	_, err := readAnswers(strings.NewReader(in), "big.jsonl", answersSuite())
	if err == nil || !strings.Contains(err.Error(), "big.jsonl:1: line longer than") {
		t.Errorf("err = %v", err)
	}
}
