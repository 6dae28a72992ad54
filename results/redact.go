package results

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/supportbench/supportbench/eval"
)

// Masks that replace personal data in redacted outputs. Names are numbered per person
// ("[name 3]"), so that a reader still sees which answers named whom, and the fairness
// comparison still tells personas apart.
const (
	maskEmail    = "[email]"
	maskPhone    = "[phone]"
	maskCard     = "[card]"
	maskIBAN     = "[iban]"
	maskAddress  = "[address]"
	maskRedacted = "[redacted]"
)

// Redactor masks personal data in what a run writes (--redact): the values of each case's
// customer and other_records (names, e-mail addresses, phone numbers, addresses, account
// and order numbers: every value of four or more characters except descriptive ones such
// as a status or a country), and, in any text, e-mail addresses, international phone
// numbers, Luhn-valid card numbers and mod-97-valid IBANs. E-mail addresses and phone
// numbers that the suite's knowledge base publishes (the company's own) are kept.
//
// Scoring happens before redaction; the masks are what the outputs show. A Redactor is
// safe for concurrent use.
type Redactor struct {
	cases map[string]*eval.Case
	// names maps a lowercased name, or part of one, to its mask; people counts the
	// numbered names.
	names  map[string]string
	people int
	// public holds the e-mail addresses (lowercased) and phone digits the knowledge base
	// states.
	public map[string]bool

	mu    sync.Mutex
	terms map[string][]term // by case id, built when first needed
}

// term is one value of a case's records to mask.
type term struct {
	re    *regexp.Regexp
	mask  string
	value string
	// digits is the value's digits when it is mostly a number of six or more digits,
	// matched in any grouping ("+31 6 5555 6120" as "0655556120").
	digits string
	// anywhere is set for an e-mail address: it is masked even inside a longer token
	// ("0melissa.dehaan@example.nl00"), since no other word contains it by chance.
	anywhere bool
}

