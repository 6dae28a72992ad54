package scorers

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The claims read from the raw text rather than from the canonical tokens, because their
// punctuation and case carry the meaning: e-mail addresses, URLs, phone numbers, numeric
// dates and ids.

// chunkClaims finds e-mail addresses and URLs in the whitespace-separated chunks of s.
func chunkClaims(s string, out []claim) []claim {
	for i := 0; i < len(s); {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		if j > i {
			out = chunkClaim(s, i, j, out)
		}
		i = j
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

const trimLeft = "([{<\"'*_`«“‘"
const trimRight = ".,;:!?)]}>\"'*_`»”’"

// chunkClaim reads an e-mail address or a URL from the chunk s[i:j]. Chunks without an
// '@' or an inner '.' are rejected before any other work.
func chunkClaim(s string, i, j int, out []claim) []claim {
	chunk := s[i:j]
	if at := strings.IndexByte(chunk, '@'); at > 0 {
		a, b := at, at+1
		for a > 0 && isMailChar(chunk[a-1], true) {
			a--
		}
		for b < len(chunk) && isMailChar(chunk[b], false) {
			b++
		}
		for b > at+1 && (chunk[b-1] == '.' || chunk[b-1] == '-') {
			b--
		}
		if a < at && strings.IndexByte(chunk[at+1:b], '.') > 0 {
			addr := chunk[a:b]
			return append(out, claim{kind: cEmail, key: "e:" + strings.ToLower(addr), text: addr, start: int32(i + a), end: int32(i + b)})
		}
		return out
	}
	dot := strings.IndexByte(chunk, '.')
	if dot < 0 || dot == len(chunk)-1 && strings.IndexByte(chunk, ':') < 0 {
		return out
	}
	k := indexFold(chunk, "http://")
	if k < 0 {
		k = indexFold(chunk, "https://")
	}
	if k < 0 {
		k = len(chunk) - len(strings.TrimLeft(chunk, trimLeft))
		if !hasPrefixFold(chunk[k:], "www.") && !isDomain(chunk[k:]) {
			return out
		}
	}
	u := strings.TrimRight(chunk[k:], trimRight)
	if len(u) < 4 {
		return out
	}
	return append(out, claim{kind: cURL, key: "u:" + canonURL(u), text: u, start: int32(i + k), end: int32(i + k + len(u))})
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case; prefix is lowercase.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// indexFold is strings.Index ignoring ASCII case; sub is lowercase.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}

func isMailChar(c byte, local bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-':
		return true
	case local && (c == '_' || c == '+' || c == '%'):
		return true
	}
	return false
}

// isDomain reports whether s starts with a host name whose top-level domain is a known
// one, optionally followed by a path.
func isDomain(s string) bool {
	end := len(s)
	if k := strings.IndexAny(s, "/?#"); k >= 0 {
		end = k
	}
	for end > 0 && strings.IndexByte(".,;:!?)]}>\"'*_`", s[end-1]) >= 0 {
		end--
	}
	host := s[:end]
	labels, start := 0, 0
	for i := 0; i <= len(host); i++ {
		if i < len(host) && host[i] != '.' {
			c := host[i]
			if !(isAlnum(c) || c == '-') {
				return false
			}
			continue
		}
		if i == start {
			return false // empty label
		}
		if labels == 0 && (i-start < 2 || isDigit(host[0])) {
			return false
		}
		labels++
		if i == len(host) {
			return labels >= 2 && tlds[strings.ToLower(host[start:i])]
		}
		start = i + 1
	}
	return false
}

// canonURL lowercases a URL and drops its scheme, "www.", trailing punctuation and a
// trailing slash.
func canonURL(u string) string {
	u = strings.ToLower(u)
	for _, p := range []string{"https://", "http://", "www."} {
		u = strings.TrimPrefix(u, p)
	}
	u = strings.TrimRight(u, trimRight)
	return strings.TrimRight(u, "/")
}

// digitClaims finds phone numbers and numeric dates: runs of digit groups separated by
// single spaces, dashes, dots, slashes or parentheses.
func digitClaims(s string, out []claim) []claim {
	taken := spansOf(out)
	for i := 0; i < len(s); i++ {
		c := s[i]
		start := (c == '+' || c == '(') && i+1 < len(s) && isDigit(s[i+1]) || isDigit(c)
		if !start || i > 0 && (isAlnum(s[i-1]) || s[i-1] == '.' || s[i-1] == ',' || s[i-1] == '/' || s[i-1] == '-') {
			continue
		}
		j, digits, groups, lastDigit := i, 0, 0, i
		inGroup := false
		for j < len(s) {
			d := s[j]
			if isDigit(d) {
				digits++
				if !inGroup {
					groups++
				}
				inGroup = true
				lastDigit = j + 1
			} else if d == ' ' || d == '-' || d == '.' || d == '/' || d == '(' || d == ')' || d == '+' && j == i {
				if !inGroup && d == ' ' && j > i && s[j-1] == ' ' {
					break
				}
				inGroup = false
			} else {
				break
			}
			j++
		}
		run := s[i:lastDigit]
		if lastDigit < len(s) && isAlpha(s[lastDigit]) {
			i = lastDigit
			continue
		}
		if cl, ok := numericDate(run); ok {
			cl.start, cl.end = int32(i), int32(lastDigit)
			out = append(out, cl)
		} else if digits >= 8 && !covered(taken, int32(i), int32(lastDigit)) {
			if digits <= 15 && looksLikePhone(run, groups) {
				out = append(out, claim{kind: cPhone, key: "ph:" + digitsOf(run), text: run, start: int32(i), end: int32(lastDigit)})
			} else if groups > 1 || digits > 15 {
				// A long grouped number (a card, a tracking number) is one id, not many numbers.
				out = append(out, claim{kind: cID, key: "id:" + digitsOf(run), text: run, start: int32(i), end: int32(lastDigit)})
			}
		}
		i = lastDigit
	}
	return out
}

func looksLikePhone(run string, groups int) bool {
	if run[0] == '+' || run[0] == '(' || run[0] == '0' {
		return true
	}
	if groups < 3 {
		return false
	}
	// 1.234.567 and 1,234,567 are amounts, not phones.
	parts := strings.FieldsFunc(run, func(r rune) bool { return r == '.' })
	if len(parts) == groups {
		for _, p := range parts[1:] {
			if len(p) != 3 {
				return true
			}
		}
		return false
	}
	return true
}

// numericDate reads 2024-03-01, 01/03/2024, 1.3.2024 and 01-03-2024 (day first).
func numericDate(run string) (claim, bool) {
	parts := strings.FieldsFunc(run, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) != 3 || strings.ContainsAny(run, " ()+") {
		return claim{}, false
	}
	n := [3]int{}
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return claim{}, false
		}
		n[i] = v
	}
	y, m, d := n[2], n[1], n[0]
	if len(parts[0]) == 4 {
		y, m, d = n[0], n[1], n[2]
	} else if len(parts[2]) != 4 && len(parts[2]) != 2 {
		return claim{}, false
	}
	if len(parts[2]) == 2 && len(parts[0]) != 4 {
		y += 2000
	}
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200 {
		return claim{}, false
	}
	return dateClaim(y, m, d, run), true
}

