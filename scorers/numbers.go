package scorers

import (
	"sort"
	"strconv"
	"strings"
)

// This file is the second half of normalisation: it reads number words, units, currencies
// and percentages in English, Dutch, German, Spanish and French and writes them in one
// canonical form (see Normalize).

// numPhrase is one spelling of a number (or of "percent") as a sequence of folded words.
type numPhrase struct {
	rest []string // the words after the first
	val  int      // the value; -1 for "percent"
	mult bool     // hundred or thousand: multiplies a number word before it
}

// numberWords maps the first word of every spelling to its spellings, longest first.
// Articles that double as "one" (een, ein, un, une) are only read inside compounds
// ("vingt et un"), never alone.
var numberWords = buildNumberWords()

func buildNumberWords() map[string][]numPhrase {
	m := map[string][]numPhrase{}
	add := func(words string, val int) {
		w := strings.Fields(words)
		m[w[0]] = append(m[w[0]], numPhrase{rest: w[1:], val: val, mult: val == 100 || val == 1000})
	}
	list := func(start int, words string) {
		for i, w := range strings.Fields(words) {
			add(w, start+i)
		}
	}
	// English.
	list(0, "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
	enUnits := strings.Fields("one two three four five six seven eight nine")
	for i, t := range strings.Fields("twenty thirty forty fifty sixty seventy eighty ninety") {
		add(t, 20+10*i)
		for u, w := range enUnits {
			add(t+" "+w, 20+10*i+u+1)
		}
	}
	add("fourty", 40)
	add("hundred", 100)
	add("thousand", 1000)
	// Dutch: één folds to een, the article, so 1 is only read in compounds.
	list(2, "twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien")
	add("nul", 0)
	nlUnits := strings.Fields("een twee drie vier vijf zes zeven acht negen")
	for i, t := range strings.Fields("twintig dertig veertig vijftig zestig zeventig tachtig negentig") {
		add(t, 20+10*i)
		for u, w := range nlUnits {
			add(w+"en"+t, 20+10*i+u+1) // eenentwintig, tweeentwintig (tweeëntwintig)
		}
	}
	add("honderd", 100)
	add("duizend", 1000)
	// German, folded: fünf → funf, zwölf → zwolf, dreißig → dreissig.
	list(0, "null eins zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn funfzehn sechzehn siebzehn achtzehn neunzehn")
	deUnits := strings.Fields("ein zwei drei vier funf sechs sieben acht neun")
	for i, t := range strings.Fields("zwanzig dreissig vierzig funfzig sechzig siebzig achtzig neunzig") {
		add(t, 20+10*i)
		for u, w := range deUnits {
			add(w+"und"+t, 20+10*i+u+1)
		}
	}
	add("hundert", 100)
	add("tausend", 1000)
	// Spanish.
	list(0, "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintidos veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho veintinueve")
	add("veintiun", 21)
	esUnits := strings.Fields("uno dos tres cuatro cinco seis siete ocho nueve")
	for i, t := range strings.Fields("treinta cuarenta cincuenta sesenta setenta ochenta noventa") {
		add(t, 30+10*i)
		for u, w := range esUnits {
			add(t+" y "+w, 30+10*i+u+1)
		}
		add(t+" y un", 30+10*i+1)
		add(t+" y una", 30+10*i+1)
	}
	add("cien", 100)
	add("ciento", 100)
	add("mil", 1000)
	// French (and the Belgian/Swiss septante, huitante, octante, nonante).
	list(2, "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize")
	add("zero", 0)
	frUnits := strings.Fields("un deux trois quatre cinq six sept huit neuf")
	add("dix sept", 17)
	add("dix huit", 18)
	add("dix neuf", 19)
	frTens := func(t string, base int, et bool) {
		add(t, base)
		for u, w := range frUnits {
			if u == 0 && et {
				add(t+" et un", base+1)
				add(t+" et une", base+1)
				continue
			}
			add(t+" "+w, base+u+1)
		}
	}
	for i, t := range strings.Fields("vingt trente quarante cinquante soixante") {
		frTens(t, 20+10*i, true)
	}
	for _, tt := range []struct {
		t    string
		base int
	}{{"septante", 70}, {"huitante", 80}, {"octante", 80}, {"nonante", 90}} {
		frTens(tt.t, tt.base, true)
	}
	add("soixante dix", 70)
	add("soixante et onze", 71)
	for i, w := range strings.Fields("douze treize quatorze quinze seize") {
		add("soixante "+w, 72+i)
	}
	for i, w := range strings.Fields("sept huit neuf") {
		add("soixante dix "+w, 77+i)
	}
	for _, q := range []string{"quatre vingt", "quatre vingts"} {
		add(q, 80)
		for u, w := range frUnits {
			add(q+" "+w, 81+u)
		}
		add(q+" dix", 90)
		for i, w := range strings.Fields("onze douze treize quatorze quinze seize") {
			add(q+" "+w, 91+i)
		}
		for i, w := range strings.Fields("sept huit neuf") {
			add(q+" dix "+w, 97+i)
		}
	}
	add("cent", 100)
	add("cents", 100)
	add("mille", 1000)
	// Percent.
	for _, p := range []string{"percent", "per cent", "procent", "prozent", "por ciento", "pour cent", "pourcent", "porciento"} {
		add(p, -1)
	}
	for k := range m {
		sort.SliceStable(m[k], func(i, j int) bool { return len(m[k][i].rest) > len(m[k][j].rest) })
	}
	return m
}

// canonTokens rewrites the raw tokens of t into canonical tokens.
func canonTokens(t *text, in []token) []token {
	c := canon{in: in, out: make([]token, 0, len(in)+4)}
	for c.k = 0; c.k < len(in); c.k++ {
		tk := in[c.k]
		switch tk.kind {
		case kWord:
			c.word(tk)
		case kNum:
			c.num(tk)
		default:
			c.out = append(c.out, tk)
		}
	}
	return c.out
}

// canon is the state of one canonTokens pass.
type canon struct {
	in, out []token
	k       int // index in in of the token being read
}

func (c *canon) last() *token {
	if len(c.out) == 0 {
		return nil
	}
	return &c.out[len(c.out)-1]
}

// num appends a number, moving a currency that precedes it ("€15", "EUR 15") after it.
func (c *canon) num(tk token) {
	n := len(c.out)
	if n > 0 && c.out[n-1].kind == kCur && (n < 2 || c.out[n-2].kind != kNum) {
		cur := c.out[n-1]
		c.out[n-1] = tk
		c.out = append(c.out, cur)
		return
	}
	c.out = append(c.out, tk)
}

// afterNumber reports whether a unit may follow: the last token is a number, or the
// qualifier "business" right after a number.
func (c *canon) afterNumber() bool {
	n := len(c.out)
	if n == 0 {
		return false
	}
	if c.out[n-1].kind == kNum {
		return true
	}
	return n >= 2 && c.out[n-1].text == "business" && c.out[n-2].kind == kNum
}

func (c *canon) word(tk token) {
	w := tk.text
	if c.numberWord(tk) {
		return
	}
	last := c.last()
	switch {
	case last != nil && tk.glued && last.kind == kNum && !last.fromWord && ordinalSuffix[w]:
		return // 1st, 2nd, 1er, 1º
	case (w == "am" || w == "pm") && last != nil && c.toTime(last, w == "pm"):
		last.end = tk.end
		return
	case w == "uhr" && last != nil && last.kind == kNum && c.toTime(last, false):
		last.end = tk.end
		return
	case w == "h" && tk.glued && last != nil && last.kind == kNum && c.k+1 < len(c.in) &&
		c.in[c.k+1].kind == kNum && c.in[c.k+1].glued && len(c.in[c.k+1].text) == 2:
		if c.toTime(last, false) { // 9h30
			last.text = last.text[:len(last.text)-2] + c.in[c.k+1].text
			last.end = c.in[c.k+1].end
			c.k++
			return
		}
	}
	if cur, ok := currencyWords[w]; ok {
		tk.kind, tk.text = kCur, cur
		c.out = append(c.out, tk)
		return
	}
	if last != nil && last.kind == kNum && rangeWords[w] && c.k+1 < len(c.in) && c.startsNumber(c.k+1) {
		tk.kind, tk.text = kRange, "-"
		c.out = append(c.out, tk)
		return
	}
	if c.afterNumber() && c.unit(tk) {
		return
	}
	c.out = append(c.out, tk)
}

// startsNumber reports whether input token i is a number or the first word of one.
func (c *canon) startsNumber(i int) bool {
	t := c.in[i]
	if t.kind == kNum {
		return true
	}
	_, ok := numberWords[t.text]
	return ok && t.kind == kWord
}

// unit maps a unit word after a number; it reports whether it consumed the token.
func (c *canon) unit(tk token) bool {
	w := tk.text
	if q, ok := preQualifiers[w]; ok && c.k+1 < len(c.in) {
		if u := unitWords[c.in[c.k+1].text]; len(u) > 0 && u[len(u)-1] == "day" {
			if q != "" {
				tk.text = q
				c.out = append(c.out, tk)
			}
			return true
		}
		return false
	}
	if u, ok := unitWords[w]; ok {
		for i, s := range u {
			nt := tk
			nt.text = s
			nt.glued = tk.glued || i > 0
			c.out = append(c.out, nt)
		}
		if c.k+1 < len(c.in) && u[len(u)-1] == "day" {
			if q, ok := postQualifiers[c.in[c.k+1].text]; ok {
				c.k++
				if q != "" && (len(c.out) < 2 || c.out[len(c.out)-2].text != q) {
					day := c.out[len(c.out)-1]
					qt := c.in[c.k]
					qt.text = q
					c.out[len(c.out)-1] = qt
					c.out = append(c.out, day)
				}
			}
		}
		return true
	}
	return false
}

// toTime turns a number of hours (with am/pm) into a time of day.
func (c *canon) toTime(last *token, pm bool) bool {
	var h, m int
	switch last.kind {
	case kTime:
		i := strings.IndexByte(last.text, ':')
		h, _ = strconv.Atoi(last.text[:i])
		m, _ = strconv.Atoi(last.text[i+1:])
	case kNum:
		v, err := strconv.Atoi(last.text)
		if err != nil {
			return false
		}
		h = v
	default:
		return false
	}
	if h > 24 || (pm && h > 12) {
		return false
	}
	if pm && h < 12 {
		h += 12
	}
	last.kind = kTime
	last.text = strconv.Itoa(h) + ":" + twoDigits(m)
	return true
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// numberWord reads a spelled-out number or "percent" starting at the current token.
func (c *canon) numberWord(tk token) bool {
	phrases, ok := numberWords[tk.text]
	if !ok {
		return false
	}
	for _, p := range phrases {
		if c.k+len(p.rest) >= len(c.in) {
			continue
		}
		match := true
		for i, w := range p.rest {
			nt := c.in[c.k+1+i]
			if nt.kind != kWord || nt.text != w || nt.sent != tk.sent {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		last := c.last()
		if tk.text == "cent" && last != nil && last.kind == kNum && !last.fromWord {
			return false // "50 cent" is money, not a hundred
		}
		if tk.text == "cents" && (last == nil || !last.fromWord || c.k == 0 || last.end != c.in[c.k-1].end) {
			return false // "deux cents" is 200, "10 cents" is money
		}
		end := c.in[c.k+len(p.rest)].end
		if p.val < 0 {
			c.out = append(c.out, token{text: "%", kind: kPct, start: tk.start, end: end, sent: tk.sent, glued: tk.glued, lineStart: tk.lineStart})
			c.k += len(p.rest)
			return true
		}
		val := p.val
		if last != nil && last.kind == kNum && last.fromWord && c.k > 0 && last.end == c.in[c.k-1].end {
			prev, _ := strconv.Atoi(last.text)
			switch {
			case p.mult && prev > 0 && prev < p.val:
				last.text, last.end = strconv.Itoa(prev*p.val), end // two hundred
				c.k += len(p.rest)
				return true
			case !p.mult && prev >= 100 && prev%100 == 0 && val < 100:
				last.text, last.end = strconv.Itoa(prev+val), end // hundred fifty
				c.k += len(p.rest)
				return true
			}
		}
		c.num(token{text: strconv.Itoa(val), src: tk.text, kind: kNum, fromWord: true, start: tk.start, end: end,
			sent: tk.sent, glued: tk.glued, lineStart: tk.lineStart})
		c.k += len(p.rest)
		return true
	}
	return false
}
