package scorers

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the canonical form of s that facts, claims and grounding are compared
// in: Unicode compatibility-normalised (NFKC/NFKD), case-folded, accent-folded, punctuation
// dropped, whitespace collapsed, and numbers canonicalised so that equivalent spellings
// compare equal:
//
//	"14 days", "fourteen days", "14-day", "veertien dagen", "vierzehn Tage" → "14 day"
//	"€15", "15 euros", "EUR 15", "15 €", "15,00 €"                          → "15 eur"
//	"4,95" → "4.95"; "1.000" and "1,000" → "1000"; "17:30 h" → "17:30 hour"
//
// Number words 0–100, hundred and thousand are read in English, Dutch, German, Spanish and
// French; units of time after a number are mapped to English (day, week, month, year, hour,
// minute, with "business" for working days); currency symbols, codes and names become
// eur, usd or gbp after the amount; "%", "percent", "procent", "por ciento"... become "%".
// Tokens are separated by single spaces, without leading or trailing space.
func Normalize(s string) string {
	t := analyse(s)
	return strings.TrimSpace(t.norm)
}

// text is an analysed piece of text: the raw string, its folded form, its canonical tokens
// and their space-joined form.
type text struct {
	raw    string
	folded string
	// idx maps a byte offset of folded to the offset in raw of the rune it came from,
	// with idx[len(folded)] == len(raw); nil when the offsets are the same.
	idx  []int32
	toks []token
	// sents holds the offset in folded where each sentence starts; token.sent indexes it.
	sents []int32
	// norm is the canonical tokens joined by single spaces, with a leading and a trailing
	// space, so that " phrase " containment is a whole-word match.
	norm string
}

// tkind is the kind of a canonical token.
type tkind uint8

const (
	kWord  tkind = iota + 1
	kNum         // a number, canonical digits with a '.' decimal point
	kTime        // a time of day, h:mm
	kCur         // a currency code: eur, usd, gbp
	kPct         // %
	kRange       // - between two numbers ("3-5", "3 to 5", "de 3 a 5")
	kSlash       // / between two numbers ("24/7")
	kPlus        // + glued to the end of a word ("Care+")
)

// token is one canonical token with its place in the raw text.
type token struct {
	text string // canonical text
	// src is the folded word a spelled-out number was read from ("sept"), else "".
	src        string
	start, end int32 // byte span in raw
	sent       int32 // sentence index
	kind       tkind
	glued      bool // no separator between this token and the previous one
	lineStart  bool // first token on its line
	fromWord   bool // a number written in words
}

// sentence returns sentence k of the folded text, trimmed.
func (t *text) sentence(k int) string {
	end := len(t.folded)
	if k+1 < len(t.sents) {
		end = int(t.sents[k+1])
	}
	return strings.TrimSpace(t.folded[t.sents[k]:end])
}

// rawOff maps an offset in t.folded to an offset in t.raw.
func (t *text) rawOff(i int) int32 {
	if t.idx == nil {
		return int32(i)
	}
	return t.idx[i]
}

// analyse folds and tokenises s.
func analyse(s string) *text {
	t := &text{raw: s}
	t.folded, t.idx = fold(s)
	t.toks = canonTokens(t, lex(t))
	t.norm = joinTokens(t.toks)
	return t
}

func joinTokens(toks []token) string {
	n := 1
	for i := range toks {
		n += len(toks[i].text) + 1
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte(' ')
	for i := range toks {
		b.WriteString(toks[i].text)
		b.WriteByte(' ')
	}
	return b.String()
}

// normPhrase is the canonical form of a short phrase (a fact, a record value) with the
// surrounding spaces kept, ready for strings.Contains against text.norm; "" when the phrase
// has no tokens.
func normPhrase(s string) string {
	n := analyse(s).norm
	if strings.TrimSpace(n) == "" {
		return ""
	}
	return n
}

// fold lowercases s, applies compatibility decomposition (NFKD), drops combining marks
// and format characters, and spells out the few letters that have no decomposition
// (ß→ss, æ→ae, ø→o, ...). Typographic quotes and dashes become their ASCII forms.
// Dropping the marks after NFKD is the accent folding of transform.Chain(norm.NFD,
// runes.Remove(runes.In(unicode.Mn)), norm.NFC), done rune by rune to avoid allocating a
// transformer per call; recomposition is skipped because both sides of every comparison
// are folded the same way.
func fold(s string) (string, []int32) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s), nil
	}
	b := make([]byte, 0, len(s)+8)
	idx := make([]int32, 0, len(s)+9)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			idx = append(idx, int32(i))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n := len(b)
		if rep := foldSpecial(r); rep != "" {
			b = append(b, rep...)
		} else if d := norm.NFKD.PropertiesString(s[i:]).Decomposition(); len(d) > 0 {
			for j := 0; j < len(d); {
				dr, dsize := utf8.DecodeRune(d[j:])
				j += dsize
				if rep := foldSpecial(dr); rep != "" {
					b = append(b, rep...)
				} else {
					b = appendFoldedRune(b, dr)
				}
			}
		} else {
			b = appendFoldedRune(b, r)
		}
		for ; n < len(b); n++ {
			idx = append(idx, int32(i))
		}
		i += size
	}
	idx = append(idx, int32(len(s)))
	return string(b), idx
}

func appendFoldedRune(b []byte, r rune) []byte {
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r) {
		return b
	}
	return utf8.AppendRune(b, unicode.ToLower(r))
}

