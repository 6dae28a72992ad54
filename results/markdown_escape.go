package results

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// md makes untrusted text (model answers, questions, flags, names) safe inside one
// Markdown table cell or inline run, on GitHub and in any CommonMark renderer: it
// cannot end the cell or the line, start code, emphasis, a link or an image, carry
// HTML or an entity, or be turned into a link by autolinking — it shows as the text
// it is. Line breaks become <br>; control and bidirectional-override characters and
// invalid UTF-8 become U+FFFD. Text longer than limit characters (limit > 0) is cut
// with "…".
func md(s string, limit int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if limit > 0 && utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '|', '~', '@':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\n', '\r':
			b.WriteString("<br>")
		case '\t':
			b.WriteByte(' ')
		case ':':
			// "https://..." would be autolinked: an escaped colon shows the same.
			if strings.HasPrefix(s[i+1:], "//") {
				b.WriteString(`\:`)
			} else {
				b.WriteRune(r)
			}
		case '.':
			// So would "www.example.com".
			if i >= 3 && strings.EqualFold(s[i-3:i], "www") && (i == 3 || !isWordByte(s[i-4])) {
				b.WriteString(`\.`)
			} else {
				b.WriteRune(r)
			}
		default:
			if unicode.IsControl(r) || isBidiControl(r) {
				r = '\uFFFD'
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
