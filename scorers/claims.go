package scorers

import (
	"sort"
	"strconv"
	"strings"
)

// ckind is the kind of a checkable claim.
type ckind uint8

const (
	cMoney    ckind = iota + 1 // €4.95, 15 euros, $10
	cPercent                   // 20%, zwanzig Prozent
	cDuration                  // 14 days, 3-5 business days, 48 hours, two weeks
	cQuantity                  // 2 kg, 50 GB
	cDate                      // 1 March, 2024-03-01, 01/03/2024
	cTime                      // 9:00, 5pm, 17.30 Uhr
	cURL                       // https://northwind.example/returns, northwind.example
	cEmail                     // support@northwind.example
	cPhone                     // +31 20 555 1234
	cID                        // NW-123456, 1Z999AA10123456784, #48213
	cIBAN                      // NL91 ABNA 0417 1643 00 (shape only; pii.go checks mod 97)
	cNumber                    // a bare decimal or a number ≥ 100 that is not a year
	cName                      // a product or programme name: Northwind Plus, Care+ Extended Warranty
	cPhrase                    // 24/7
)

// claim is one checkable statement found in a text.
type claim struct {
	kind ckind
	// key is the canonical form looked up in the grounding; for names and phrases it is the
	// " normalised phrase " looked for in the grounding's canonical text.
	key string
	// alts are further keys that also support the claim: a range's endpoints (all needed),
	// a date's year-less form, a money amount's bare number.
	alts []string
	// text is the claim as written.
	text       string
	start, end int32
}

// span is a byte range of a raw text.
type span struct{ start, end int32 }

// extractClaims returns the checkable claims of t: raw-text claims (URLs, e-mails, phones,
// numeric dates, ids) first, then those read from the canonical tokens, then names. In
// German (the case's language, or an answer that reads as German), where every noun is
// capitalised, only names with a '+' are read.
func extractClaims(t *text, german bool) []claim {
	var out []claim
	out = chunkClaims(t.raw, out)
	for _, m := range ibanShapes(t.raw) { // an account number, checked as an id
		out = append(out, claim{kind: cIBAN, key: "id:" + string(m.chars), text: t.raw[m.start:m.end], start: int32(m.start), end: int32(m.end)})
	}
	out = digitClaims(t.raw, out)
	out = idClaims(t.raw, out)
	taken := spansOf(out)
	out = tokenClaims(t, taken, out)
	known := false
	isGerman := func() bool { // looked at only when a name candidate turns up
		if !known {
			german, known = german || looksGerman(t), true
		}
		return german
	}
	return nameClaims(t.raw, taken, isGerman, out)
}

// spanSet is a set of spans sorted by start, with the running maximum of their ends, so
// that an overlap test is a binary search even when an answer holds thousands of claims.
type spanSet struct {
	spans  []span
	maxEnd []int32
}

// spansOf returns the spans of claims as a spanSet.
func spansOf(cs []claim) spanSet {
	ss := spanSet{spans: make([]span, len(cs)), maxEnd: make([]int32, len(cs))}
	for i, c := range cs {
		ss.spans[i] = span{c.start, c.end}
	}
	sort.Slice(ss.spans, func(i, j int) bool { return ss.spans[i].start < ss.spans[j].start })
	m := int32(-1)
	for i, s := range ss.spans {
		m = max(m, s.end)
		ss.maxEnd[i] = m
	}
	return ss
}

// covered reports whether [start, end) overlaps a span of the set.
func covered(taken spanSet, start, end int32) bool {
	n := sort.Search(len(taken.spans), func(i int) bool { return taken.spans[i].start >= end })
	return n > 0 && taken.maxEnd[n-1] > start
}