// idClaims finds order, tracking and account ids: chunks of letters, digits, '-' and '_'
// with at least six letters and digits that are either all digits, or mix an upper-case
// letter with two or more digits, or follow a '#'.
func idClaims(s string, out []claim) []claim {
	taken := spansOf(out)
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) && s[i] != '#' || i > 0 && (isAlnum(s[i-1]) || s[i-1] == '@' || s[i-1] == '.' || s[i-1] == '/') {
			i++
			continue
		}
		j := i
		if s[j] == '#' {
			j++
		}
		for j < len(s) && (isAlnum(s[j]) || (s[j] == '-' || s[j] == '_') && j+1 < len(s) && isAlnum(s[j+1])) {
			j++
		}
		if j < len(s) && (s[j] == '@' || s[j] >= utf8.RuneSelf || s[j] == '.' && j+1 < len(s) && isAlnum(s[j+1])) {
			i = j + 1
			continue
		}
		if id, ok := idKey(s[i:j]); ok && !covered(taken, int32(i), int32(j)) {
			out = append(out, claim{kind: cID, key: "id:" + id, text: s[i:j], start: int32(i), end: int32(j)})
		}
		if j == i {
			j++
		}
		i = j
	}
	return out
}

// idKey returns the canonical id (upper-case letters and digits) of chunk when it is an id.
func idKey(chunk string) (string, bool) {
	hash := strings.HasPrefix(chunk, "#")
	var upper, lower, digits int
	var letters [24]byte // the letters, lowercased, when few enough to be a unit or currency
	for i := 0; i < len(chunk); i++ {
		c := chunk[i]
		switch {
		case isDigit(c):
			digits++
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
			upper++
		case 'a' <= c && c <= 'z':
			lower++
		default:
			continue
		}
		if n := upper + lower; n <= len(letters) {
			letters[n-1] = c
		}
	}
	n, nl := digits+upper+lower, upper+lower
	switch {
	case digits == 0, n < 6 && !(hash && digits >= 3):
		return "", false
	case nl == 0:
		if !(digits >= 6 && !strings.ContainsAny(chunk, "-_") || hash) {
			return "", false
		}
	case nl <= len(letters) && (unitWords[string(letters[:nl])] != nil || currencyWords[string(letters[:nl])] != ""):
		return "", false
	case !(upper > 0 && digits >= 2 || hash && digits >= 3):
		return "", false
	}
	b := make([]byte, 0, n)
	for i := 0; i < len(chunk); i++ {
		c := chunk[i]
		switch {
		case isDigit(c), 'A' <= c && c <= 'Z':
			b = append(b, c)
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		}
	}
	return string(b), true
}