// foldSpecial spells out runes that NFKD leaves alone but that readers treat as plain
// letters or punctuation.
func foldSpecial(r rune) string {
	switch r {
	case 'ß', 'ẞ':
		return "ss"
	case 'æ', 'Æ':
		return "ae"
	case 'œ', 'Œ':
		return "oe"
	case 'ø', 'Ø':
		return "o"
	case 'đ', 'Đ':
		return "d"
	case 'ł', 'Ł':
		return "l"
	case 'ı':
		return "i"
	case 'þ', 'Þ':
		return "th"
	case '\u2018', '\u2019', '\u201b', '\u02bc', '\u00b4', '\u2032':
		return "'"
	case '\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb':
		return "\""
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return "-"
	}
	return ""
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// lex splits t.folded into raw tokens: words, numbers, times and the few symbols that
// carry meaning (currency, %, ranges, slashes, a trailing +). Everything else separates.
func lex(t *text) []token {
	f := t.folded
	toks := make([]token, 0, len(f)/5+4)
	t.sents = append(make([]int32, 0, 16), 0)
	sent := int32(0)
	lineStart := true
	lastEnd := -1 // folded offset where the previous token ended
	emit := func(kind tkind, s string, i, j int) {
		toks = append(toks, token{
			text: s, kind: kind, start: t.rawOff(i), end: t.rawOff(j), sent: sent,
			glued: i == lastEnd, lineStart: lineStart,
		})
		lineStart = false
		lastEnd = j
	}
	prevNum := func() bool { return len(toks) > 0 && toks[len(toks)-1].kind == kNum }
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case isDigit(c):
			j, kind := scanNumber(f, i)
			if kind == kTime {
				emit(kTime, canonTime(f[i:j]), i, j)
			} else {
				emit(kNum, canonNumber(f[i:j]), i, j)
			}
			i = j
		case 'a' <= c && c <= 'z':
			j := scanWord(f, i)
			emit(kWord, f[i:j], i, j)
			i = j
		case c < utf8.RuneSelf:
			switch c {
			case '%':
				emit(kPct, "%", i, i+1)
			case '$':
				emit(kCur, "usd", i, i+1)
			case '-', '/':
				k := i + 1
				for k < len(f) && f[k] == ' ' {
					k++
				}
				if prevNum() && k < len(f) && isDigit(f[k]) && (c == '-' || i == lastEnd) {
					if c == '-' {
						emit(kRange, "-", i, i+1)
					} else {
						emit(kSlash, "/", i, i+1)
					}
				}
			case '+':
				if i == lastEnd && len(toks) > 0 && toks[len(toks)-1].kind == kWord {
					emit(kPlus, "+", i, i+1)
				}
			case '\n':
				sent++
				t.sents = append(t.sents, int32(i+1))
				lineStart = true
			case '.', '!', '?':
				if i+1 >= len(f) || f[i+1] == ' ' || f[i+1] == '\n' || f[i+1] == '"' || f[i+1] == ')' {
					sent++
					t.sents = append(t.sents, int32(i+1))
				}
			}
			i++
		default:
			r, size := utf8.DecodeRuneInString(f[i:])
			switch {
			case r == '€':
				emit(kCur, "eur", i, i+size)
				i += size
			case r == '£':
				emit(kCur, "gbp", i, i+size)
				i += size
			case unicode.IsLetter(r):
				j := scanWord(f, i)
				emit(kWord, f[i:j], i, j)
				i = j
			default:
				i += size
			}
		}
	}
	return toks
}

// scanWord returns the end of the run of letters starting at i.
func scanWord(f string, i int) int {
	for i < len(f) {
		c := f[i]
		if 'a' <= c && c <= 'z' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, size := utf8.DecodeRuneInString(f[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += size
	}
	return i
}

// scanNumber returns the end of the number starting at i: digits with internal '.' or ','
// groups, or a time of day h:mm.
func scanNumber(f string, i int) (int, tkind) {
	j := i
	for j < len(f) && isDigit(f[j]) {
		j++
	}
	if j-i <= 2 && j+2 < len(f) && f[j] == ':' && isDigit(f[j+1]) && isDigit(f[j+2]) &&
		(j+3 >= len(f) || !isDigit(f[j+3])) {
		return j + 3, kTime
	}
	for j+1 < len(f) && (f[j] == '.' || f[j] == ',') && isDigit(f[j+1]) {
		j++
		for j < len(f) && isDigit(f[j]) {
			j++
		}
	}
	return j, kNum
}

// canonTime writes h:mm without a leading zero on the hour.
func canonTime(s string) string {
	if len(s) == 5 && s[0] == '0' {
		return s[1:]
	}
	return s
}

// canonNumber reads the '.' and ',' of a number as decimal or thousands separators and
// writes it with a '.' decimal point, no thousands separators and no trailing decimal zeros.
// A single separator followed by exactly three digits after a 1–3 digit non-zero integer
// part is a thousands separator ("1.000", "1,000"); when both kinds appear the last one is
// the decimal point; repeated separators of one kind are thousands separators when every
// group has three digits, and the number is left as written otherwise ("1.2.3").
func canonNumber(s string) string {
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	if dots+commas == 0 {
		return s
	}
	var intPart, frac string
	switch {
	case dots > 0 && commas > 0:
		last := strings.LastIndexAny(s, ".,")
		intPart, frac = s[:last], s[last+1:]
		intPart = strings.NewReplacer(".", "", ",", "").Replace(intPart)
	case dots+commas > 1:
		sep := "."
		if commas > 0 {
			sep = ","
		}
		groups := strings.Split(s, sep)
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return s
			}
		}
		return strings.Join(groups, "")
	default:
		k := strings.IndexAny(s, ".,")
		intPart, frac = s[:k], s[k+1:]
		if len(frac) == 3 && len(intPart) <= 3 && strings.TrimLeft(intPart, "0") != "" {
			return intPart + frac
		}
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}
