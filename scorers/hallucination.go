package scorers

import (
	"slices"
	"strings"
)

// grounding is everything a case's answer may draw on — its knowledge articles, the
// customer record, every turn of the conversation and the reference answer — indexed for
// claim checks. It is built once per case and only read afterwards.
type grounding struct {
	// parts are the case's sources, one per text. The knowledge articles' parts are
	// shared by every case that cites them, so memory grows with the knowledge base and
	// the cases' own text, not with cases × articles.
	parts []*source
}

// source is what one text backs.
type source struct {
	// norm is the canonical text, for phrase (name) checks.
	norm string
	// keys holds the canonical keys of the claims the text makes, and "n:<number>" for
	// every number it mentions ("nb:<number>" when it has no unit).
	keys   map[string]struct{}
	urls   []string            // canonical URLs
	phones []string            // phone numbers, digits only
	digits map[string]struct{} // every run of three or more digits, and phone and id digits
	// stems are the five-letter prefixes of the text's content words, for the
	// sentence-level support score.
	stems map[string]struct{}
}

func newSource(t *text, german bool) *source {
	g := &source{norm: t.norm, keys: map[string]struct{}{}, digits: map[string]struct{}{}, stems: map[string]struct{}{}}
	for _, c := range extractClaims(t, german) {
		g.add(c)
	}
	for k := range t.toks {
		tk := &t.toks[k]
		if tk.kind == kNum {
			g.keys["n:"+tk.text] = struct{}{}
			if kind, _, _ := unitAt(t.toks, k+1); kind == 0 {
				g.keys["nb:"+tk.text] = struct{}{}
			}
		}
		if isContent(tk) {
			g.stems[stem(tk.text)] = struct{}{}
		}
	}
	for _, d := range digitRuns(t.raw) {
		g.digits[d] = struct{}{}
	}
	for _, s := range digitSpans(t.raw) {
		if len(s.digits) >= 3 {
			g.digits[s.digits] = struct{}{}
		}
	}
	return g
}

func (g *source) add(c claim) {
	g.keys[c.key] = struct{}{}
	switch c.kind {
	case cDuration, cPercent, cQuantity:
		for _, a := range c.alts { // a range supports its endpoints
			g.keys[a] = struct{}{}
		}
	case cDate:
		if strings.Count(c.key, "-") == 2 { // 1 March 2024 supports "1 March"
			g.keys["dty:"+strings.TrimPrefix(c.alts[0], "dt:")] = struct{}{}
		}
	case cURL:
		g.urls = append(g.urls, strings.TrimPrefix(c.key, "u:"))
	case cPhone:
		d := strings.TrimPrefix(c.key, "ph:")
		g.phones = append(g.phones, d)
		g.digits[d] = struct{}{}
	case cID:
		if d := digitsOf(c.key); len(d) >= 3 {
			g.digits[d] = struct{}{}
		}
	}
}

// anySource reports whether f holds for one of the sources.
func (g *grounding) anySource(f func(*source) bool) bool {
	for _, p := range g.parts {
		if f(p) {
			return true
		}
	}
	return false
}

func (g *grounding) has(key string) bool {
	return g.anySource(func(p *source) bool { _, ok := p.keys[key]; return ok })
}

// contains reports whether a source's canonical text contains s.
func (g *grounding) contains(s string) bool {
	return g.anySource(func(p *source) bool { return strings.Contains(p.norm, s) })
}

func (g *grounding) hasDigits(d string) bool {
	return g.anySource(func(p *source) bool { _, ok := p.digits[d]; return ok })
}

func (g *grounding) hasStem(st string) bool {
	return g.anySource(func(p *source) bool { _, ok := p.stems[st]; return ok })
}

// hasBusinessSwap backs "5 days" by "5 business days" and the other way round: a claim
// about the length of a wait is not invented because it leaves out "business".
func (g *grounding) hasBusinessSwap(c *claim) bool {
	swap := func(k string) string {
		if strings.HasPrefix(k, "db:") {
			return "d:" + k[3:]
		}
		if strings.HasPrefix(k, "d:") {
			return "db:" + k[2:]
		}
		return k
	}
	if g.has(swap(c.key)) {
		return true
	}
	return len(c.alts) == 2 && g.has(swap(c.alts[0])) && g.has(swap(c.alts[1]))
}

