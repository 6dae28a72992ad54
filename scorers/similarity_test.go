package scorers

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestReferenceScores(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, ref, answer string
		f1, rougeL        float64
	}{
		{"identical", "return within 30 days", "return within 30 days", 1, 1},
		{"paraphrased number", "return within 30 days", "Return within thirty days!", 1, 1},
		{"disjoint", "return within 30 days", "hello there", 0, 0},
		{"reordered", "a b c d", "d c b a", 1, 0.25},
		{"subset", "a b c d", "a b", 2.0 / 3, 2.0 / 3},
		{"repeats count once per occurrence", "a a b", "a a a", 2.0 / 3, 2.0 / 3},
		{"empty answer", "a b", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f1, rl := newReference(analyse(tt.ref)).scores(analyse(tt.answer))
			if math.Abs(f1-tt.f1) > 1e-9 || math.Abs(rl-tt.rougeL) > 1e-9 {
				t.Errorf("scores = %v, %v; want %v, %v", f1, rl, tt.f1, tt.rougeL)
			}
		})
	}
}

// TestLCSMatchesDynamicProgramming checks the bit-parallel LCS against the textbook one on
// references longer than one 64-bit word.
func TestLCSMatchesDynamicProgramming(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("a b c d e f g h")
	gen := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	for i := 0; i < 200; i++ {
		ref, ans := analyse(gen(1+rng.IntN(200))), analyse(gen(1+rng.IntN(200)))
		_, rl := newReference(ref).scores(ans)
		want := fScore(lcsDP(ref.toks, ans.toks), len(ans.toks), len(ref.toks))
		if math.Abs(rl-want) > 1e-9 {
			t.Fatalf("case %d: rouge_l = %v, want %v", i, rl, want)
		}
	}
}

func lcsDP(a, b []token) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i].text == b[j].text {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
