package gguf

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseTiny generates and parses a tiny model.
func parseTiny(t *testing.T, opts TinyOptions) (*File, []byte) {
	t.Helper()
	b := Tiny(opts)
	f, err := Parse(b)
	if err != nil {
		t.Fatalf("parse tiny model %+v: %v", opts, err)
	}
	return f, b
}

func TestTinyHeader(t *testing.T) {
	t.Parallel()
	_, b := parseTiny(t, TinyOptions{Seed: 42})
	if string(b[:4]) != "GGUF" {
		t.Errorf("magic %q", b[:4])
	}
	if v := uint32(b[4]) | uint32(b[5])<<8 | uint32(b[6])<<16 | uint32(b[7])<<24; v != 3 {
		t.Errorf("version %d, want 3", v)
	}
	if len(b) > 4<<20 {
		t.Errorf("file is %d bytes; keep it small", len(b))
	}
}

func TestTinyMetadata(t *testing.T) {
	t.Parallel()
	f, _ := parseTiny(t, TinyOptions{Seed: 42})
	n := uint32(len(TinyVocab().Tokens))

	// The keys without which Ollama fails to load the model, and the ones whose
	// defaults differ between its two engines (see shared/docs/ollama-dev.md).
	tests := []struct {
		key  string
		want any
	}{
		{"general.architecture", "llama"},
		{"general.file_type", uint32(1)},
		{"llama.context_length", uint32(32768)},
		{"llama.embedding_length", uint32(64)},
		{"llama.block_count", uint32(2)},
		{"llama.feed_forward_length", uint32(128)},
		{"llama.attention.head_count", uint32(4)},
		{"llama.attention.head_count_kv", uint32(2)},
		{"llama.attention.layer_norm_rms_epsilon", float32(1e-5)},
		{"llama.rope.dimension_count", uint32(16)},
		{"llama.rope.freq_base", float32(10000)},
		{"llama.vocab_size", n},
		{"tokenizer.ggml.model", "llama"},
		{"tokenizer.ggml.bos_token_id", uint32(1)},
		{"tokenizer.ggml.eos_token_id", uint32(2)},
		{"tokenizer.ggml.eos_token_ids", []int32{ImEndID}},
		{"tokenizer.ggml.unknown_token_id", uint32(0)},
		{"tokenizer.ggml.add_bos_token", true},
	}
	for _, tt := range tests {
		if got := f.Value(tt.key); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.key, got, tt.want)
		}
	}

	tokens, _ := f.Value("tokenizer.ggml.tokens").([]string)
	scores, _ := f.Value("tokenizer.ggml.scores").([]float32)
	types, _ := f.Value("tokenizer.ggml.token_type").([]int32)
	if uint32(len(tokens)) != n || uint32(len(scores)) != n || uint32(len(types)) != n {
		t.Fatalf("tokenizer arrays: %d tokens, %d scores, %d types; want %d of each", len(tokens), len(scores), len(types), n)
	}
	if f.Value("llama.pooling_type") != nil {
		t.Error("llama.pooling_type is set: Ollama would treat the model as embedding-only")
	}
	seen := map[string]bool{}
	for _, kv := range f.Metadata {
		if seen[kv.Key] {
			t.Errorf("duplicate key %s", kv.Key)
		}
		seen[kv.Key] = true
	}
}

func TestTinyVocab(t *testing.T) {
	t.Parallel()
	v := TinyVocab()
	if n := len(v.Tokens); n < 3000 || n > 12000 {
		t.Errorf("%d tokens: want a few thousand", n)
	}
	special := []struct {
		id   int
		text string
		typ  TokenType
	}{
		{UnknownID, "<unk>", TokenUnknown},
		{BOSID, "<s>", TokenControl},
		{EOSID, "</s>", TokenControl},
		{3, "<0x00>", TokenByte},
		{3 + 0x0a, "<0x0A>", TokenByte},
		{3 + 0xff, "<0xFF>", TokenByte},
		{ImStartID, ImStart, TokenControl},
		{ImEndID, ImEnd, TokenControl},
	}
	for _, s := range special {
		if v.Tokens[s.id] != s.text || v.Types[s.id] != s.typ {
			t.Errorf("token %d = %q type %d, want %q type %d", s.id, v.Tokens[s.id], v.Types[s.id], s.text, s.typ)
		}
	}

	seen := map[string]bool{}
	for id, tok := range v.Tokens {
		if seen[tok] {
			t.Errorf("duplicate token %q", tok)
		}
		seen[tok] = true
		if got, _ := v.ID(tok); got != id {
			t.Errorf("ID(%q) = %d, want %d", tok, got, id)
		}
		if v.Types[id] == TokenNormal && v.Scores[id] != float32(utf8.RuneCountInString(tok)) {
			t.Errorf("score of %q is %v, want its length", tok, v.Scores[id])
		}
		if v.Types[id] == TokenByte && !strings.HasPrefix(tok, "<0x") {
			t.Errorf("byte token %q", tok)
		}
	}
	for _, p := range []string{"a", "▁a", "Z", "▁Z", "7", "▁7", `"`, `▁"`, "{", "}", "?", "▁", "é", "▁order", "▁refund", "▁Password", "▁bestelling", "▁Rückerstattung", "▁reembolso", "▁remboursement", "answer", "escalate"} {
		if _, ok := v.ID(p); !ok {
			t.Errorf("no piece %q", p)
		}
	}
}

