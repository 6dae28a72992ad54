// Command bench is the benchmark script's helper: it generates synthetic suites and
// replays a suite's requests with the bare Ollama API client, to measure what
// supportbench adds on top of the model's own time. See bench/run.sh and
// docs/performance.md.
//
//	go run ./bench gensuite -out DIR -cases N
//	go run ./bench bareloop -suite DIR -model M -ollama URL -concurrency C -num-ctx X
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/supportbench/supportbench/datasets"
	"github.com/supportbench/supportbench/eval"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench gensuite|bareloop [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gensuite":
		err = gensuite(os.Args[2:])
	case "bareloop":
		err = bareloop(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var topics = []string{"returns", "shipping", "warranty", "payments", "accounts"}

// gensuite writes a suite of n cases over a small knowledge base: short prompts, so
// that requests are fast and the harness's own overhead is as visible as it gets. With
// -records every case also has its own customer record with an order history (~300
// tokens no other case shares), so each request makes the model evaluate new prompt
// text, as in a real suite, instead of reusing a cached prefix.
func gensuite(args []string) error {
	fs := flag.NewFlagSet("gensuite", flag.ExitOnError)
	out := fs.String("out", "", "suite directory to write")
	n := fs.Int("cases", 300, "number of cases")
	records := fs.Bool("records", false, "give every case its own customer record")
	fs.Parse(args)
	if *out == "" {
		return errors.New("gensuite: -out is required")
	}
	for _, d := range []string{"knowledge", "cases"} {
		if err := os.MkdirAll(filepath.Join(*out, d), 0o755); err != nil {
			return err
		}
	}
	suite := "name: bench\noptions:\n  num_predict: 32\nretries: 2\ntimeout: 60s\n"
	if err := os.WriteFile(filepath.Join(*out, "suite.yaml"), []byte(suite), 0o644); err != nil {
		return err
	}
	for i, t := range topics {
		text := fmt.Sprintf("# %s\n\nOur %s policy: customers have %d days to act. Contact %s@shop.example or call +31 20 555 01%02d. "+
			"Requests are handled within %d business days.\n", t, t, 14*(i+1), t, i, i+2)
		if err := os.WriteFile(filepath.Join(*out, "knowledge", t+".md"), []byte(text), 0o644); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(*out, "cases", "cases.jsonl"))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for i := range *n {
		t := topics[i%len(topics)]
		c := map[string]any{
			"id": fmt.Sprintf("b%06d", i), "category": t, "knowledge": []string{t},
			"question":        fmt.Sprintf("Question %d about %s: how many days do I have?", i, t),
			"facts":           [][]string{{fmt.Sprintf("%d days", 14*(i%len(topics)+1))}},
			"should_escalate": i%5 == 4,
		}
		if *records {
			c["customer"] = benchRecord(i)
		}
		if i%5 == 4 {
			delete(c, "facts")
			c["escalation_reason"] = "human-requested"
			c["question"] = fmt.Sprintf("Case %d: I want to talk to a person about %s.", i, t)
		}
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return f.Close()
}

// bareloop sends every case's request, exactly as supportbench builds it, with the bare
// API client and c workers, and prints the wall time as JSON.
func bareloop(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bareloop", flag.ExitOnError)
	dir := fs.String("suite", "", "suite directory")
	model := fs.String("model", "supportbench-tiny", "model")
	host := fs.String("ollama", "http://127.0.0.1:11434", "Ollama URL")
	conc := fs.Int("concurrency", 1, "workers")
	numCtx := fs.Int("num-ctx", 2048, "num_ctx")
	mode := fs.String("mode", eval.ModeTools, "tools or structured")
	order := fs.String("order", "prefix", "prefix: the order supportbench sends (cases sharing a system message together); suite: file order")
	fs.Parse(args)
	s, err := datasets.Load(*dir)
	if err != nil {
		return err
	}
	u, err := eval.ParseEndpoint(*host)
	if err != nil {
		return err
	}
	client := api.NewClient(u, &http.Client{})
	built := make([]*eval.Request, len(s.Cases))
	for i := range s.Cases {
		built[i] = eval.BuildRequest(s, &s.Cases[i], *model, *mode, *numCtx)
		built[i].Options.NumCtx = *numCtx
	}
	if *order == "prefix" {
		slices.SortStableFunc(built, func(a, b *eval.Request) int { return strings.Compare(a.System, b.System) })
	}
	reqs := make([]*api.ChatRequest, len(built))
	for i, r := range built {
		if reqs[i], err = r.ChatRequest(); err != nil {
			return err
		}
	}
	start := time.Now()
	var next, failed, requestNS atomic.Int64
	var wg sync.WaitGroup
	for range *conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(reqs) || ctx.Err() != nil {
					return
				}
				var text strings.Builder
				// A bounded request, like supportbench's: a wedged server must not hang the loop.
				rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
				t0 := time.Now()
				err := client.Chat(rctx, reqs[i], func(r api.ChatResponse) error {
					text.WriteString(r.Message.Content)
					return nil
				})
				requestNS.Add(int64(time.Since(t0)))
				cancel()
				if err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"requests": len(reqs), "failed": failed.Load(), "wall_ms": wall.Milliseconds(),
		// The time spent in requests, summed over requests: at concurrency 1 the rest of
		// the wall time is the loop's own.
		"requests_ms": requestNS.Load() / 1e6,
	})
}

// benchRecord is case i's customer: a name, contact details and eight orders.
func benchRecord(i int) map[string]any {
	orders := make([]map[string]any, 8)
	for k := range orders {
		orders[k] = map[string]any{
			"order": fmt.Sprintf("NW-%06d-%d", i, k), "date": fmt.Sprintf("2026-%02d-%02d", 1+(i+k)%12, 1+(i*7+k)%28),
			"total_eur": fmt.Sprintf("%d.%02d", 10+(i*13+k*7)%490, (i+k)%100), "status": []string{"delivered", "shipped", "returned", "refunded"}[(i+k)%4],
		}
	}
	return map[string]any{
		"name": fmt.Sprintf("Customer %d", i), "email": fmt.Sprintf("customer%d@mail.example", i),
		"phone": fmt.Sprintf("+31 6 %04d %04d", i%10000, (i*31)%10000), "member_since": 2010 + i%16, "orders": orders,
	}
}
