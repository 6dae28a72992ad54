package gguf

import (
	"container/heap"
	"fmt"
	"strings"
	"unicode/utf8"
)

// spmTokenize is a test copy of llama.cpp's SentencePiece tokenizer
// (llm_tokenizer_spm_session): split into characters, repeatedly merge the adjacent
// pair whose concatenation is the highest-scoring token (leftmost on ties), and fall
// back to byte tokens for what is left over. It adds the space prefix but no BOS.
func spmTokenize(v *Vocab, text string) []int {
	text = strings.ReplaceAll(" "+text, " ", WordStart)
	type sym struct{ start, n, prev, next int }
	var syms []sym
	for off := 0; off < len(text); {
		_, n := utf8.DecodeRuneInString(text[off:])
		syms = append(syms, sym{start: off, n: n, prev: len(syms) - 1, next: len(syms) + 1})
		off += n
	}
	if len(syms) == 0 {
		return nil
	}
	syms[len(syms)-1].next = -1

	q := &spmPairs{}
	try := func(l, r int) {
		if l < 0 || r < 0 {
			return
		}
		s := text[syms[l].start : syms[r].start+syms[r].n]
		if id, ok := v.ID(s); ok {
			heap.Push(q, spmPair{left: l, right: r, score: v.Scores[id], size: len(s)})
		}
	}
	for i := 1; i < len(syms); i++ {
		try(i-1, i)
	}
	for q.Len() > 0 {
		b := heap.Pop(q).(spmPair)
		l, r := &syms[b.left], &syms[b.right]
		if l.n == 0 || r.n == 0 || l.n+r.n != b.size {
			continue
		}
		l.n += r.n
		r.n = 0
		l.next = r.next
		if r.next >= 0 {
			syms[r.next].prev = b.left
		}
		try(l.prev, b.left)
		try(b.left, l.next)
	}

	var out []int
	for i := 0; i != -1; i = syms[i].next {
		s := text[syms[i].start : syms[i].start+syms[i].n]
		if id, ok := v.ID(s); ok {
			out = append(out, id)
			continue
		}
		for j := 0; j < len(s); j++ {
			id, _ := v.ID(fmt.Sprintf("<0x%02X>", s[j]))
			out = append(out, id)
		}
	}
	return out
}

type spmPair struct {
	left, right, size int
	score             float32
}

// spmPairs is a max-heap by score, then by leftmost position.
type spmPairs []spmPair

func (h spmPairs) Len() int { return len(h) }
func (h spmPairs) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score > h[j].score
	}
	return h[i].left < h[j].left
}
func (h spmPairs) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *spmPairs) Push(x any)   { *h = append(*h, x.(spmPair)) }
func (h *spmPairs) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
