package scorers

import (
	"regexp"
	"strings"

	"github.com/supportbench/supportbench/eval"
)

// matcher finds one fact alternative or forbidden item in an answer.
type matcher struct {
	item string         // as written in the case
	norm string         // " canonical phrase ", or "" for a pattern
	re   *regexp.Regexp // for /.../ items: case-insensitive, tried on the raw and canonical text
	// lit is set when the pattern is a plain literal: it is then looked for, folded, in the
	// folded and canonical text, without running the expression.
	lit string
	// key is set when a plain item is one amount, duration, percentage, quantity, date or
	// time: an answer claim with the same canonical key states it too, so "two weeks"
	// states "14 days" and "48 hours" states "2 days".
	key string
}

// valueKind reports whether a claim kind is a fact can be matched by value.
func valueKind(k ckind) bool {
	switch k {
	case cMoney, cPercent, cDuration, cQuantity, cDate, cTime:
		return true
	}
	return false
}

// itemKey returns the claim key of an item that is a single value, with at most
// stopwords and "within"-like words around it ("within 14 days"), or "".
func itemKey(item string) string {
	t := analyse(item)
	cs := extractClaims(t, false)
	if len(cs) != 1 || !valueKind(cs[0].kind) {
		return ""
	}
	for i := range t.toks {
		tk := &t.toks[i]
		inside := tk.start >= cs[0].start && tk.end <= cs[0].end
		if !inside && !stopwords[tk.text] && !promiseWords[tk.text] {
			return ""
		}
	}
	return cs[0].key
}

// newMatcher compiles one item. A /.../ item whose expression does not compile is matched
// as literal text, so a typo never makes a case unscorable (the suite loader reports it).
func newMatcher(item string) matcher {
	if expr, ok := eval.IsPattern(item); ok {
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			re = regexp.MustCompile("(?i)" + regexp.QuoteMeta(expr))
		}
		m := matcher{item: item, re: re}
		if literalPattern(expr) {
			m.lit, _ = fold(expr)
		}
		return m
	}
	m := matcher{item: item, norm: normPhrase(item), key: itemKey(item)}
	if m.norm == "" { // punctuation only: compare as written
		m.re = regexp.MustCompile("(?i)" + regexp.QuoteMeta(strings.TrimSpace(item)))
	}
	return m
}

// found reports whether the item occurs in t, whose claims are claims. With guard set,
// occurrences directly negated ("not a full refund", "geen volledige terugbetaling") do not
// count.
func (m *matcher) found(t *text, claims []claim, guard bool) bool {
	if m.key != "" {
		for i := range claims {
			if claims[i].key == m.key && (!guard || !t.negatedAt(claims[i].start)) {
				return true
			}
		}
	}
	if m.lit != "" {
		return strings.Contains(t.folded, m.lit) || strings.Contains(t.norm, m.lit)
	}
	if m.re != nil {
		return m.re.MatchString(t.raw) || m.re.MatchString(t.norm)
	}
	from := 0
	for {
		i := strings.Index(t.norm[from:], m.norm)
		if i < 0 {
			return false
		}
		i += from
		if !guard || !negatedBefore(t.norm[:i+1], 3) {
			return true
		}
		from = i + 1
	}
}

// negatedAt reports whether one of the three words before the token starting at raw offset
// start is a negation.
func (t *text) negatedAt(start int32) bool {
	off := 1
	for i := range t.toks {
		if t.toks[i].start >= start {
			return negatedBefore(t.norm[:off], 3)
		}
		off += len(t.toks[i].text) + 1
	}
	return false
}

// negatedBefore reports whether one of the last n words of s is a negation.
func negatedBefore(s string, n int) bool {
	end := len(s)
	for ; n > 0 && end > 0; n-- {
		for end > 0 && s[end-1] == ' ' {
			end--
		}
		start := strings.LastIndexByte(s[:end], ' ') + 1
		if negations[s[start:end]] {
			return true
		}
		end = start
	}
	return false
}

// facts checks accuracy: every required fact stated, nothing forbidden present.
type facts struct {
	required  [][]matcher // one list of alternatives per fact
	forbidden []matcher
}

func newFacts(c *eval.Case) *facts {
	f := &facts{}
	for _, fact := range c.Facts {
		if len(fact) == 0 {
			continue
		}
		alts := make([]matcher, len(fact))
		for i, a := range fact {
			alts[i] = newMatcher(a)
		}
		f.required = append(f.required, alts)
	}
	for _, item := range c.Forbidden {
		f.forbidden = append(f.forbidden, newMatcher(item))
	}
	return f
}

// factResult is the outcome of the accuracy check of one answer.
type factResult struct {
	missing   []string // the first alternative of each fact not stated
	forbidden []string // each forbidden item present, as written
	recall    float64  // share of facts stated; 1 when the case has none
}

// check states which facts the answer gives and which forbidden items it contains. Any one
// alternative satisfies a fact. Plain forbidden items directly after a negation (within
// three words) do not count, so "you are not eligible for a full refund" does not trip
// "full refund"; patterns are taken as written. Facts get no such guard: "returns are not
// accepted after 14 days" does state the 14-day window.
func (f *facts) check(t *text, claims []claim) factResult {
	r := factResult{recall: 1}
	stated := 0
	for _, alts := range f.required {
		ok := false
		for i := range alts {
			if alts[i].found(t, claims, false) {
				ok = true
				break
			}
		}
		if ok {
			stated++
		} else {
			r.missing = append(r.missing, alts[0].item)
		}
	}
	if len(f.required) > 0 {
		r.recall = float64(stated) / float64(len(f.required))
	}
	for i := range f.forbidden {
		if f.forbidden[i].found(t, claims, true) {
			r.forbidden = append(r.forbidden, f.forbidden[i].item)
		}
	}
	return r
}

// literalPattern reports whether a pattern is plain text: no metacharacters at all.
func literalPattern(expr string) bool {
	return expr != "" && !strings.ContainsAny(expr, `\.+*?()|[]{}^$`)
}