// NewRedactor prepares the masks of a suite's records.
func NewRedactor(s *eval.Suite) *Redactor {
	r := &Redactor{cases: make(map[string]*eval.Case, len(s.Cases)), names: map[string]string{},
		public: map[string]bool{}, terms: map[string][]term{}}
	for i := range s.Cases {
		c := &s.Cases[i]
		r.cases[c.ID] = c
		for _, rec := range records(c) {
			for _, f := range flattenRecord(rec, "") {
				if isNameKey(f.key) {
					r.addName(f.value)
				}
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Knowledge)) {
		text := s.Knowledge[id]
		for _, m := range emailPattern.FindAllString(text, -1) {
			r.public[strings.ToLower(m)] = true
		}
		for _, sp := range digitRuns(text) {
			r.public[sp.digits] = true
		}
	}
	return r
}

// addName numbers a person's name and the parts of it that identify them.
func (r *Redactor) addName(name string) {
	key := foldSpace(name)
	if utf8.RuneCountInString(key) < 2 {
		return
	}
	mask, ok := r.names[key]
	if !ok {
		r.people++
		mask = "[name " + strconv.Itoa(r.people) + "]"
		r.names[key] = mask
	}
	for _, part := range strings.Fields(name) {
		p := strings.ToLower(strings.Trim(part, ".,"))
		// Particles (de, van, von) and initials are not names on their own.
		if utf8.RuneCountInString(p) < 3 || part == p {
			continue
		}
		if _, taken := r.names[p]; !taken {
			r.names[p] = mask
		}
	}
}

func foldSpace(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func records(c *eval.Case) []map[string]any {
	out := make([]map[string]any, 0, 1+len(c.OtherRecords))
	if c.Customer != nil {
		out = append(out, c.Customer)
	}
	return append(out, c.OtherRecords...)
}

// maxMaskPasses bounds Text's passes over hostile text.
const maxMaskPasses = 8

// Text masks s as it would appear in an output about case id ("" for text that belongs
// to no case: only the patterns apply).
//
// One pass can hide a match: in "lammers@0.AA00@0.AA" the leftmost e-mail candidate is
// rejected (no word edge) and covers the one that is not, and masking the name then
// exposes it. So Text masks again until nothing changes (a second pass for ordinary
// text), which makes redaction idempotent: a masked output stays as it is.
func (r *Redactor) Text(id, s string) string {
	if r == nil || s == "" {
		return s
	}
	for range maxMaskPasses {
		masked := r.pass(id, s)
		if masked == s {
			break
		}
		s = masked
	}
	return s
}

// pass masks s once.
func (r *Redactor) pass(id, s string) string {
	var spans []maskSpan
	for _, t := range r.termsOf(id) {
		spans = t.find(s, spans)
	}
	spans = r.patterns(s, spans)
	return applyMasks(s, spans)
}

// Result returns a copy of res with its free text masked: the answer, the flags (which
// quote the answer), the error, the tool-call arguments and a judge's reasons. A nil
// Redactor returns res as it is.
func (r *Redactor) Result(res eval.Result) eval.Result {
	if r == nil {
		return res
	}
	id := res.CaseID
	res.Answer = r.Text(id, res.Answer)
	res.Error = r.Text(id, res.Error)
	if res.Flags != nil {
		flags := make([]string, len(res.Flags))
		for i, f := range res.Flags {
			flags[i] = r.Text(id, f)
		}
		res.Flags = flags
	}
	if res.ToolCalls != nil {
		calls := make([]eval.ToolCall, len(res.ToolCalls))
		for i, c := range res.ToolCalls {
			calls[i] = eval.ToolCall{Name: c.Name}
			if c.Arguments != nil {
				calls[i].Arguments = r.value(id, c.Arguments).(map[string]any)
			}
		}
		res.ToolCalls = calls
	}
	if res.Judge != nil {
		j := *res.Judge
		j.Reason = r.Text(id, j.Reason)
		j.UnsupportedClaims = r.strings(id, j.UnsupportedClaims)
		j.Error = r.Text(id, j.Error)
		res.Judge = &j
	}
	return res
}

// Results returns masked copies of rs.
func (r *Redactor) Results(rs []eval.Result) []eval.Result {
	out := make([]eval.Result, len(rs))
	for i := range rs {
		out[i] = r.Result(rs[i])
	}
	return out
}

// Suite returns a copy of the suite, for the reports, whose cases' text (questions,
// conversations, reference answers, facts, forbidden content) and records are masked.
// The copy keeps the suite's name, hash and settings; it is not for scoring. A nil
// Redactor returns s.
func (r *Redactor) Suite(s *eval.Suite) *eval.Suite {
	if r == nil {
		return s
	}
	out := *s
	out.Description = r.Text("", s.Description)
	out.Cases = make([]eval.Case, len(s.Cases))
	for i, c := range s.Cases {
		id := c.ID
		c.Question = r.Text(id, c.Question)
		c.Reference = r.Text(id, c.Reference)
		c.Forbidden = r.strings(id, c.Forbidden)
		if c.Messages != nil {
			msgs := make([]eval.Message, len(c.Messages))
			for j, m := range c.Messages {
				msgs[j] = eval.Message{Role: m.Role, Content: r.Text(id, m.Content)}
			}
			c.Messages = msgs
		}
		if c.Facts != nil {
			facts := make([]eval.Fact, len(c.Facts))
			for j, f := range c.Facts {
				facts[j] = r.strings(id, f)
			}
			c.Facts = facts
		}
		if c.Customer != nil {
			c.Customer = r.value(id, c.Customer).(map[string]any)
		}
		if c.OtherRecords != nil {
			others := make([]map[string]any, len(c.OtherRecords))
			for j, rec := range c.OtherRecords {
				others[j] = r.value(id, rec).(map[string]any)
			}
			c.OtherRecords = others
		}
		out.Cases[i] = c
	}
	return &out
}

func (r *Redactor) strings(id string, ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = r.Text(id, s)
	}
	return out
}

// value masks every string inside v (maps and lists are copied, keys kept).
func (r *Redactor) value(id string, v any) any {
	switch x := v.(type) {
	case string:
		return r.Text(id, x)
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = r.value(id, e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = r.value(id, e)
		}
		return l
	case []map[string]any:
		l := make([]map[string]any, len(x))
		for i, e := range x {
			l[i] = r.value(id, e).(map[string]any)
		}
		return l
	case nil, bool:
		return x
	}
	// Numbers: masked as text when they are personal data (an account number).
	s := scalarText(v)
	if m := r.Text(id, s); m != s {
		return m
	}
	return v
}

// scalarText writes a record's number or other scalar as a person would.
func scalarText(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	}
	return fmt.Sprint(v)
}

