package gguf

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// The tiny model's hyper-parameters.
const (
	TinyEmbedding     = 64
	TinyBlocks        = 2
	TinyFeedForward   = 128
	TinyHeads         = 4
	TinyKVHeads       = 2
	TinyHeadSize      = TinyEmbedding / TinyHeads
	TinyContextLength = 32768
	TinyRopeFreqBase  = 10000
	TinyRMSEpsilon    = 1e-5
)

// Variant selects how the tiny model's greedy output behaves.
type Variant string

const (
	// VariantDefault answers with a stream of word pieces that never repeats a token
	// twice in a row and ends with <|im_end|> after a few dozen tokens at most.
	VariantDefault Variant = "default"
	// VariantRepeat answers with one token over and over, so that Ollama stops it after
	// 30 repeats and reports done: false; tests use it to provoke a truncated answer.
	VariantRepeat Variant = "repeat"
)

// Variants returns the variants Tiny builds.
func Variants() []Variant { return []Variant{VariantDefault, VariantRepeat} }

// TinyOptions selects the weights of a tiny model.
type TinyOptions struct {
	Seed    uint64
	Variant Variant // "" means VariantDefault
}

// The output shaping (see shapeOutput) reserves two residual dimensions: one that is
// non-zero only for the last token of a chain segment, and one that is constant, so
// that an output row can carry a per-token bias.
const (
	endDim  = 0
	biasDim = 1
	freeDim = 2 // first dimension of a token's own random direction
)

// Magnitudes of the output shaping, chosen so that the intended token wins the greedy
// pick by a few logits (TestTinyGreedyDefault) and tuned against Ollama: plain chat
// ends by itself, JSON-schema output is valid and short.
const (
	segmentMin   = 8    // shortest run of word pieces before <|im_end|>
	segmentMax   = 32   // longest
	endValue     = 6    // the end dimension of a segment's last token
	biasValue    = 1    // the bias dimension of every token
	chainGain    = 1.6  // logit scale of the "next piece" alignment
	imEndGain    = 4    // end-dimension weight of <|im_end|>
	quoteGain    = 3    // ... of `"`, second choice when <|im_end|> is not allowed
	repeatGain   = 8    // ... of the repeated token in VariantRepeat
	quietScale   = 0.1  // embedding scale of the tokens outside the chain
	attnOutScale = 0.08 // std of attn_output weights: attention is a small perturbation
	ffnOutScale  = 0.03 // std of ffn_down weights
	rowNoise     = 0.1  // std of the output rows of tokens outside the chain
)

// Output biases (logits) of some tokens outside the chain; see outputBias.
const (
	biasSpace  = -4
	biasOther  = -2
	biasSilent = -8 // bytes and control tokens other than <|im_end|>
)

// RepeatToken is the token VariantRepeat generates over and over.
const RepeatToken = WordStart + "order"

// Tiny returns the GGUF file of the tiny model. The same options give the same bytes.
// It panics on an unknown variant.
func Tiny(opts TinyOptions) []byte {
	kvs, tensors := TinyModel(opts)
	var b bytes.Buffer
	if err := Write(&b, kvs, tensors); err != nil {
		panic(fmt.Sprintf("gguf: write tiny model: %v", err))
	}
	return b.Bytes()
}

// TinyModel returns the metadata and tensors that Tiny writes.
func TinyModel(opts TinyOptions) ([]KV, []Tensor) {
	if opts.Variant == "" {
		opts.Variant = VariantDefault
	}
	if !slices.Contains(Variants(), opts.Variant) {
		panic(fmt.Sprintf("gguf: unknown tiny model variant %q", opts.Variant))
	}
	vocab := TinyVocab()
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5b7e4c3d2a190817))
	tensors := tinyWeights(rng, vocab, opts.Variant)
	return tinyMetadata(vocab, opts), tensors
}

