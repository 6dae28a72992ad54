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

// FuzzClaims checks the claim extractor on any text: no panic, and every claim a
// non-empty span of the text with a kind and a key. Run it with:
//
//	go test ./scorers -run '^$' -fuzz '^FuzzClaims$' -fuzztime 30s
func FuzzClaims(f *testing.F) {
	for _, s := range benchAnswers {
		f.Add(s, false)
	}
	for _, s := range []string{
		"Return within 30 days or 3-5 business days, two weeks or 48 hours.", "It costs €4.95, $10 or 15 euros; EUR 20 too.",
		"On 1 March, March 2nd 2024 or 2024-03-01, from 9:00 to 17:30, or 5pm.",
		"See https://northwind.example/returns/. Mail support@northwind.example or call +31 20 555 1234.",
		"Order NW-123456, tracking 1Z999AA10123456784, ticket #4821.", "NL91 ABNA 0417 1643 00", "4111 1111 1111 1111",
		"Our Care+ Extended Warranty and Northwind Plus are great.", "Ihre Rücksendung Frist ist kurz. Mit Care+ Schutz.",
		"@@@..://##--", "1.2.3.4.5.6.7.8.9.0", "+++++1", "a@b", "http://[::1]:80/x?y=1#z", "\xff\xfe\x00", "ﬁ\u0301\u200b İ ß ẞ",
		"30-30-30-30 days", "2024-13-45 25:61", "dreißig Tage", "€€€1,000,000.00.00",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, german bool) {
		tx := analyse(s)
		for _, c := range extractClaims(tx, german) {
			if c.kind < cMoney || c.kind > cPhrase || c.key == "" || c.text == "" {
				t.Fatalf("claim %+v: no kind, key or text", c)
			}
			if c.start < 0 || c.start > c.end || int(c.end) > len(tx.raw) {
				t.Fatalf("claim %+v: span outside the text (%d bytes)", c, len(tx.raw))
			}
		}
	})
}