// termsOf returns the masks of a case's records, building them once.
func (r *Redactor) termsOf(id string) []term {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ts, ok := r.terms[id]; ok {
		return ts
	}
	c := r.cases[id]
	var ts []term
	if c != nil {
		seen := map[string]bool{}
		add := func(value, mask string) {
			v := strings.TrimSpace(value)
			key := foldSpace(v)
			if seen[key] || utf8.RuneCountInString(v) < 2 {
				return
			}
			seen[key] = true
			ts = append(ts, newTerm(v, mask))
		}
		for _, rec := range records(c) {
			for _, f := range flattenRecord(rec, "") {
				r.recordTerms(f, add)
			}
		}
		// Longest first, so "Monique Lammers" is masked whole before "Monique".
		slices.SortStableFunc(ts, func(a, b term) int { return cmp.Compare(len(b.value), len(a.value)) })
	}
	r.terms[id] = ts
	return ts
}

// recordTerms adds the masks of one record value.
func (r *Redactor) recordTerms(f recordField, add func(value, mask string)) {
	key, v := strings.ToLower(f.key), f.value
	if isNameKey(key) {
		add(v, r.names[foldSpace(v)])
		for _, part := range strings.Fields(v) {
			p := strings.ToLower(strings.Trim(part, ".,"))
			if m, ok := r.names[p]; ok && utf8.RuneCountInString(p) >= 3 && part != p {
				add(strings.Trim(part, ".,"), m)
			}
		}
		return
	}
	last := key[strings.LastIndexByte(key, '.')+1:]
	if descriptive[last] && !strings.ContainsAny(v, "0123456789@") {
		return
	}
	d := digitsOnly(v)
	if utf8.RuneCountInString(v) < 4 || len(d) == len(strings.TrimSpace(v)) && len(d) < 6 {
		return // too short to identify anyone, or an amount or a count
	}
	mask := maskRedacted
	switch {
	case emailPattern.MatchString(v) || strings.Contains(last, "mail"):
		mask = maskEmail
	case strings.Contains(last, "iban") || validIBAN(v):
		mask = maskIBAN
	case strings.Contains(last, "card") || isCard(v, d):
		mask = maskCard
	case containsAny(last, "phone", "mobile", "tel", "fax"):
		mask = maskPhone
	case containsAny(last, "address", "street", "city", "zip", "postcode", "postal"):
		mask = maskAddress
		for _, part := range strings.Split(v, ",") {
			if utf8.RuneCountInString(strings.TrimSpace(part)) >= 4 {
				add(part, mask)
			}
			for _, w := range strings.Fields(part) {
				if utf8.RuneCountInString(w) >= 4 && unicode.IsUpper([]rune(w)[0]) {
					add(w, mask)
				}
			}
		}
	}
	add(v, mask)
}

// descriptive are record keys whose values describe rather than identify (a status, a
// plan, a country); they are masked only when they hold a digit or an '@'.
var descriptive = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`status state type category plan tier country currency language lang locale
		carrier method channel segment gender role priority product products item items sku title description notes
		note reason source created updated date`) {
		m[k] = true
	}
	return m
}()

