package scorers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// rword is one word of a raw text, for reading capitalised names.
type rword struct {
	start, end int
	capital    bool // starts with an upper-case letter
	plus       bool // ends with '+' (Care+)
	sentStart  bool // first word of a sentence, line or list item
	joined     bool // separated from the previous word by spaces only
}

// nameClaims finds product and programme names: runs of two or more capitalised words
// ("Northwind Plus", "Care+ Extended Warranty") that are not a sentence's opening word, a
// greeting, an honorific, a date, a heading or a run of ordinary support words ("a
// sentence's opening word" only when the grounding never uses it, see grounding.supports).
// A single word counts only when it carries a '+'. Conservative by design: every false
// alarm costs trust. german reports whether the text is German, where every noun is
// capitalised, so that only names with a '+' count.
func nameClaims(s string, taken spanSet, german func() bool, out []claim) []claim {
	sc := wordScanner{s: s, sentStart: true}
	var wbuf [48]rword
	words := wbuf[:0]
	for {
		w, ok := sc.next()
		if ok && !(w.sentStart && len(words) > 0) {
			words = append(words, w)
			continue
		}
		out = sentenceNames(s, words, taken, german, out)
		words = words[:0]
		if !ok {
			return out
		}
		words = append(words, w)
	}
}

// sentenceNames reads the names of one sentence. In a Title Case sentence ("Your Refund
// Arrives Within 5 Business Days"), where half or more of the words after the first are
// capitalised and one of them is a function word, only names with a '+' count.
func sentenceNames(s string, words []rword, taken spanSet, german func() bool, out []claim) []claim {
	caps, total, function := 0, 0, false
	for i, w := range words {
		if i == 0 || isDigit(s[w.start]) {
			continue
		}
		total++
		if w.capital {
			caps++
			function = function || inLower(titleWords, s[w.start:w.end])
		}
	}
	title := function && caps*2 >= total
	var buf [8]rword
	run := buf[:0]
	flush := func() {
		if len(run) > 1 || len(run) == 1 && run[0].plus {
			if c, ok := nameOf(s, run, title || german()); ok && !covered(taken, c.start, c.end) {
				out = append(out, c)
			}
		}
		run = run[:0]
	}
	for _, w := range words {
		if !w.capital || !w.joined || len(run) == len(buf) {
			flush()
		}
		if w.capital {
			run = append(run, w)
		}
	}
	flush()
	return out
}

// inLower reports whether the ASCII-lowercased word is in set, without allocating.
func inLower(set map[string]bool, w string) bool {
	var buf [16]byte
	if len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return set[string(buf[:len(w)])]
}

// titleWords are function words that only a Title Case sentence capitalises.
var titleWords = wordSet(`the a an is are be to of for and or in on at by with within your our you
	we it this that will can from as has have`)

// wordScanner reads the words of a raw text: letters and digits with inner dashes,
// apostrophes and ampersands and a trailing '+', noting how each is separated from the
// previous one.
type wordScanner struct {
	s          string
	i          int
	sentStart  bool
	spacesOnly bool
}

func (sc *wordScanner) next() (rword, bool) {
	s := sc.s
	for sc.i < len(s) {
		c := s[sc.i]
		if c < utf8.RuneSelf {
			if isAlnum(c) {
				break
			}
			switch c {
			case ' ', '\t':
			case '.', '!', '?', ':', ';', '\n':
				sc.sentStart, sc.spacesOnly = true, false
			default:
				sc.spacesOnly = false
			}
			sc.i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[sc.i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		sc.spacesOnly = false
		sc.i += size
	}
	if sc.i >= len(s) {
		return rword{}, false
	}
	w := rword{start: sc.i, sentStart: sc.sentStart, joined: sc.spacesOnly}
	c := s[sc.i]
	if c < utf8.RuneSelf {
		w.capital = 'A' <= c && c <= 'Z'
	} else {
		r, _ := utf8.DecodeRuneInString(s[sc.i:])
		w.capital = unicode.IsUpper(r)
	}
	j := sc.i
	for j < len(s) {
		c := s[j]
		if c < utf8.RuneSelf {
			if isAlnum(c) {
				j++
				continue
			}
			if (c == '-' || c == '\'' || c == '&') && j+1 < len(s) && isAlnum(s[j+1]) {
				j++
				continue
			}
			break
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		j += size
	}
	if j < len(s) && s[j] == '+' {
		w.plus = true
		j++
	}
	w.end = j
	sc.i = j
	sc.sentStart, sc.spacesOnly = false, true
	return w, true
}

// nameOf decides whether a run of capitalised words is a name, and builds its claim; with
// strict set only a name with a '+' is one.
func nameOf(s string, run []rword, strict bool) (claim, bool) {
	// lower folds a word for the list checks; a contraction or possessive is checked by
	// its first part ("I'm" as "i", "Northwind's" as "northwind").
	lower := func(w rword) string {
		f, _ := fold(s[w.start:w.end])
		f = strings.TrimRight(f, "+")
		if k := strings.IndexByte(f, '\''); k > 0 {
			f = f[:k]
		}
		return f
	}
	for len(run) > 0 {
		f := lower(run[0])
		if !stopwords[f] && !nameOpeners[f] && !genericNameWords[f] {
			break
		}
		run = run[1:]
	}
	for len(run) > 0 {
		f := lower(run[len(run)-1])
		if !genericNameWords[f] {
			break
		}
		run = run[:len(run)-1]
	}
	if len(run) == 0 {
		return claim{}, false
	}
	plus, uncommon := false, false
	for _, w := range run {
		f := lower(w)
		if months[f] > 0 || weekdays[f] {
			return claim{}, false
		}
		plus = plus || w.plus
		uncommon = uncommon || !commonNameWords[f] && !stopwords[f]
	}
	switch {
	case plus:
	case strict:
		return claim{}, false
	case len(run) < 2 || !uncommon:
		return claim{}, false
	}
	start, end := run[0].start, run[len(run)-1].end
	if isHeading(s, start, end) {
		return claim{}, false
	}
	name := s[start:end]
	key := normPhrase(name)
	if key == "" {
		return claim{}, false
	}
	c := claim{kind: cName, key: key, text: name, start: int32(start), end: int32(end)}
	if run[0].sentStart && len(run) > 1 && !run[0].plus {
		// A sentence's first word is capitalised anyway: "Unfortunately Northwind" is
		// backed by "Northwind" when the grounding never uses "unfortunately"
		// ("Northwind Plus" is not backed by "plus" when it knows "Northwind").
		alt, first := normPhrase(s[run[1].start:end]), normPhrase(s[run[0].start:run[0].end])
		if alt != "" && first != "" {
			c.alts = []string{alt, first}
		}
	}
	return c, true
}

// isHeading reports whether s[start:end] is a heading or a label: followed by ':' or alone
// on its line apart from markdown and punctuation.
func isHeading(s string, start, end int) bool {
	j := end
	for j < len(s) && (s[j] == ' ' || s[j] == '*' || s[j] == '_') {
		j++
	}
	if j < len(s) && s[j] == ':' {
		return true
	}
	for i := start - 1; i >= 0 && s[i] != '\n'; i-- {
		if isAlnum(s[i]) || s[i] >= utf8.RuneSelf {
			return false
		}
	}
	for i := end; i < len(s) && s[i] != '\n'; i++ {
		if isAlnum(s[i]) || s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
