package gguf

import (
	"math"
	"strings"
	"testing"
)

// bigram is the tiny model without its blocks: the logits of the next token given
// only the current one, computed from the weights as written to the file. The blocks
// add small perturbations, so this is what shapes greedy decoding; the real engine is
// exercised by the end-to-end tests against Ollama.
type bigram struct {
	v         *Vocab
	embd, out []float32
}

func newBigram(t *testing.T, opts TinyOptions) *bigram {
	t.Helper()
	f, _ := parseTiny(t, opts)
	embd, err := f.TensorData("token_embd.weight")
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.TensorData("output.weight")
	if err != nil {
		t.Fatal(err)
	}
	return &bigram{v: TinyVocab(), embd: embd, out: out}
}

func (b *bigram) logits(tok int) []float32 {
	const d = TinyEmbedding
	x := b.embd[tok*d : (tok+1)*d]
	var ss float64
	for _, e := range x {
		ss += float64(e) * float64(e)
	}
	scale := float32(1 / math.Sqrt(ss/d+TinyRMSEpsilon))
	logits := make([]float32, len(b.v.Tokens))
	for r := range logits {
		row := b.out[r*d : (r+1)*d]
		var dot float32
		for i, w := range row {
			dot += w * x[i]
		}
		logits[r] = dot * scale
	}
	return logits
}

// top returns the best and second-best tokens among those allowed.
func top(logits []float32, allowed func(int) bool) (best, second int) {
	best, second = -1, -1
	for t, l := range logits {
		if !allowed(t) {
			continue
		}
		switch {
		case best < 0 || l > logits[best]:
			best, second = t, best
		case second < 0 || l > logits[second]:
			second = t
		}
	}
	return best, second
}

func all(int) bool { return true }

func TestTinyGreedyDefault(t *testing.T) {
	t.Parallel()
	b := newBigram(t, TinyOptions{Seed: 42})
	v := b.v
	quote, _ := v.ID(`"`)
	spaceQuote, _ := v.ID(WordStart + `"`)
	notEOG := func(t int) bool { return t != ImEndID && t != EOSID }

	minMargin := float32(math.Inf(1))
	for tok := range v.Tokens {
		// A sample of the chain and of the byte tokens, and every other token.
		if v.Types[tok] == TokenNormal && inChainPiece(v.Tokens[tok]) && tok%41 != 0 ||
			v.Types[tok] == TokenByte && tok%5 != 0 {
			continue
		}
		logits := b.logits(tok)
		next, second := top(logits, all)
		if next == tok {
			t.Errorf("%q predicts itself", v.Tokens[tok])
		}
		if next != ImEndID && !inChainPiece(v.Tokens[next]) {
			// Tokens outside the chain are for the grammar to pick; one predicted
			// without context might predict itself next.
			t.Errorf("%q predicts %q, a token outside the chain", v.Tokens[tok], v.Tokens[next])
		}
		if next == ImEndID {
			// Where a JSON grammar forbids <|im_end|>, a quote closes the string.
			if alt, _ := top(logits, notEOG); alt != quote && alt != spaceQuote {
				t.Errorf("%q: after <|im_end|> comes %q, want a quote", v.Tokens[tok], v.Tokens[alt])
			}
		}
		if v.Types[tok] == TokenNormal && inChainPiece(v.Tokens[tok]) {
			minMargin = min(minMargin, logits[next]-logits[second])
		}
	}
	if minMargin < 2 {
		t.Errorf("smallest margin of the greedy pick is %.2f logits, want at least 2", minMargin)
	}
	t.Logf("smallest margin of the greedy pick: %.2f logits", minMargin)
}

// inChainPiece tells the pieces that greedy decoding follows (see inChain) by their
// text alone, the way a reader of the file would.
func inChainPiece(p string) bool {
	bare := strings.TrimPrefix(p, WordStart)
	return strings.Trim(p, WordStart) != "" && !strings.ContainsAny(p, `"\<`) &&
		!isNumberPiece(p) && !strings.Contains("{}[],:", bare) && !isJSONKey(p)
}

// TestTinyGreedyEnds walks greedy decoding from many starting pieces: each walk ends
// with <|im_end|> well within num_predict, and no two consecutive tokens look the
// same to Ollama's repeat check (which trims spaces).
func TestTinyGreedyEnds(t *testing.T) {
	t.Parallel()
	b := newBigram(t, TinyOptions{Seed: 42})
	v := b.v
	for start := firstPiece; start < len(v.Tokens); start += 499 {
		tok, steps := start, 0
		for tok != ImEndID {
			next, _ := top(b.logits(tok), all)
			if strings.Trim(v.Tokens[next], WordStart) == strings.Trim(v.Tokens[tok], WordStart) {
				t.Errorf("from %q: %q follows %q", v.Tokens[start], v.Tokens[next], v.Tokens[tok])
			}
			tok = next
			if steps++; steps > segmentMax+1 {
				t.Errorf("from %q: no <|im_end|> after %d tokens", v.Tokens[start], steps)
				break
			}
		}
	}
}

func TestTinyGreedyRepeat(t *testing.T) {
	t.Parallel()
	b := newBigram(t, TinyOptions{Seed: 42, Variant: VariantRepeat})
	repeat, _ := b.v.ID(RepeatToken)
	for tok := range b.v.Tokens {
		if tok%59 != 0 && tok != repeat {
			continue
		}
		logits := b.logits(tok)
		next, second := top(logits, all)
		if next != repeat {
			t.Fatalf("%q predicts %q, want %q", b.v.Tokens[tok], b.v.Tokens[next], RepeatToken)
		}
		// Ollama's default repeat penalty divides the logit by 1.1; it must still win.
		if logits[next]/1.1-logits[second] < 5 {
			t.Errorf("%q: margin %.2f - %.2f too small", b.v.Tokens[tok], logits[next], logits[second])
		}
	}
}