// isNameKey reports whether a record key holds a person's name.
func isNameKey(key string) bool {
	k := strings.ToLower(key[strings.LastIndexByte(key, '.')+1:])
	return strings.Contains(k, "name") && !containsAny(k, "product", "item", "company", "store", "shop", "plan", "file", "host", "domain", "brand", "user")
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func newTerm(v, mask string) term {
	words := strings.Fields(v)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	t := term{re: regexp.MustCompile(`(?i)` + strings.Join(words, `\s+`)), mask: mask, value: v, anywhere: strings.Contains(v, "@")}
	if d := digitsOnly(v); len(d) >= 6 && 2*len(d) >= len(alnum(v)) {
		t.digits = d
	}
	return t
}

// find adds the spans where the term occurs in s as a whole word (or number), or
// anywhere for an e-mail address.
func (t term) find(s string, spans []maskSpan) []maskSpan {
	for _, m := range t.re.FindAllStringIndex(s, -1) {
		if t.anywhere || wordEdge(s, m[0], m[1]) {
			spans = append(spans, maskSpan{m[0], m[1], t.mask})
		}
	}
	if t.digits != "" {
		for _, sp := range digitRuns(s) {
			// The same number with or without its country code: the last nine digits.
			if strings.Contains(sp.digits, t.digits) || len(sp.digits) >= 9 && len(t.digits) >= 9 && sp.digits[len(sp.digits)-9:] == t.digits[len(t.digits)-9:] {
				spans = append(spans, maskSpan{sp.start, sp.end, t.mask})
			}
		}
	}
	return spans
}

// wordEdge reports whether s[start:end] is not part of a longer word or number.
func wordEdge(s string, start, end int) bool {
	if start > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:start]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[end:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	ibanPattern  = regexp.MustCompile(`\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{1,4}){3,8}\b`)
)

// patterns adds the spans of personal data any text may hold.
func (r *Redactor) patterns(s string, spans []maskSpan) []maskSpan {
	maskedEnd := -1
	for _, m := range emailPattern.FindAllStringIndex(s, -1) {
		// A match that starts where a masked address ends ("a@b.cc%@d.ee") is the rest
		// of the same token: masked too, or the mask's "]" would expose it to the next
		// pass (redaction must be idempotent).
		edge := wordEdge(s, m[0], m[1]) || m[0] == maskedEnd && wordEdge(s, 0, m[1])
		if edge && !r.public[strings.ToLower(s[m[0]:m[1]])] {
			spans = append(spans, maskSpan{m[0], m[1], maskEmail})
			maskedEnd = m[1]
		}
	}
	for _, m := range ibanPattern.FindAllStringIndex(s, -1) {
		if end := ibanEnd(s[m[0]:m[1]]); end > 0 {
			spans = append(spans, maskSpan{m[0], m[0] + end, maskIBAN})
		}
	}
	for _, sp := range digitRuns(s) {
		text := s[sp.start:sp.end]
		switch {
		case isCard(text, sp.digits):
			spans = append(spans, maskSpan{sp.start, sp.end, maskCard})
		case r.public[sp.digits]:
		case strings.HasPrefix(text, "+") && len(sp.digits) >= 8 && len(sp.digits) <= 15:
			spans = append(spans, maskSpan{sp.start, sp.end, maskPhone})
		}
	}
	return spans
}

// maskSpan is a byte range of a text and its mask.
type maskSpan struct {
	start, end int
	mask       string
}

// applyMasks replaces the spans of s, the earliest (then longest) winning overlaps.
func applyMasks(s string, spans []maskSpan) string {
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b maskSpan) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end)) })
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp.start < at {
			if sp.end > at { // overlaps the previous mask: extend it
				at = sp.end
			}
			continue
		}
		b.WriteString(s[at:sp.start])
		b.WriteString(sp.mask)
		at = sp.end
	}
	b.WriteString(s[at:])
	return b.String()
}

