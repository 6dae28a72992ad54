package gguf

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenType is the SentencePiece token type stored in tokenizer.ggml.token_type.
type TokenType int32

// The token types of llama.cpp's SentencePiece vocabulary.
const (
	TokenNormal      TokenType = 1
	TokenUnknown     TokenType = 2
	TokenControl     TokenType = 3
	TokenUserDefined TokenType = 4
	TokenUnused      TokenType = 5
	TokenByte        TokenType = 6
)

// WordStart is SentencePiece's word-start marker, U+2581, which stands for the space
// before a word.
const WordStart = "▁"

// Ids of the special tokens of the tiny model's vocabulary.
const (
	UnknownID  = 0
	BOSID      = 1
	EOSID      = 2
	ImStartID  = 3 + 256
	ImEndID    = 4 + 256
	firstPiece = 5 + 256
)

// Special token texts of the tiny model's vocabulary.
const (
	ImStart = "<|im_start|>"
	ImEnd   = "<|im_end|>"
)

// capitalizedWords is how many of the first English words also get a capitalised
// piece: enough for the words that start sentences and headings.
//
// The vocabulary's size is a trade-off. Ollama reads the whole vocabulary on every
// request and llama.cpp scores every token at every step, which cost about 1 ms per
// request and 0.05 ms per generated token for each thousand tokens; a shorter prompt
// saves more than that on long prompts, whose evaluation grows faster than linearly.
// At about 9,000 tokens a support article takes one token per 4.2 characters; 15,000
// tokens gained only 10% more.
const capitalizedWords = 300

// Vocab is a SentencePiece vocabulary: token texts with their scores and types,
// indexed by token id.
type Vocab struct {
	Tokens []string
	Scores []float32
	Types  []TokenType
	ids    map[string]int
}

// ID returns the id of the token with the given text.
func (v *Vocab) ID(text string) (int, bool) {
	id, ok := v.ids[text]
	return id, ok
}

func (v *Vocab) add(text string, score float32, typ TokenType) {
	if _, dup := v.ids[text]; dup || text == "" {
		return
	}
	v.ids[text] = len(v.Tokens)
	v.Tokens = append(v.Tokens, text)
	v.Scores = append(v.Scores, score)
	v.Types = append(v.Types, typ)
}

// addPiece adds a normal piece together with all its shorter prefixes (by rune).
// llama.cpp's SentencePiece tokenizer builds a piece only by merging two adjacent
// symbols that are themselves tokens, so a word whose prefixes are missing would be
// unreachable and come out as letters.
func (v *Vocab) addPiece(p string) {
	for i := range p {
		if i > 0 {
			v.addScored(p[:i])
		}
	}
	v.addScored(p)
}

// addScored adds a normal piece scored by its length, so that the tokenizer, which
// merges the highest-scoring pair first, prefers long pieces.
func (v *Vocab) addScored(p string) {
	v.add(p, float32(utf8.RuneCountInString(p)), TokenNormal)
}

// TinyVocab returns the tiny model's vocabulary: <unk>, <s>, </s>, the 256 byte
// tokens, the ChatML control tokens, then single characters with and without the
// word-start marker, and the word pieces of words.go. It is the same on every call.
func TinyVocab() *Vocab {
	v := &Vocab{ids: map[string]int{}}
	v.add("<unk>", 0, TokenUnknown)
	v.add("<s>", 0, TokenControl)
	v.add("</s>", 0, TokenControl)
	for b := 0; b < 256; b++ {
		v.add(fmt.Sprintf("<0x%02X>", b), 0, TokenByte)
	}
	v.add(ImStart, 0, TokenControl)
	v.add(ImEnd, 0, TokenControl)

	// Runs of spaces (indentation) and every printable character, alone and as the
	// start of a word.
	for _, p := range []string{WordStart, WordStart + WordStart, WordStart + WordStart + WordStart, strings.Repeat(WordStart, 4)} {
		v.addScored(p)
	}
	for r := rune('!'); r <= '~'; r++ {
		v.addScored(string(r))
		v.addScored(WordStart + string(r))
	}
	for _, r := range "àáâäçèéêëìíîïñòóôöùúûüßœæ¿¡€£°–—‘’“”…" {
		v.addScored(string(r))
		v.addScored(WordStart + string(r))
	}

	// Numbers up to 100 and some years and amounts as whole pieces.
	for n := 0; n <= 100; n++ {
		v.addPiece(fmt.Sprint(WordStart, n))
	}
	for _, n := range []int{120, 150, 200, 250, 300, 365, 400, 500, 1000, 2020, 2021, 2022, 2023, 2024, 2025, 2026} {
		v.addPiece(fmt.Sprint(WordStart, n))
	}

	english := strings.Fields(englishWords)
	for i, w := range english {
		v.addPiece(WordStart + w)
		if i < capitalizedWords {
			v.addPiece(WordStart + capitalize(w))
		}
	}
	for _, w := range strings.Fields(supportWords) {
		v.addPiece(WordStart + w)
		v.addPiece(WordStart + capitalize(w))
	}
	for _, w := range strings.Fields(foreignWords) {
		v.addPiece(WordStart + w)
		v.addPiece(WordStart + capitalize(w))
	}
	for _, w := range strings.Fields(subwordPieces) {
		v.addPiece(w)
	}
	for _, w := range strings.Fields(jsonKeys) {
		v.addPiece(w)
	}
	return v
}

func capitalize(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}
