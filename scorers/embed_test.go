package scorers

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbench/supportbench/eval"
)

func TestCosine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a, b []float32
		want float64
	}{
		{"identical", []float32{1, 2, 3}, []float32{1, 2, 3}, 1},
		{"scaled", []float32{1, 2, 3}, []float32{2, 4, 6}, 1},
		{"orthogonal", []float32{1, 0}, []float32{0, 1}, 0},
		{"45 degrees", []float32{1, 0}, []float32{1, 1}, 1 / math.Sqrt2},
		{"opposite is clamped", []float32{1, 2}, []float32{-1, -2}, 0},
		{"zero vector", []float32{0, 0}, []float32{1, 1}, 0},
		{"different lengths", []float32{1, 2}, []float32{1, 2, 3}, 0},
		{"empty", nil, nil, 0},
	} {
		if got := Cosine(tc.a, tc.b); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("%s: Cosine = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// fakeEmbedder embeds a text as its counts of the letters a, b and c, and records
// every text it was asked for.
type fakeEmbedder struct {
	mu    sync.Mutex
	texts []string
	fail  error
}

func (f *fakeEmbedder) Embed(_ context.Context, model string, texts []string) ([][]float32, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		f.texts = append(f.texts, t)
		out[i] = []float32{float32(strings.Count(t, "a")), float32(strings.Count(t, "b")), float32(strings.Count(t, "c"))}
	}
	return out, nil
}

func (f *fakeEmbedder) count(text string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, t := range f.texts {
		if t == text {
			n++
		}
	}
	return n
}

func TestSimilarityScoresAgainstReferenceOnce(t *testing.T) {
	t.Parallel()
	s := &eval.Suite{Cases: []eval.Case{
		{ID: "r1", Reference: "aa"},
		{ID: "r2", Reference: "aa"}, // the same reference text: embedded once
		{ID: "r3", Reference: "bb"},
		{ID: "none"},
	}}
	fe := &fakeEmbedder{}
	sm := NewSimilarity(s, fe, "embed")
	rs := []eval.Result{
		{CaseID: "r1", Model: "m1", Answer: "aa", Verdict: eval.Verdict{Scores: map[string]float64{ScoreTokenF1: 0.5}}},
		{CaseID: "r1", Model: "m2", Answer: "ab"},
		{CaseID: "r2", Model: "m1", Answer: "b"},
		{CaseID: "r3", Model: "m1", Answer: ""}, // escalated without text
		{CaseID: "none", Model: "m1", Answer: "aa"},
		{CaseID: "r3", Model: "m2", Answer: "bb", Error: "timeout"},
	}
	n, err := sm.ScoreAll(t.Context(), rs)
	if err != nil || n != 4 {
		t.Fatalf("ScoreAll = %d, %v; want 4 scored", n, err)
	}
	want := []float64{1, 1 / math.Sqrt2, 0, 0}
	for i, w := range want {
		got, ok := rs[i].Scores[ScoreSemanticSimilarity]
		if !ok || math.Abs(got-w) > 1e-6 {
			t.Errorf("result %d: semantic_similarity %v (%v), want %v", i, got, ok, w)
		}
	}
	if rs[0].Scores[ScoreTokenF1] != 0.5 {
		t.Error("the other scores were lost")
	}
	for _, i := range []int{4, 5} {
		if _, ok := rs[i].Scores[ScoreSemanticSimilarity]; ok {
			t.Errorf("result %d (no reference, or no answer) was scored", i)
		}
	}
	if fe.count("aa") != 2 || fe.count("bb") != 1 || fe.count("") != 0 {
		t.Errorf("embedded %q; want the reference aa once (and the answer aa once), bb once, no empty text", fe.texts)
	}

	// A second pass (a resumed run with new answers) embeds only the new answers.
	rs = append(rs, eval.Result{CaseID: "r3", Model: "m3", Answer: "cb"})
	before := len(fe.texts)
	if n, err := sm.ScoreAll(t.Context(), rs); err != nil || n != 1 {
		t.Fatalf("second ScoreAll = %d, %v; want 1", n, err)
	}
	if got := fe.texts[before:]; !slices.Equal(got, []string{"cb"}) {
		t.Errorf("second pass embedded %q; want only the new answer", got)
	}
}

func TestSimilarityErrorLeavesScoresOut(t *testing.T) {
	t.Parallel()
	s := &eval.Suite{Cases: []eval.Case{{ID: "r", Reference: "aa"}}}
	fe := &fakeEmbedder{fail: errors.New("model does not support embeddings")}
	sm := NewSimilarity(s, fe, "embed")
	sm.Retries, sm.Backoff = 2, time.Millisecond
	rs := []eval.Result{{CaseID: "r", Model: "m", Answer: "a"}}
	if n, err := sm.ScoreAll(t.Context(), rs); err == nil || n != 0 {
		t.Fatalf("ScoreAll = %d, %v; want an error and nothing scored", n, err)
	}
	if _, ok := rs[0].Scores[ScoreSemanticSimilarity]; ok {
		t.Error("scored although the embedding failed")
	}
	fe.mu.Lock()
	fe.fail = nil
	fe.mu.Unlock()
	if n, err := sm.ScoreAll(t.Context(), rs); err != nil || n != 1 {
		t.Errorf("after the server recovered: %d, %v; want 1 scored", n, err)
	}
}

func TestOllamaEmbed(t *testing.T) {
	t.Parallel()
	var got struct {
		Model string   `json:"model"`
		Input []string `json:"input"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/embed" {
			http.NotFound(w, r)
			return
		}
		json.NewDecoder(r.Body).Decode(&got)
		w.Header().Set("Content-Type", "application/json")
		if len(got.Input) == 3 { // a server that loses one
			w.Write([]byte(`{"embeddings": [[1, 0], [0, 1]]}`))
			return
		}
		w.Write([]byte(`{"embeddings": [[1, 0], [0.6, 0.8]]}`))
	}))
	t.Cleanup(srv.Close)
	u, _ := eval.ParseEndpoint(srv.URL)
	o := eval.NewOllama(u, srv.Client())
	vecs, err := o.Embed(t.Context(), "nomic-embed-text", []string{"a", "b"})
	if err != nil || len(vecs) != 2 || got.Model != "nomic-embed-text" || !slices.Equal(got.Input, []string{"a", "b"}) {
		t.Fatalf("Embed = %v, %v; request %+v", vecs, err, got)
	}
	if c := Cosine(vecs[0], vecs[1]); math.Abs(c-0.6) > 1e-6 {
		t.Errorf("cosine %v, want 0.6", c)
	}
	if _, err := o.Embed(t.Context(), "m", []string{"a", "b", "c"}); err == nil || !strings.Contains(err.Error(), "2 embeddings for 3 texts") {
		t.Errorf("a short reply: %v", err)
	}
}

// hangingEmbedder never answers, like a wedged server.
type hangingEmbedder struct{}

func (hangingEmbedder) Embed(ctx context.Context, _ string, _ []string) ([][]float32, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestSimilarityTimesOut(t *testing.T) {
	t.Parallel()
	s := &eval.Suite{Cases: []eval.Case{{ID: "r", Reference: "aa"}}}
	sm := NewSimilarity(s, hangingEmbedder{}, "embed")
	sm.Timeout, sm.Retries, sm.Backoff = 20*time.Millisecond, 1, time.Millisecond
	rs := []eval.Result{{CaseID: "r", Model: "m", Answer: "a"}}
	if n, err := sm.ScoreAll(t.Context(), rs); n != 0 || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ScoreAll = %d, %v; want a deadline error", n, err)
	}
}
