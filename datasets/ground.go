package datasets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Grounding: every literal fact of a case must appear in something the model is given —
// the case's knowledge articles, its reference answer, the customer's record or the
// conversation. A fact that appears in none of them cannot be stated without inventing
// it, so it is a labelling mistake. The comparison ignores case, runs of white space and
// Unicode compatibility forms (NFKC: full-width digits, ligatures, non-breaking spaces).

// grounds holds the folded text of every knowledge article, computed once per suite so
// that checking a case costs a substring search per article, not a re-normalisation.
type grounds struct {
	articles map[string]string
}

func newGrounds(knowledge map[string]string) *grounds {
	g := &grounds{articles: make(map[string]string, len(knowledge))}
	for id, text := range knowledge {
		g.articles[id] = fold(text)
	}
	return g
}

// caseGrounds is the folded grounding of one case, built on first use into a buffer
// that a validation worker reuses from case to case.
type caseGrounds struct {
	g    *grounds
	rc   *rawCase
	buf  *[]byte // reference, customer record values and conversation, folded
	done bool
}

// has reports whether the literal alt is stated somewhere in the case's grounding.
func (cg *caseGrounds) has(alt string) bool {
	needle := fold(alt)
	if needle == "" {
		return false
	}
	for _, id := range cg.rc.Knowledge {
		if strings.Contains(cg.g.articles[strings.TrimSpace(id)], needle) {
			return true
		}
	}
	if !cg.done {
		*cg.buf, cg.done = appendCaseText((*cg.buf)[:0], cg.rc), true
	}
	return bytes.Contains(*cg.buf, []byte(needle))
}

// appendCaseText appends a case's own grounding, folded. Parts are separated by NUL so
// that a fact cannot match across two of them.
func appendCaseText(b []byte, rc *rawCase) []byte {
	b = append(appendFold(b, rc.Reference), 0)
	b = appendValues(b, rc.Customer)
	if rc.Question != nil {
		b = append(appendFold(b, *rc.Question), 0)
	}
	for _, m := range rc.Messages {
		b = append(appendFold(b, m.Content), 0)
	}
	return b
}

// appendValues appends every scalar value of a record (not its keys), folded.
func appendValues(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return b
	case map[string]any:
		for _, x := range v {
			b = appendValues(b, x)
		}
		return b
	case []any:
		for _, x := range v {
			b = appendValues(b, x)
		}
		return b
	case string:
		b = appendFold(b, v)
	case json.Number:
		b = append(b, v...)
	case float64:
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
	default:
		b = appendFold(b, fmt.Sprint(v))
	}
	return append(b, 0)
}

// fold normalises text for comparison: NFKC, lower case, white space runs collapsed to
// one space, trimmed.
func fold(s string) string { return string(appendFold(make([]byte, 0, len(s)), s)) }

// appendFold appends s folded. ASCII text, the common case, is folded in one pass.
func appendFold(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			s = strings.ToLower(norm.NFKC.String(s))
			break
		}
	}
	space, start := false, len(b)
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(b) > start {
			b = append(b, ' ')
		}
		space = false
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
		} else {
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}
