package results

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/supportbench/supportbench/eval"
)

func TestCohenKappa(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		table [2][2]int // [deterministic][judge], 1 = correct
		want  float64
		ok    bool
	}{
		// n=50, po=35/50=0.7; deterministic yes 20/50=0.4, judge yes 25/50=0.5;
		// pe=0.4*0.5+0.6*0.5=0.5; kappa=(0.7-0.5)/(1-0.5)=0.4.
		{"textbook", [2][2]int{{20, 10}, {5, 15}}, 0.4, true},
		{"perfect", [2][2]int{{3, 0}, {0, 7}}, 1, true},
		// po=0.5, both say yes half the time: pe=0.5, kappa 0.
		{"chance", [2][2]int{{1, 1}, {1, 1}}, 0, true},
		// always disagree, both 50/50: po=0, pe=0.5, kappa -1.
		{"opposite", [2][2]int{{0, 2}, {2, 0}}, -1, true},
		// po=(2+4)/10=0.6; yes shares 0.8 and 0.4: pe=0.32+0.12=0.44; kappa=0.16/0.56.
		{"skewed", [2][2]int{{2, 0}, {4, 4}}, 0.16 / 0.56, true},
		{"one class each", [2][2]int{{0, 0}, {0, 5}}, 0, false},
		{"empty", [2][2]int{}, 0, false},
	} {
		got, ok := CohenKappa(tc.table)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: CohenKappa(%v) = %v, %v; want %v, %v", tc.name, tc.table, got, ok, tc.want, tc.ok)
		}
	}
}

// judged is an answered result with a deterministic verdict and the judge's.
func judged(model string, correct, escalated, halluc bool, jc, je, jh bool) eval.Result {
	r := eval.Result{CaseID: "c", Model: model}
	r.Correct, r.Escalated, r.Hallucinated = correct, escalated, halluc
	r.Judge = &eval.Judgement{Model: "judge:8b", PromptVersion: "judge-v1", Correct: jc, Escalated: je, Hallucinated: jh, UnsupportedClaims: []string{}}
	return r
}

func TestJudgeAgreement(t *testing.T) {
	t.Parallel()
	rs := []eval.Result{
		judged("m", true, false, false, true, false, false),  // agrees on all three
		judged("m", true, false, false, false, false, true),  // disagrees on correct, hallucinated
		judged("m", false, true, false, false, true, false),  // agrees on all three
		judged("m", false, false, true, false, true, true),   // disagrees on escalated
		judged("m", false, false, false, true, false, false), // disagrees on correct
	}
	failed := judged("m", true, true, true, true, true, true)
	failed.Error = "timeout" // no answer: left out
	graderErr := judged("m", true, false, false, false, false, false)
	graderErr.Judge.Error = "judge reply is not the expected JSON"
	unjudged := eval.Result{CaseID: "d", Model: "m"}
	rs = append(rs, failed, graderErr, unjudged)

	ms := Summarize(rs)
	ja := ms[0].Judge
	if ja == nil {
		t.Fatal("no judge agreement in the summary")
	}
	if ja.Model != "judge:8b" || ja.PromptVersion != "judge-v1" || ja.N != 5 || ja.Errors != 1 {
		t.Errorf("judge %q %q, n %d, errors %d; want judge:8b judge-v1, 5, 1", ja.Model, ja.PromptVersion, ja.N, ja.Errors)
	}
	for name, got := range map[string]Rate{"correct": ja.Correct, "escalated": ja.Escalated, "hallucinated": ja.Hallucinated} {
		want := map[string]int{"correct": 3, "escalated": 4, "hallucinated": 4}[name]
		if got.K != want || got.N != 5 || got.Low > got.Value || got.High < got.Value {
			t.Errorf("%s agreement %+v; want %d of 5 with an interval around it", name, got, want)
		}
	}
	// Correct table [deterministic][judge]: {0,0}: 2, {0,1}: 1, {1,0}: 1, {1,1}: 1.
	// po = 3/5; yes shares 2/5 and 2/5; pe = 4/25 + 9/25 = 13/25; kappa = (15/25-13/25)/(12/25) = 1/6.
	if ja.KappaCorrect == nil || math.Abs(*ja.KappaCorrect-1.0/6) > 1e-12 {
		t.Errorf("kappa %v, want 1/6", ja.KappaCorrect)
	}

	if ms := Summarize([]eval.Result{unjudged}); ms[0].Judge != nil {
		t.Errorf("a run without a judge has judge agreement %+v", ms[0].Judge)
	}
	data, _ := json.Marshal(Summarize([]eval.Result{unjudged})[0])
	if bytes.Contains(data, []byte(`"judge"`)) {
		t.Errorf("summary without a judge mentions one: %s", data)
	}
}

func TestJudgeAgreementWithOnlyErrors(t *testing.T) {
	t.Parallel()
	r := judged("m", true, false, false, false, false, false)
	r.Judge.Error = "boom"
	ja := NewJudgeAgreement([]*eval.Result{&r})
	if ja == nil || ja.N != 0 || ja.Errors != 1 || ja.KappaCorrect != nil || ja.Correct.N != 0 {
		t.Fatalf("only errors: %+v", ja)
	}
	data, err := json.Marshal(ja)
	if err != nil || !bytes.Contains(data, []byte(`"kappa_correct":null`)) {
		t.Errorf("kappa should be null when undefined: %s (%v)", data, err)
	}
	if s := judgeSentence(ja); !strings.Contains(s, "could not grade any answer (1 error)") {
		t.Errorf("sentence %q", s)
	}
}

func TestJudgeLineInMarkdownAndScorecard(t *testing.T) {
	t.Parallel()
	rep := fixtureReport()
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.Model == "alpha:7b" && r.Error == "" {
			r.Judge = &eval.Judgement{Model: "judge|8b", PromptVersion: "judge-v1", Correct: r.Correct, Escalated: r.Escalated, Hallucinated: r.Hallucinated}
		}
	}
	rep.Summary.Models = Summarize(rep.Results)
	var md bytes.Buffer
	if err := WriteMarkdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	want := `- **alpha:7b**: Judge (judge\|8b, judge-v1) agrees with the deterministic verdicts on 100.0% of answers for correct (Cohen's κ 1.00), 100.0% for handoff and 100.0% for made-up facts; n=`
	if !strings.Contains(md.String(), want) {
		t.Errorf("report.md lacks the judge line %q:\n%s", want, md.String())
	}
	if strings.Contains(md.String(), "beta:3b**: Judge") {
		t.Error("report.md has a judge line for a model without judge verdicts")
	}

	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := dumpSheet(t, f, sheetSummary)
	if !strings.Contains(sheet, "alpha:7b: Judge (judge|8b, judge-v1) agrees with the deterministic verdicts on 100.0% of answers") {
		t.Errorf("Summary sheet lacks the judge line:\n%s", sheet)
	}
}