func tinyMetadata(v *Vocab, opts TinyOptions) []KV {
	types := make([]int32, len(v.Types))
	for i, t := range v.Types {
		types[i] = int32(t)
	}
	return []KV{
		{"general.architecture", "llama"},
		{"general.name", "supportbench-tiny"},
		{"general.description", fmt.Sprintf("supportbench tiny test model, random weights (variant %s, seed %d); it answers gibberish", opts.Variant, opts.Seed)},
		{"general.file_type", uint32(1)}, // mostly F16
		{"llama.vocab_size", uint32(len(v.Tokens))},
		{"llama.context_length", uint32(TinyContextLength)},
		{"llama.embedding_length", uint32(TinyEmbedding)},
		{"llama.block_count", uint32(TinyBlocks)},
		{"llama.feed_forward_length", uint32(TinyFeedForward)},
		{"llama.attention.head_count", uint32(TinyHeads)},
		{"llama.attention.head_count_kv", uint32(TinyKVHeads)},
		{"llama.attention.layer_norm_rms_epsilon", float32(TinyRMSEpsilon)},
		{"llama.rope.dimension_count", uint32(TinyHeadSize)},
		{"llama.rope.freq_base", float32(TinyRopeFreqBase)},
		{"tokenizer.ggml.model", "llama"},
		{"tokenizer.ggml.tokens", v.Tokens},
		{"tokenizer.ggml.scores", v.Scores},
		{"tokenizer.ggml.token_type", types},
		{"tokenizer.ggml.bos_token_id", uint32(BOSID)},
		{"tokenizer.ggml.eos_token_id", uint32(EOSID)},
		// llama.cpp ends generation at <|im_end|> by its text; Ollama's own engine
		// only at the tokens listed here, and its JSON grammar allows any other
		// token whose text is empty, as a control token's is.
		{"tokenizer.ggml.eos_token_ids", []int32{ImEndID}},
		{"tokenizer.ggml.unknown_token_id", uint32(UnknownID)},
		{"tokenizer.ggml.add_bos_token", true},
		{"tokenizer.ggml.add_eos_token", false},
	}
}

// tinyWeights draws all tensors, in file order, from rng.
func tinyWeights(rng *rand.Rand, v *Vocab, variant Variant) []Tensor {
	const d, ff, kv = TinyEmbedding, TinyFeedForward, TinyKVHeads * TinyHeadSize
	n := len(v.Tokens)
	chain := newChain(rng, v)

	embd := make([]float32, n*d)
	for t := range n {
		row := embd[t*d : (t+1)*d]
		// Tokens outside the chain get quiet embeddings, so that what follows them
		// depends on the context (through attention) more than on the token itself.
		scale := 1.0
		if !chain.member(t) {
			scale = quietScale
		}
		for i := freeDim; i < d; i++ {
			row[i] = float32(rng.NormFloat64() * scale)
		}
		row[biasDim] = biasValue
		if chain.end[t] || variant == VariantRepeat {
			row[endDim] = endValue
		}
	}

	ones := func() []float32 {
		w := make([]float32, d)
		for i := range w {
			w[i] = 1
		}
		return w
	}
	tensors := []Tensor{{Name: "token_embd.weight", Type: TensorF16, Shape: []uint64{d, uint64(n)}, Data: embd}}
	for b := range TinyBlocks {
		p := fmt.Sprintf("blk.%d.", b)
		tensors = append(tensors,
			Tensor{Name: p + "attn_norm.weight", Type: TensorF32, Shape: []uint64{d}, Data: ones()},
			matrix(rng, p+"attn_q.weight", d, d, 0.2),
			matrix(rng, p+"attn_k.weight", d, kv, 0.2),
			matrix(rng, p+"attn_v.weight", d, kv, 1/math.Sqrt(d)),
			residualMatrix(rng, p+"attn_output.weight", d, d, attnOutScale),
			Tensor{Name: p + "ffn_norm.weight", Type: TensorF32, Shape: []uint64{d}, Data: ones()},
			matrix(rng, p+"ffn_gate.weight", d, ff, 1/math.Sqrt(d)),
			matrix(rng, p+"ffn_up.weight", d, ff, 1/math.Sqrt(d)),
			residualMatrix(rng, p+"ffn_down.weight", ff, d, ffnOutScale),
		)
	}
	return append(tensors,
		Tensor{Name: "output_norm.weight", Type: TensorF32, Shape: []uint64{d}, Data: ones()},
		Tensor{Name: "output.weight", Type: TensorF16, Shape: []uint64{d, uint64(n)}, Data: shapeOutput(rng, v, chain, embd, variant)},
	)
}