// digitRun is a run of digit groups joined by single spaces, dashes, dots, slashes or
// parentheses, with a leading '+' or '(' included, and its digits.
type digitRun struct {
	start, end int
	digits     string
}

func digitRuns(s string) []digitRun {
	var out []digitRun
	for i := 0; i < len(s); {
		if !isDigitByte(s[i]) {
			i++
			continue
		}
		if i > 0 && isLetterByte(s[i-1]) { // digits of a word such as NW20475022: skip it
			for i < len(s) && (isDigitByte(s[i]) || isLetterByte(s[i])) {
				i++
			}
			continue
		}
		start, last := i, i
		if start > 0 && (s[start-1] == '+' || s[start-1] == '(') {
			start--
		}
		var d strings.Builder
		cut, cutDigits := -1, 0 // the run's end before its last separator
		for j := i; j < len(s); j++ {
			c := s[j]
			next := byte(0)
			if j+1 < len(s) {
				next = s[j+1]
			}
			if isDigitByte(c) {
				d.WriteByte(c)
				last = j + 1
				continue
			}
			if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') && (isDigitByte(next) || next == '(') {
				if cut != last {
					cut, cutDigits = last, d.Len()
				}
				continue
			}
			break
		}
		if last < len(s) && isLetterByte(s[last]) { // a word such as 20475022NW
			// The digits before a separator are a number of their own ("+31 20 5550
			// 0A1" is +31 20 5550 and the word 0A1); dropping them would let masking
			// the word's neighbours change what the next pass finds.
			if cut > i {
				out = append(out, digitRun{start: start, end: cut, digits: d.String()[:cutDigits]})
			}
			i = last
			continue
		}
		out = append(out, digitRun{start: start, end: last, digits: d.String()})
		i = last + 1
	}
	return out
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func alnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isCard reports whether text (with digits d) is written like a payment card number:
// 13–19 digits with only spaces or dashes between them, passing the Luhn check.
func isCard(text, d string) bool {
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; !isDigitByte(c) && c != ' ' && c != '-' {
			return false
		}
	}
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// validIBAN reports whether s is an IBAN with a valid check (spaces allowed).
func validIBAN(s string) bool {
	s = strings.TrimSpace(s)
	return ibanPattern.MatchString(s) && ibanEnd(s) == len(s)
}

// ibanEnd returns the length of the longest prefix of m, ending at a group end, that is
// a valid IBAN of 15 to 34 characters, or 0.
func ibanEnd(m string) int {
	for end := len(m); end > 0; {
		chars := strings.ReplaceAll(m[:end], " ", "")
		if len(chars) >= 15 && len(chars) <= 34 && mod97(chars) == 1 {
			return end
		}
		end = strings.LastIndexByte(m[:end], ' ')
	}
	return 0
}

// mod97 computes the ISO 13616 check value of an IBAN (1 when valid).
func mod97(iban string) int {
	r := 0
	for k := 0; k < len(iban); k++ {
		c := iban[(k+4)%len(iban)]
		if isDigitByte(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}

// recordField is one scalar value of a record, with its dotted key path.
type recordField struct{ key, value string }

// flattenRecord lists the scalar values of a record (booleans and nulls skipped).
func flattenRecord(v any, key string) []recordField {
	join := func(k string) string {
		if key == "" {
			return k
		}
		return key + "." + k
	}
	switch x := v.(type) {
	case nil, bool:
		return nil
	case map[string]any:
		var out []recordField
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out = append(out, flattenRecord(x[k], join(k))...)
		}
		return out
	case []any:
		var out []recordField
		for _, e := range x {
			out = append(out, flattenRecord(e, key)...)
		}
		return out
	case []map[string]any:
		var out []recordField
		for _, e := range x {
			out = append(out, flattenRecord(e, key)...)
		}
		return out
	case string:
		return []recordField{{key, strings.TrimSpace(x)}}
	}
	return []recordField{{key, scalarText(v)}}
}
