package scorers

import "math/bits"

// reference is a case's reference answer, indexed for token F1 and ROUGE-L. Both compare
// canonical tokens (see Normalize), so "14 days" and "fourteen days" count as the same two
// tokens. They are scores, not verdicts: a correct answer can be worded very differently.
type reference struct {
	ids    map[string]int32 // token → id
	counts []int32          // occurrences per id
	n      int              // tokens in the reference
	words  int              // 64-bit words per position bitset
	// masks[id*words:(id+1)*words] has bit i set where reference token i has that id, for
	// the bit-parallel LCS.
	masks []uint64
}

func newReference(t *text) *reference {
	if len(t.toks) == 0 {
		return nil
	}
	r := &reference{ids: map[string]int32{}, n: len(t.toks), words: (len(t.toks) + 63) / 64}
	seq := make([]int32, len(t.toks))
	for i := range t.toks {
		id, ok := r.ids[t.toks[i].text]
		if !ok {
			id = int32(len(r.counts))
			r.ids[t.toks[i].text] = id
			r.counts = append(r.counts, 0)
		}
		r.counts[id]++
		seq[i] = id
	}
	r.masks = make([]uint64, len(r.counts)*r.words)
	for i, id := range seq {
		r.masks[int(id)*r.words+i/64] |= 1 << (i % 64)
	}
	return r
}

// scores returns token F1 (bag-of-tokens overlap, as in SQuAD) and ROUGE-L F1 (longest
// common subsequence) of the answer against the reference, both in 0..1.
func (r *reference) scores(t *text) (f1, rougeL float64) {
	if len(t.toks) == 0 {
		return 0, 0
	}
	used := make([]int32, len(r.counts))
	v := make([]uint64, r.words)
	for i := range v {
		v[i] = ^uint64(0)
	}
	overlap := 0
	for i := range t.toks {
		id, ok := r.ids[t.toks[i].text]
		if !ok {
			continue
		}
		if used[id] < r.counts[id] {
			used[id]++
			overlap++
		}
		lcsStep(v, r.masks[int(id)*r.words:int(id+1)*r.words])
	}
	lcs := 0
	for i, w := range v {
		z := ^w
		if i == len(v)-1 && r.n%64 != 0 {
			z &= 1<<(r.n%64) - 1
		}
		lcs += bits.OnesCount64(z)
	}
	return fScore(overlap, len(t.toks), r.n), fScore(lcs, len(t.toks), r.n)
}

// lcsStep advances the bit-parallel LCS of Allison–Dix and Hyyrö by one symbol of the
// answer: V' = (V + (V & M)) | (V & ^M), with the addition carried across words. After the
// last symbol, the zero bits of V (within the reference length) count the LCS.
func lcsStep(v, m []uint64) {
	var carry uint64
	for i := range v {
		u := v[i] & m[i]
		sum, c := bits.Add64(v[i], u, carry)
		carry = c
		v[i] = sum | (v[i] &^ m[i])
	}
}

// fScore is the harmonic mean of precision (hits/got) and recall (hits/want).
func fScore(hits, got, want int) float64 {
	if hits == 0 || got == 0 || want == 0 {
		return 0
	}
	p, r := float64(hits)/float64(got), float64(hits)/float64(want)
	return 2 * p * r / (p + r)
}