// matrix returns an F16 weight mapping in inputs to out outputs with N(0, std²) entries.
func matrix(rng *rand.Rand, name string, in, out int, std float64) Tensor {
	w := make([]float32, in*out)
	for i := range w {
		w[i] = float32(rng.NormFloat64() * std)
	}
	return Tensor{Name: name, Type: TensorF16, Shape: []uint64{uint64(in), uint64(out)}, Data: w}
}

// residualMatrix is a matrix whose output is added to the residual stream: it never
// writes the reserved end and bias dimensions, so that only the token embeddings
// decide when <|im_end|> comes and what the biases are.
func residualMatrix(rng *rand.Rand, name string, in, out int, std float64) Tensor {
	t := matrix(rng, name, in, out, std)
	clear(t.Data[endDim*in : (endDim+1)*in])
	clear(t.Data[biasDim*in : (biasDim+1)*in])
	return t
}

// chain is the path greedy decoding follows: the word pieces in a seeded random cycle,
// cut into segments whose last token is followed by <|im_end|>.
type chain struct {
	prev []int  // prev[t] is the token before t in the cycle, or -1 if t is not in it
	end  []bool // end[t] reports whether t is the last token of a segment
}

// inChain reports whether greedy decoding may produce the piece on its own: not
// whitespace (Ollama compares tokens with spaces trimmed when it looks for repeats),
// no quote or backslash (so JSON strings end only where we want), no '<' (it could
// start a stop sequence or a tool-call tag), and neither JSON punctuation nor a
// piece of a number. Those are left to the biases and the context, which the JSON
// grammar picks among (see outputBias).
func inChain(v *Vocab, t int) bool {
	p := v.Tokens[t]
	return v.Types[t] == TokenNormal &&
		strings.Trim(p, WordStart) != "" &&
		!strings.ContainsAny(p, `"\<`) &&
		!isNumberPiece(p) &&
		!strings.Contains("{}[],:", strings.TrimPrefix(p, WordStart)) &&
		!isJSONKey(p)
}

func isJSONKey(p string) bool {
	return slices.Contains(strings.Fields(jsonKeys), p)
}

// isNumberPiece reports whether p can only occur in a JSON number: digits, a sign, a
// decimal point or an exponent letter, with or without the word-start marker.
func isNumberPiece(p string) bool {
	switch p = strings.TrimPrefix(p, WordStart); p {
	case "":
		return false
	case ".", "-", "+", "e", "E":
		return true
	}
	return strings.Trim(p, "0123456789") == ""
}

func (c *chain) member(t int) bool { return c.prev[t] >= 0 }

func newChain(rng *rand.Rand, v *Vocab) *chain {
	c := &chain{prev: make([]int, len(v.Tokens)), end: make([]bool, len(v.Tokens))}
	var order []int
	for t := range v.Tokens {
		c.prev[t] = -1
		if inChain(v, t) {
			order = append(order, t)
		}
	}
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for i, t := range order {
		c.prev[order[(i+1)%len(order)]] = t
	}
	for i := -1; ; {
		i += segmentMin + rng.IntN(segmentMax-segmentMin+1)
		if i >= len(order) {
			break
		}
		c.end[order[i]] = true
	}
	return c
}

