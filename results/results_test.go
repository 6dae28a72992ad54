package results

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

func res(id, model string, trial int, correct bool, errMsg string) eval.Result {
	return eval.Result{CaseID: id, Model: model, Trial: trial, Category: "returns", Error: errMsg,
		Verdict: eval.Verdict{Correct: correct, Flags: []string{}}, ToolCalls: []eval.ToolCall{}}
}

func TestWriterAndScanRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), ResultsFile)
	w, err := Append(path)
	if err != nil {
		t.Fatal(err)
	}
	in := []eval.Result{res("a", "m", 1, true, ""), res("b", "m", 1, false, "")}
	in[1].Answer = "=HYPERLINK(\"x\") <b>&\u0000 \u2028"
	for _, r := range in {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out, d, err := ReadFile(path)
	if err != nil || len(d.Lines) != 0 {
		t.Fatalf("err %v, damage %v", err, d)
	}
	if len(out) != 2 || out[1].Answer != in[1].Answer {
		t.Errorf("round trip: %+v", out)
	}
}

func TestScanSkipsDamagedLines(t *testing.T) {
	t.Parallel()
	data := `{"case_id":"a","model":"m","trial":1,"error":""}
not json
{"case_id":"","model":"m"}

{"case_id":"b","model":"m","trial":1,"err`
	var ids []string
	d, err := Scan(strings.NewReader(data), func(r eval.Result) error {
		ids = append(ids, r.CaseID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != "a" {
		t.Errorf("read %v; want [a]", ids)
	}
	if want := []int{2, 3, 5}; len(d.Lines) != 3 || d.Lines[0] != want[0] || d.Lines[1] != want[1] || d.Lines[2] != want[2] {
		t.Errorf("damaged lines %v; want %v", d.Lines, want)
	}
}

func TestCompactKeepsOneRecordPreferringSuccess(t *testing.T) {
	t.Parallel()
	in := []eval.Result{
		res("a", "m", 1, false, "timeout"),
		res("b", "m", 1, true, ""),
		res("a", "m", 1, true, ""),
		res("a", "m", 1, false, "reset"), // a later failure never replaces a success
		res("a", "m", 2, true, ""),
		res("c", "m", 1, false, "x"),
		res("c", "m", 1, false, "y"),
	}
	out := Compact(in)
	if len(out) != 4 {
		t.Fatalf("%d records, want 4: %+v", len(out), out)
	}
	if out[0].CaseID != "a" || out[0].Error != "" || !out[0].Correct {
		t.Errorf("a/1 = %+v; want the success", out[0])
	}
	if out[3].CaseID != "c" || out[3].Error != "y" {
		t.Errorf("c/1 = %+v; want the last failure", out[3])
	}
}

func TestRewriteIsAtomicAndReadable(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), ResultsFile)
	if err := os.WriteFile(path, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Rewrite(path, []eval.Result{res("a", "m", 1, true, "")}); err != nil {
		t.Fatal(err)
	}
	out, d, err := ReadFile(path)
	if err != nil || len(out) != 1 || len(d.Lines) != 0 {
		t.Errorf("after rewrite: %v %v %v", out, d, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestSummarizeCountsAndConfusion(t *testing.T) {
	t.Parallel()
	mk := func(should, did, correct, halluc bool, reason, cat string) eval.Result {
		r := res("x", "m", 1, correct, "")
		r.ShouldEscalate, r.Escalated, r.Hallucinated, r.EscalationReason, r.Category = should, did, halluc, reason, cat
		r.EscalationOK = should == did
		r.LatencyMS, r.CompletionTokens, r.EvalMS = 100, 50, 500
		return r
	}
	rs := []eval.Result{
		mk(true, true, true, false, "legal-threat", "legal"),
		mk(true, false, false, false, "legal-threat", "legal"),
		mk(true, true, true, false, "human-requested", "contact"),
		mk(false, true, false, false, "", "returns"),
		mk(false, false, true, true, "", "returns"),
		mk(false, false, true, false, "", "returns"),
		res("y", "m", 1, false, "timeout"),
	}
	ms := Summarize(rs)
	if len(ms) != 1 {
		t.Fatalf("%d models", len(ms))
	}
	m := ms[0]
	c := m.Escalation
	if c.TP != 2 || c.FN != 1 || c.FP != 1 || c.TN != 2 {
		t.Errorf("confusion %+v", c)
	}
	if m.Results != 7 || m.Errors != 1 || m.Accuracy.K != 4 || m.Accuracy.N != 6 || m.Hallucination.K != 1 {
		t.Errorf("metrics %+v", m.Metrics)
	}
	if got := m.RecallByReason["legal-threat"]; got.K != 1 || got.N != 2 {
		t.Errorf("legal-threat recall %+v", got)
	}
	if len(m.Categories) != 3 || m.Categories[0].Category != "contact" {
		t.Errorf("categories %+v", m.Categories)
	}
	if m.TokensPerSecond != 100 {
		t.Errorf("tokens/s %v; want 100 (300 tokens over 3 s)", m.TokensPerSecond)
	}
	if m.Accuracy.Low >= m.Accuracy.Value || m.Accuracy.High <= m.Accuracy.Value {
		t.Errorf("interval %+v does not bracket the value", m.Accuracy)
	}
}

func TestWilsonInterval(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		k, n      int
		low, high float64
	}{
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{50, 100, 0.4038, 0.5962},
	} {
		r := NewRate(tc.k, tc.n)
		if abs(r.Low-tc.low) > 1e-3 || abs(r.High-tc.high) > 1e-3 {
			t.Errorf("%d/%d: [%.4f, %.4f], want [%.4f, %.4f]", tc.k, tc.n, r.Low, r.High, tc.low, tc.high)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestGates(t *testing.T) {
	t.Parallel()
	f := func(x float64) *float64 { return &x }
	g := eval.Gates{MinAccuracy: f(0.8), MaxHallucination: f(0.1),
		Categories: map[string]eval.Gates{"returns": {MinAccuracy: f(0.5)}, "ghost": {MinAccuracy: f(0.9)}}}
	ms := []ModelSummary{{Model: "m",
		Metrics:    Metrics{Accuracy: NewRate(7, 10), Hallucination: NewRate(1, 10)},
		Categories: []CategoryMetrics{{Category: "returns", Metrics: Metrics{Accuracy: NewRate(6, 10)}}}}}
	gs := CheckGates(g, ms)
	if len(gs) != 4 {
		t.Fatalf("%d gates: %v", len(gs), gs)
	}
	want := map[string]bool{"overall accuracy": false, "overall hallucination_rate": true, "ghost accuracy": true, "returns accuracy": true}
	for _, r := range gs {
		if w := want[r.Scope+" "+r.Metric]; w != r.Passed {
			t.Errorf("%s", r)
		}
	}
	if AllPassed(gs) {
		t.Error("AllPassed with a failed gate")
	}
	if empty := CheckGates(g, []ModelSummary{{Model: "m"}}); empty[0].Passed {
		t.Error("an overall gate passed with no answers")
	}
}

func TestJUnitEscapesModelText(t *testing.T) {
	t.Parallel()
	rs := []eval.Result{res("a", "m1", 1, true, ""), res("b", "m1", 1, false, ""), res("c", "m2", 1, false, "connection reset")}
	rs[1].Answer = "</failure><script>alert(1)</script> \x00\x1b[31m ]]>"
	rs[1].Flags = []string{"missing-fact: 30 days"}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, "demo", rs); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, buf.String())
	}
	if doc.Tests != 3 || doc.Failures != 1 || doc.Errors != 1 || len(doc.Suites) != 2 {
		t.Errorf("totals %d/%d/%d, %d suites", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites))
	}
	f := doc.Suites[0].Cases[1].Failure
	if f == nil || !strings.Contains(f.Body, "<script>") || !strings.Contains(f.Message, "missing-fact: 30 days") {
		t.Errorf("failure %+v", f)
	}
}
