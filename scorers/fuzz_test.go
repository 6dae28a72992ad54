package scorers

import (
	"testing"

	"github.com/supportbench/supportbench/eval"
)

// FuzzScore checks that no answer text makes a scorer panic or leave 0..1.
func FuzzScore(f *testing.F) {
	for _, s := range benchAnswers {
		f.Add(s)
	}
	for _, s := range []string{"", "€", "1.", "9h", "#", "@", "http://", "NL91 ", "24/", "3 -", "Ærø 😀 中文 עברית",
		"I'm not a", "code: ", "ﬁ\u0301\u200b", "4111 1111 1111 1111", "+31 (0)20-555.1234", "01/02/2024-03-04"} {
		f.Add(s)
	}
	s := benchSuite()
	s.Cases[0].Tags = []string{"prompt-injection", "ai-disclosure"}
	set := New(s)
	c := &s.Cases[0]
	f.Fuzz(func(t *testing.T, text string) {
		v := set.Score(c, &eval.Answer{Text: text})
		for k, x := range v.Scores {
			if x < 0 || x > 1 {
				t.Errorf("score %s = %v", k, x)
			}
		}
		Normalize(text)
	})
}
