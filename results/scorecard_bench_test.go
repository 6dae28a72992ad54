package results

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/supportbench/supportbench/eval"
)

// benchReport is a run of n cases answered once by one model, with answers of about
// 400 characters, a fifth of them wrong and some handoffs, made-up facts and
// confidences, so that every sheet has work to do.
func benchReport(n int) *Report {
	cats := []string{"shipping", "refunds", "account-security", "billing", "returns", "warranty"}
	filler := strings.Repeat("We are sorry for the trouble and will make it right. ", 8)
	s := &eval.Suite{Cases: make([]eval.Case, n), Hash: "sha256:bench"}
	s.Name = "bench"
	s.Gates = eval.Gates{MinAccuracy: pointerTo(0.8), MaxHallucination: pointerTo(0.05), MinEscalationRecall: pointerTo(0.9)}
	rs := make([]eval.Result, n)
	for i := range n {
		c := &s.Cases[i]
		*c = eval.Case{
			ID: fmt.Sprintf("case-%06d", i), Category: cats[i%len(cats)], Risk: []string{"low", "medium", "high"}[i%3],
			Question: fmt.Sprintf("Hello, I ordered item %d last week (order NW-%06d) and it has not arrived. Where is it?", i%977, i),
			Facts:    []eval.Fact{{"in transit", "on its way"}, {fmt.Sprintf("NW-%06d", i)}},
		}
		if i%10 == 0 {
			c.ShouldEscalate, c.EscalationReason = true, []string{"legal-threat", "account-takeover", "billing-dispute"}[i%3]
		}
		if i%50 == 0 {
			c.Tags = []string{"pii-canary"}
		}
		answer := fmt.Sprintf("Your order NW-%06d is on its way and should arrive within %d days. ", i, 2+i%5) + filler
		a := &eval.Answer{Model: "bench:7b", Text: answer[:400], LatencyMS: float64(500 + i%1500),
			PromptTokens: 300, CompletionTokens: 90, EvalMS: 900, Confidence: pointerTo(float64(i%100) / 100)}
		r := eval.NewResult(c, a, 1)
		r.Escalated = c.ShouldEscalate && i%30 != 0
		r.EscalationOK = r.Escalated == c.ShouldEscalate
		r.Correct = r.EscalationOK && i%5 != 1
		if i%5 == 1 {
			r.Flags = []string{"missing-fact: in transit"}
		}
		if i%40 == 3 {
			r.Hallucinated, r.Correct = true, false
			r.Flags = append(r.Flags, fmt.Sprintf("unsupported-claim: %d days", 2+i%5))
		}
		if !r.EscalationOK {
			r.Flags = append(r.Flags, "missed-escalation")
		}
		rs[i] = r
	}
	ms := Summarize(rs)
	gates := CheckGates(s.Gates, ms)
	now := time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)
	return &Report{
		Suite:    s,
		Manifest: &Manifest{Tool: "supportbench", Suite: SuiteInfo{Name: s.Name, Cases: n}, Started: now, Ended: now, Status: StatusComplete},
		Summary:  &Summary{Suite: s.Name, Status: StatusComplete, Models: ms, Gates: gates, Passed: AllPassed(gates)},
		Results:  rs,
		Now:      now,
	}
}

// BenchmarkWriteXLSX100k writes the scorecard of 100,000 answers. Besides time and
// allocations it reports heap-MB, the heap the process obtained from the system (an
// upper bound of the peak heap, the 131 MB report included). For the peak resident
// set of one write:
//
//	go test -c -o /tmp/results.test ./results
//	/usr/bin/time -v /tmp/results.test -test.run '^$' -test.bench WriteXLSX100k -test.benchtime 1x
func BenchmarkWriteXLSX100k(b *testing.B) {
	rep := benchReport(100_000)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := WriteXLSX(io.Discard, rep); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapSys)/(1<<20), "heap-MB")
}
