package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

func benchResult(i int) eval.Result {
	c := 0.8
	return eval.Result{CaseID: fmt.Sprintf("c%06d", i), Model: "m", Trial: 1, Category: "returns",
		Answer:    strings.Repeat("Returns are free within 30 days. ", 12),
		ToolCalls: []eval.ToolCall{}, Confidence: &c, LatencyMS: 41.2, PromptTokens: 900, CompletionTokens: 60,
		Verdict: eval.Verdict{Correct: true, Scores: map[string]float64{"fact_recall": 1, "support": 0.9}, Flags: []string{}}}
}

// BenchmarkWriterWrite measures appending one result to results.jsonl.
func BenchmarkWriterWrite(b *testing.B) {
	w, err := Append(filepath.Join(b.TempDir(), ResultsFile))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	r := benchResult(1)
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Write(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan measures reading results.jsonl back; ns/op is per 10,000 results.
func BenchmarkScan(b *testing.B) {
	var buf bytes.Buffer
	for i := range 10000 {
		line, err := json.Marshal(benchResult(i))
		if err != nil {
			b.Fatal(err)
		}
		buf.Write(append(line, '\n'))
	}
	data := buf.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		n := 0
		if _, err := Scan(bytes.NewReader(data), func(eval.Result) error { n++; return nil }); err != nil || n != 10000 {
			b.Fatal(err, n)
		}
	}
}
