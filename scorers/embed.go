package scorers

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/supportbench/supportbench/eval"
)

// ScoreSemanticSimilarity is the cosine similarity of the embeddings of the answer and
// of the case's reference, negatives counted as 0 (cases with a reference, --embed-model).
const ScoreSemanticSimilarity = "semantic_similarity"

// Embedder turns texts into vectors, one per text; *eval.Ollama is one.
type Embedder interface {
	Embed(ctx context.Context, model string, texts []string) ([][]float32, error)
}

// embedBatch is the number of texts per embedding request.
const embedBatch = 16

// Similarity scores answers by their meaning's closeness to the case's reference,
// through an embedding model. Each reference is embedded once per Similarity, however
// many models and trials answered its case. It is not safe for concurrent use.
type Similarity struct {
	Embedder Embedder
	// Model is the embedding model.
	Model string
	// Retries, Timeout and Backoff are as in Judge: Timeout bounds one request.
	Retries int
	Timeout time.Duration
	Backoff time.Duration

	cases map[string]*eval.Case
	refs  map[string][]float32 // reference text → its embedding
}

// NewSimilarity returns a scorer of the answers to the cases of s with the embedding model.
func NewSimilarity(s *eval.Suite, e Embedder, model string) *Similarity {
	sm := &Similarity{Embedder: e, Model: model, cases: make(map[string]*eval.Case, len(s.Cases)), refs: map[string][]float32{}}
	for i := range s.Cases {
		sm.cases[s.Cases[i].ID] = &s.Cases[i]
	}
	return sm
}

// ScoreAll adds semantic_similarity to the scores of every answered result whose case
// has a reference and that has no such score yet. It stops at the first request that
// fails (after retries) and returns how many results it scored and that error; the
// results it did not score keep their other scores.
func (sm *Similarity) ScoreAll(ctx context.Context, rs []eval.Result) (int, error) {
	var todo []int
	var refs []string
	for i := range rs {
		r := &rs[i]
		c, ok := sm.cases[r.CaseID]
		if !ok || r.Error != "" || strings.TrimSpace(c.Reference) == "" {
			continue
		}
		if _, done := r.Scores[ScoreSemanticSimilarity]; done {
			continue
		}
		todo = append(todo, i)
		if _, ok := sm.refs[c.Reference]; !ok {
			sm.refs[c.Reference] = nil
			refs = append(refs, c.Reference)
		}
	}
	if err := sm.embedReferences(ctx, refs); err != nil {
		return 0, err
	}
	n := 0
	for start := 0; start < len(todo); start += embedBatch {
		batch := todo[start:min(start+embedBatch, len(todo))]
		var texts []string
		for _, i := range batch {
			if a := strings.TrimSpace(rs[i].Answer); a != "" {
				texts = append(texts, a)
			}
		}
		vecs, err := sm.embed(ctx, texts)
		if err != nil {
			return n, err
		}
		k := 0
		for _, i := range batch {
			r := &rs[i]
			sim := 0.0 // an empty answer says nothing of the reference
			if strings.TrimSpace(r.Answer) != "" {
				sim = Cosine(vecs[k], sm.refs[sm.cases[r.CaseID].Reference])
				k++
			}
			if r.Scores == nil {
				r.Scores = map[string]float64{}
			}
			r.Scores[ScoreSemanticSimilarity] = sim
			n++
		}
	}
	return n, nil
}

// embedReferences embeds the references not embedded yet.
func (sm *Similarity) embedReferences(ctx context.Context, refs []string) error {
	for start := 0; start < len(refs); start += embedBatch {
		batch := refs[start:min(start+embedBatch, len(refs))]
		vecs, err := sm.embed(ctx, batch)
		if err != nil {
			for _, ref := range refs[start:] {
				delete(sm.refs, ref) // to be tried again by the next ScoreAll
			}
			return err
		}
		for i, ref := range batch {
			sm.refs[ref] = vecs[i]
		}
	}
	return nil
}

// embed embeds texts in one request, with retries.
func (sm *Similarity) embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	vecs, err := retry(ctx, sm.Retries, sm.Backoff, func(ctx context.Context) ([][]float32, error) {
		if sm.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, sm.Timeout)
			defer cancel()
		}
		return sm.Embedder.Embed(ctx, sm.Model, texts)
	})
	if err == nil && len(vecs) != len(texts) {
		err = fmt.Errorf("embed with %s: %d embeddings for %d texts", sm.Model, len(vecs), len(texts))
	}
	return vecs, err
}

// Cosine is the cosine similarity of a and b in 0..1: negative similarities, vectors of
// different lengths and zero vectors count as 0.
func Cosine(a, b []float32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return min(max(dot/math.Sqrt(na*nb), 0), 1)
}