func dateClaim(y, m, d int, text string) claim {
	md := strconv.Itoa(m) + "-" + strconv.Itoa(d)
	if y == 0 {
		return claim{kind: cDate, key: "dt:" + md, alts: []string{"dty:" + md}, text: text}
	}
	return claim{kind: cDate, key: "dt:" + strconv.Itoa(y) + "-" + md, alts: []string{"dt:" + md}, text: text}
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

func digitsOf(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// durationUnits are the canonical time units with their size in minutes ("d:"), business
// days ("db:") or months ("dm:"), so that "2 weeks" and "14 days", "48 hours" and
// "2 days", "1 year" and "12 months" are the same claim.
var durationUnits = map[string]struct {
	prefix string
	size   float64
}{
	"minute": {"d:", 1}, "hour": {"d:", 60}, "day": {"d:", 1440}, "week": {"d:", 7 * 1440},
	"month": {"dm:", 1}, "year": {"dm:", 12}, "bday": {"db:", 1440},
}

var quantityUnits = wordSet("kg g lb cm mm km gb mb tb ml")

func durKey(v, unit string) string {
	u := durationUnits[unit]
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return u.prefix + v + unit
	}
	return u.prefix + strconv.FormatFloat(f*u.size, 'f', -1, 64)
}

// unitAt reads the unit that follows a number at token i: a time unit (with "business"
// before a day), a quantity unit, a currency or %. It returns the claim kind, the key
// suffix and the index of the unit's last token.
func unitAt(toks []token, i int) (ckind, string, int) {
	if i >= len(toks) {
		return 0, "", 0
	}
	tk := toks[i]
	switch tk.kind {
	case kCur:
		return cMoney, tk.text, i
	case kPct:
		return cPercent, "", i
	case kWord:
		if tk.text == "business" && i+1 < len(toks) && toks[i+1].text == "day" {
			return cDuration, "bday", i + 1
		}
		if _, ok := durationUnits[tk.text]; ok {
			return cDuration, tk.text, i
		}
		if quantityUnits[tk.text] {
			return cQuantity, tk.text, i
		}
	}
	return 0, "", 0
}

func valueKey(kind ckind, v, unit string) string {
	switch kind {
	case cMoney:
		return "m:" + v + " " + unit
	case cPercent:
		return "p:" + v
	case cDuration:
		return durKey(v, unit)
	case cQuantity:
		return "q:" + v + unit
	}
	return "n:" + v
}

// tokenClaims reads amounts, percentages, durations, quantities, dates, times, 24/7 and
// bare numbers from the canonical tokens, skipping tokens inside taken spans.
func tokenClaims(t *text, taken spanSet, out []claim) []claim {
	toks := t.toks
	for k := 0; k < len(toks); k++ {
		tk := &toks[k]
		if covered(taken, tk.start, tk.end) {
			continue
		}
		switch tk.kind {
		case kTime:
			out = append(out, t.claimOf(claim{kind: cTime, key: "t:" + tk.text}, k, k))
		case kWord:
			if m, ok := months[tk.text]; ok && k+1 < len(toks) {
				if d := dayOf(&toks[k+1]); d > 0 {
					y, last := yearAt(toks, k+2)
					if last < 0 {
						last = k + 1
					}
					out = append(out, t.claimOf(dateClaim(y, m, d, ""), k, last))
					k = last
				}
			}
		case kNum:
			if c, last := numClaim(toks, k); last >= k {
				if c.kind != 0 {
					out = append(out, t.claimOf(c, k, last))
				}
				k = last
			}
		}
	}
	return out
}

// claimOf fills in a claim's span and text from tokens first..last.
func (t *text) claimOf(c claim, first, last int) claim {
	start, end := t.toks[first].start, t.toks[first].end
	for i := first + 1; i <= last; i++ {
		start, end = min(start, t.toks[i].start), max(end, t.toks[i].end)
	}
	c.start, c.end = start, end
	c.text = strings.TrimSpace(t.raw[start:end])
	return c
}

// dayOf returns the day of month a token can be (1–31), or 0.
func dayOf(tk *token) int {
	if tk.kind != kNum || tk.fromWord || len(tk.text) > 2 {
		return 0
	}
	d, err := strconv.Atoi(tk.text)
	if err != nil || d < 1 || d > 31 {
		return 0
	}
	return d
}

// monthOf returns the month a token names: a month word, or "sept" read as seven.
func monthOf(tk *token) int {
	if tk.kind == kWord {
		return months[tk.text]
	}
	if tk.fromWord && tk.src != "" {
		return months[tk.src]
	}
	return 0
}

// yearAt returns the year at token i (1900–2200) and i, or 0 and -1.
func yearAt(toks []token, i int) (int, int) {
	if i >= len(toks) || toks[i].kind != kNum || len(toks[i].text) != 4 {
		return 0, -1
	}
	y, err := strconv.Atoi(toks[i].text)
	if err != nil || y < 1900 || y > 2200 {
		return 0, -1
	}
	return y, i
}

// numClaim reads the claim that starts with the number at token k, and returns it with the
// index of its last token, or last < k when the number claims nothing.
func numClaim(toks []token, k int) (claim, int) {
	tk := &toks[k]
	if d := dayOf(tk); d > 0 && k+1 < len(toks) {
		if m := monthOf(&toks[k+1]); m > 0 {
			y, last := yearAt(toks, k+2)
			if last < 0 {
				last = k + 1
			}
			return dateClaim(y, m, d, ""), last
		}
	}
	if k+2 < len(toks) && toks[k+1].kind == kRange && toks[k+2].kind == kNum {
		b := toks[k+2].text
		if kind, unit, last := unitAt(toks, k+3); kind != 0 {
			ka, kb := valueKey(kind, tk.text, unit), valueKey(kind, b, unit)
			key := ka + "-" + strings.TrimPrefix(kb, kb[:strings.IndexByte(kb, ':')+1])
			return claim{kind: kind, key: key, alts: []string{ka, kb}}, last
		}
	}
	if kind, unit, last := unitAt(toks, k+1); kind != 0 {
		if kind == cPercent && (tk.text == "100" || tk.text == "0") {
			return claim{}, last // "100% sure" is a figure of speech
		}
		c := claim{kind: kind, key: valueKey(kind, tk.text, unit)}
		if kind == cMoney {
			c.alts = []string{"nb:" + tk.text}
		}
		return c, last
	}
	if k+2 < len(toks) && toks[k+1].kind == kSlash && toks[k+2].kind == kNum {
		if tk.text == "24" && toks[k+2].text == "7" {
			return claim{kind: cPhrase, key: " 24 / 7 "}, k + 2
		}
		return claim{}, k + 2
	}
	if bareNumberClaim(tk) {
		return claim{kind: cNumber, key: "n:" + tk.text}, k
	}
	return claim{}, -1
}

// bareNumberClaim reports whether a number without a unit is still checkable: a decimal,
// or a whole number of 100 or more that is not a year and not spelled out.
func bareNumberClaim(tk *token) bool {
	if tk.fromWord {
		return false
	}
	if strings.IndexByte(tk.text, '.') >= 0 {
		return true
	}
	v, err := strconv.Atoi(tk.text)
	if err != nil {
		return false
	}
	return v >= 100 && !(len(tk.text) == 4 && v >= 1900 && v <= 2100)
}

// germanMarkers are frequent German function words.
var germanMarkers = wordSet(`der die das den dem des und ist nicht sie ich ihr ihre ihren
	ihrem ihrer wir mit fur bei von zu zur zum auf ein eine einen einem sich werden wird
	konnen haben sind auch bitte`)

// looksGerman reports whether three or more of t's words are German function words.
func looksGerman(t *text) bool {
	n := 0
	for i := range t.toks {
		if t.toks[i].kind == kWord && germanMarkers[t.toks[i].text] {
			if n++; n >= 3 {
				return true
			}
		}
	}
	return false
}