// TestTinyVocabTokenizes checks what the word pieces are for: every listed word is
// one token, and support text takes about one token per four characters instead of
// one per character.
func TestTinyVocabTokenizes(t *testing.T) {
	t.Parallel()
	v := TinyVocab()
	for _, list := range []string{englishWords, supportWords, foreignWords} {
		for _, w := range strings.Fields(list) {
			if ids := spmTokenize(v, w); len(ids) != 1 {
				t.Errorf("%q is %d tokens, want 1", w, len(ids))
			}
		}
	}

	article, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		text     string
		minRatio float64 // characters per token
	}{
		{"article", string(article), 3.8},
		{"dutch", "Hallo, ik heb vorige week een bestelling geplaatst maar ik heb nog steeds niets ontvangen. Kunt u mij helpen? Ik wil graag mijn geld terug.", 3},
		{"german", "Guten Tag, mein Paket ist beschädigt angekommen. Ich möchte eine Rückerstattung, bitte.", 3},
		{"spanish", "Hola, quiero devolver mi pedido porque llegó roto. Necesito un reembolso, por favor.", 3},
		{"french", "Bonjour, je n'ai pas reçu ma commande. Je voudrais un remboursement, merci beaucoup.", 3},
	}
	for _, tt := range tests {
		ids := spmTokenize(v, tt.text)
		ratio := float64(len(tt.text)) / float64(len(ids))
		if ratio < tt.minRatio {
			t.Errorf("%s: %d characters in %d tokens (%.2f per token), want at least %.1f per token", tt.name, len(tt.text), len(ids), ratio, tt.minRatio)
		}
	}
}

func TestTinyTensors(t *testing.T) {
	t.Parallel()
	f, b := parseTiny(t, TinyOptions{Seed: 42})
	n := uint64(len(TinyVocab().Tokens))

	type want struct {
		name  string
		typ   TensorType
		shape []uint64
	}
	wants := []want{{"token_embd.weight", TensorF16, []uint64{64, n}}}
	for blk := range 2 {
		p := fmt.Sprintf("blk.%d.", blk)
		wants = append(wants,
			want{p + "attn_norm.weight", TensorF32, []uint64{64}},
			want{p + "attn_q.weight", TensorF16, []uint64{64, 64}},
			want{p + "attn_k.weight", TensorF16, []uint64{64, 32}},
			want{p + "attn_v.weight", TensorF16, []uint64{64, 32}},
			want{p + "attn_output.weight", TensorF16, []uint64{64, 64}},
			want{p + "ffn_norm.weight", TensorF32, []uint64{64}},
			want{p + "ffn_gate.weight", TensorF16, []uint64{64, 128}},
			want{p + "ffn_up.weight", TensorF16, []uint64{64, 128}},
			want{p + "ffn_down.weight", TensorF16, []uint64{128, 64}},
		)
	}
	wants = append(wants,
		want{"output_norm.weight", TensorF32, []uint64{64}},
		want{"output.weight", TensorF16, []uint64{64, n}},
	)

	if len(f.Tensors) != len(wants) {
		t.Fatalf("%d tensors, want %d", len(f.Tensors), len(wants))
	}
	if f.DataOffset%Alignment != 0 {
		t.Errorf("data section at %d, not aligned to %d", f.DataOffset, Alignment)
	}
	var end uint64
	for i, w := range wants {
		got := f.Tensors[i]
		if got.Name != w.name || got.Type != w.typ || !slices.Equal(got.Shape, w.shape) {
			t.Errorf("tensor %d: %s %v %v, want %s %v %v", i, got.Name, got.Type, got.Shape, w.name, w.typ, w.shape)
		}
		if got.Offset%Alignment != 0 || got.Offset < end {
			t.Errorf("tensor %s at offset %d: not aligned or overlapping the previous one (ends at %d)", got.Name, got.Offset, end)
		}
		end = got.Offset + got.Size()
		data, err := f.TensorData(got.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range data {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("tensor %s holds %v", got.Name, x)
			}
		}
	}
	if want := align(f.DataOffset + int64(end)); int64(len(b)) != want {
		t.Errorf("file is %d bytes, want %d", len(b), want)
	}
}

func TestTinyDeterministic(t *testing.T) {
	t.Parallel()
	a := Tiny(TinyOptions{Seed: 42})
	repeat := Tiny(TinyOptions{Seed: 42, Variant: VariantRepeat})
	tests := []struct {
		name string
		a, b []byte
		same bool
	}{
		{"same seed", a, Tiny(TinyOptions{Seed: 42, Variant: VariantDefault}), true},
		{"same seed, repeat", repeat, Tiny(TinyOptions{Seed: 42, Variant: VariantRepeat}), true},
		{"other seed", a, Tiny(TinyOptions{Seed: 43}), false},
		{"other variant", a, repeat, false},
	}
	for _, tt := range tests {
		if got := bytes.Equal(tt.a, tt.b); got != tt.same {
			t.Errorf("%s: files equal %v, want %v", tt.name, got, tt.same)
		}
	}
}

func TestTinyUnknownVariant(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("no panic for an unknown variant")
		}
	}()
	Tiny(TinyOptions{Variant: "chatty"})
}