// shapeOutput builds output.weight so that greedy decoding follows the chain. With
// small attention and feed-forward outputs the final hidden state is close to the
// current token's embedding, so the row of token s is the direction of the embedding
// of the token before s in the chain: that row wins the argmax. The last token of a
// segment also has a large end dimension, which the rows of <|im_end|> and, a little
// less, `"` pick up: plain chat stops there and a JSON string closes there. The bias
// dimension keeps bytes, control tokens and whitespace out of the way.
//
// VariantRepeat puts the end dimension into every embedding and gives it only to
// RepeatToken's row, so that token always wins.
func shapeOutput(rng *rand.Rand, v *Vocab, c *chain, embd []float32, variant Variant) []float32 {
	const d = TinyEmbedding
	out := make([]float32, len(v.Tokens)*d)
	for t := range v.Tokens {
		row := out[t*d : (t+1)*d]
		if p := c.prev[t]; p >= 0 {
			dir := embd[p*d+freeDim : (p+1)*d]
			var norm float64
			for _, x := range dir {
				norm += float64(x) * float64(x)
			}
			scale := chainGain / math.Sqrt(norm)
			for i, x := range dir {
				row[freeDim+i] = float32(float64(x) * scale)
			}
			continue
		}
		row[biasDim] = float32(outputBias(v, t))
		if v.Types[t] == TokenNormal {
			// A little noise, so that which of several equally biased pieces the
			// grammar gets (which digit, say) depends on the context.
			for i := freeDim; i < d; i++ {
				row[i] = float32(rng.NormFloat64() * rowNoise)
			}
		}
	}

	set := func(text string, gain float32) {
		id, _ := v.ID(text)
		out[id*d+endDim] = gain
	}
	if variant == VariantRepeat {
		set(RepeatToken, repeatGain)
		return out
	}
	set(ImEnd, imEndGain)
	set(`"`, quoteGain)
	set(WordStart+`"`, quoteGain-0.5)
	return out
}

// outputBias is the logit bias of a token outside the chain, before the RMS norm
// scales it (by about 1 after a word piece, 3 after a quiet token with its context,
// 6 after a quiet token alone). None is positive: after a quiet token with little
// context the biases are most of the prediction, and a piece favoured above the chain
// would follow itself. Where a JSON grammar leaves the choice to these tokens, they
// make compact JSON: a quote rather than whitespace, key names in one piece, objects
// that end rather than go on, and numbers such as 0.5 (a leading " 0", a decimal
// point, a digit, then the end; never an exponent, which could overflow a float64).
func outputBias(v *Vocab, t int) float64 {
	p := v.Tokens[t]
	bare := strings.TrimPrefix(p, WordStart)
	spaced := bare != p
	digit := len(bare) == 1 && bare[0] >= '0' && bare[0] <= '9'
	switch {
	case t == ImEndID:
		return 0
	case v.Types[t] != TokenNormal:
		return biasSilent
	case strings.Trim(p, WordStart) == "":
		return biasSpace
	case p == ".", p == WordStart+"0", isJSONKey(p):
		return 0
	case bare == `"`:
		return ifSpaced(spaced, 0)
	case bare == "}" || bare == "]": // rather than "," where the grammar allows both
		return ifSpaced(spaced, -0.5)
	case bare == "," || bare == ":":
		return ifSpaced(spaced, -1)
	case digit:
		return ifSpaced(spaced, -2)
	case isNumberPiece(p) && strings.Trim(bare, "0123456789") == "":
		return -3 // digit groups
	case isNumberPiece(p):
		return biasSilent // signs, exponents, " ."
	}
	return biasOther
}

// ifSpaced lowers the bias of a piece with a word-start marker, so that JSON stays
// compact.
func ifSpaced(spaced bool, bias float64) float64 {
	if spaced {
		return bias - 0.5
	}
	return bias
}