// supports reports whether the grounding backs a claim. Comparisons are made on canonical
// forms, so "30-day" is backed by "30 days", "two weeks" by "14 days", "€4,95" by
// "4.95 euros", a URL by the same URL with a trailing slash or any longer path under it,
// and a phone number by the same digits (or the same last nine digits, for a country code).
func (g *grounding) supports(c *claim) bool {
	if c.kind != cName && c.kind != cPhrase && g.has(c.key) {
		return true
	}
	if c.kind == cDuration && g.hasBusinessSwap(c) {
		return true
	}
	switch c.kind {
	case cName, cPhrase:
		if g.contains(c.key) {
			return true
		}
		return len(c.alts) == 2 && !g.contains(c.alts[1]) && g.contains(c.alts[0])
	case cURL:
		u := strings.TrimPrefix(c.key, "u:")
		return g.anySource(func(p *source) bool {
			return slices.ContainsFunc(p.urls, func(gu string) bool {
				return strings.HasPrefix(gu, u) && (len(gu) == len(u) || strings.ContainsRune("/?#", rune(gu[len(u)])))
			})
		})
	case cPhone:
		d := strings.TrimPrefix(c.key, "ph:")
		if g.hasDigits(d) {
			return true
		}
		return len(d) >= 9 && g.anySource(func(p *source) bool {
			return slices.ContainsFunc(p.phones, func(ph string) bool { return len(ph) >= 9 && d[len(d)-9:] == ph[len(ph)-9:] })
		})
	case cID, cNumber:
		d := digitsOf(c.key)
		if len(d) >= 5 || c.kind == cNumber && len(d) >= 3 && d == strings.TrimPrefix(c.key, "n:") {
			return g.hasDigits(d)
		}
	case cMoney:
		return len(c.alts) > 0 && g.has(c.alts[0])
	case cDate:
		return g.has(c.alts[0])
	default:
		if len(c.alts) == 2 { // a range whose endpoints are both stated
			return g.has(c.alts[0]) && g.has(c.alts[1])
		}
	}
	return false
}

// digitRuns returns the maximal runs of three or more digits in s.
func digitRuns(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i >= 3 {
			out = append(out, s[i:j])
		}
		i = j
	}
	return out
}

// isContent reports whether a token carries content for the support score: a number, a
// time, or a word of three or more letters that is not a stopword.
func isContent(tk *token) bool {
	switch tk.kind {
	case kNum, kTime:
		return true
	case kWord:
		return len(tk.text) >= 3 && !stopwords[tk.text]
	}
	return false
}

// stem is a crude, language-neutral stem: the first five bytes of a word, so that
// "refund", "refunds" and "refunded" meet. Numbers are kept whole.
func stem(w string) string {
	if len(w) > 5 && !isDigit(w[0]) {
		return w[:5]
	}
	return w
}

// supportScore is the share of the answer's sentences that are grounded: a sentence counts
// when it has at least two content words, and is grounded when at least 60% of them (by
// stem) occur somewhere in the grounding. Greetings and one-word sentences are not judged.
// ok is false when no sentence could be judged.
func (g *grounding) supportScore(t *text) (score float64, ok bool) {
	judged, grounded := 0, 0
	total, found := 0, 0
	sent := int32(-1)
	end := func() {
		if total >= 2 {
			judged++
			if found*5 >= total*3 {
				grounded++
			}
		}
		total, found = 0, 0
	}
	for k := range t.toks {
		tk := &t.toks[k]
		if tk.sent != sent {
			end()
			sent = tk.sent
		}
		if !isContent(tk) {
			continue
		}
		total++
		if g.hasStem(stem(tk.text)) {
			found++
		}
	}
	end()
	if judged == 0 {
		return 0, false
	}
	return float64(grounded) / float64(judged), true
}

// hallucinations returns the claims of an answer that the grounding does not back, once
// per canonical key, skipping those for which skip returns true (values already reported
// as a privacy leak).
func (g *grounding) hallucinations(claims []claim, skip func(*claim) bool) []claim {
	var out []claim
	seen := map[string]bool{}
	for i := range claims {
		c := &claims[i]
		if seen[c.key] || skip != nil && skip(c) || g.supports(c) {
			continue
		}
		seen[c.key] = true
		out = append(out, *c)
	}
	return out
}
