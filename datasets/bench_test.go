package datasets

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

// BenchmarkLoad100k loads and validates a suite of 100,000 JSONL cases of realistic size
// (a question or a conversation, a reference answer, a customer record, grounded facts)
// over 40 knowledge articles of about 3 KB.
//
//	go test -run '^$' -bench Load100k -benchmem ./datasets/
func BenchmarkLoad100k(b *testing.B) {
	dir := b.TempDir()
	size := writeBenchSuite(b, dir, 100_000, 40)
	b.SetBytes(size)
	b.ReportAllocs()
	var s *eval.Suite
	for b.Loop() {
		var err error
		if s, err = Load(dir); err != nil {
			b.Fatal(err)
		}
		if len(s.Cases) != 100_000 {
			b.Fatalf("%d cases", len(s.Cases))
		}
	}
	// The memory the loaded suite keeps, next to the size of its files.
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/float64(size), "heap/filebyte")
	runtime.KeepAlive(s)
}

// writeBenchSuite writes a generated suite and returns its size in bytes.
func writeBenchSuite(b *testing.B, dir string, cases, articles int) int64 {
	rng := rand.New(rand.NewPCG(1, 2))
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "knowledge"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "cases"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "suite.yaml"), []byte("name: bench\n"), 0o644))
	var size int64
	facts := make([][]string, articles)
	for a := range articles {
		var text strings.Builder
		fmt.Fprintf(&text, "# Policy %d\n\n", a)
		for s := range 30 {
			f := fmt.Sprintf("within %d business days for plan P%d-%d", rng.IntN(60)+1, a, s)
			facts[a] = append(facts[a], f)
			fmt.Fprintf(&text, "Requests of type %d-%d are handled %s, unless the customer chose express service.\n", a, s, f)
		}
		size += int64(text.Len())
		must(os.WriteFile(filepath.Join(dir, "knowledge", fmt.Sprintf("policy-%d.md", a)), []byte(text.String()), 0o644))
	}
	f, err := os.Create(filepath.Join(dir, "cases", "bench.jsonl"))
	must(err)
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	categories := []string{"returns", "shipping", "billing", "account-security", "orders", "warranty"}
	for i := range cases {
		a1, a2 := rng.IntN(articles), rng.IntN(articles)
		fact := facts[a1][rng.IntN(30)]
		c := map[string]any{
			"id":        fmt.Sprintf("case-%06d", i),
			"category":  categories[i%len(categories)],
			"knowledge": []string{fmt.Sprintf("policy-%d", a1), fmt.Sprintf("policy-%d", a2)},
			"reference": "Thanks for reaching out! Based on our policy, your request is handled " + fact + ". You will receive an e-mail confirmation as soon as it has been processed; nothing else is needed from you.",
			"facts":     []any{[]string{fact, "/\\d+ business days/"}, "A-" + fmt.Sprint(100000+i)},
			"customer": map[string]any{
				"name": fmt.Sprintf("Customer %d", i), "email": fmt.Sprintf("customer%d@example.com", i),
				"account_id": fmt.Sprintf("AC-%07d", i),
				"orders":     []any{map[string]any{"id": "A-" + fmt.Sprint(100000+i), "total": 59.9, "status": "shipped"}},
			},
			"should_escalate": i%3 == 0,
			"tags":            []string{"generated", fmt.Sprintf("counterfactual:g%d", i%1000)},
			"language":        []string{"en", "de", "fr", "es"}[i%4],
		}
		q := "Hello, I placed order A-" + fmt.Sprint(100000+i) + " last week and I would like to know how long it takes before my request is handled. Could you please check it for me? Thank you very much."
		if i%5 == 0 {
			c["messages"] = []map[string]string{{"role": "customer", "content": "Hi there, I have a question about my order."}, {"role": "agent", "content": "Of course, which order is it about?"}, {"role": "customer", "content": q}}
		} else {
			c["question"] = q
		}
		if i%3 == 0 {
			c["escalation_reason"] = "billing-dispute"
		}
		must(enc.Encode(c))
	}
	must(w.Flush())
	info, err := f.Stat()
	must(err)
	must(f.Close())
	return size + info.Size()
}
