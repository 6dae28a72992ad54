package datasets

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem is one thing wrong with a suite, positioned in the file that holds it.
type Problem struct {
	// Pos is where the problem is: "suite/cases/refunds.yaml:12",
	// "suite/cases/cases.xlsx:Sheet1!C7", or a bare path for whole-file problems.
	Pos string
	// Field is the suite.yaml key or case field concerned ("facts", "options.seed");
	// empty when the problem is not about one field.
	Field string
	// Msg says what is wrong and, where it helps, what to do.
	Msg string

	at pos
}

// String formats the problem as "pos: field: msg" (or "pos: msg" without a field).
func (p Problem) String() string {
	if p.Field == "" {
		return p.Pos + ": " + p.Msg
	}
	return p.Pos + ": " + p.Field + ": " + p.Msg
}

// ProblemsError is returned by Load, LoadFS and Demo when a suite is invalid. It holds
// every problem found, in a stable order (by file, then line or cell, then field).
type ProblemsError struct {
	Problems []Problem
}

// Error lists every problem, one per line.
func (e *ProblemsError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// pos is a position inside a suite: a file relative to the suite root, a 1-based line
// (or XLSX row) and, for XLSX, a sheet and 1-based column. line 0 means the whole file.
type pos struct {
	file  string
	line  int
	col   int
	sheet string
}

// format renders the position for messages, prefixed with the suite's label.
func (p pos) format(label string) string {
	name := p.file
	if label != "" {
		name = strings.TrimSuffix(label, "/") + "/" + p.file
	}
	switch {
	case p.line <= 0:
		return name
	case p.sheet != "":
		return name + ":" + p.sheet + "!" + columnName(p.col) + strconv.Itoa(p.line)
	default:
		return name + ":" + strconv.Itoa(p.line)
	}
}

// columnName turns a 1-based column number into spreadsheet letters (1 → A, 28 → AB).
func columnName(col int) string {
	if col < 1 {
		col = 1
	}
	var b []byte
	for col > 0 {
		col--
		b = append(b, byte('A'+col%26))
		col /= 26
	}
	slices.Reverse(b)
	return string(b)
}

// problems collects problems while a suite loads; it is not safe for concurrent use.
type problems struct {
	list []Problem
}

func (ps *problems) add(at pos, field, format string, args ...any) {
	ps.list = append(ps.list, Problem{Field: field, Msg: fmt.Sprintf(format, args...), at: at})
}

func (ps *problems) merge(other []Problem) { ps.list = append(ps.list, other...) }

// err returns nil when nothing was found, and otherwise the sorted problems with their
// positions rendered under label.
func (ps *problems) err(label string) error {
	if len(ps.list) == 0 {
		return nil
	}
	out := slices.Clone(ps.list)
	for i := range out {
		out[i].Pos = out[i].at.format(label)
	}
	slices.SortStableFunc(out, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.at.file, b.at.file),
			cmp.Compare(a.at.sheet, b.at.sheet),
			cmp.Compare(a.at.line, b.at.line),
			cmp.Compare(a.at.col, b.at.col),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	out = slices.CompactFunc(out, func(a, b Problem) bool { return a.String() == b.String() })
	return &ProblemsError{Problems: out}
}

// suggest returns ` (did you mean "x"?)` for the candidate closest to s, or "" when
// nothing is close enough to be a likely typo.
func suggest(s string, candidates []string) string {
	best, bestDist := "", len(s)/2+2
	n := utf8.RuneCountInString(s)
	for _, c := range candidates {
		// The distance is at least the difference in length: skipping such candidates
		// keeps a hostile megabyte-long key from costing n×m memory in editDistance.
		if abs(n-utf8.RuneCountInString(c)) >= bestDist {
			continue
		}
		if d := editDistance(strings.ToLower(s), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal-string-alignment distance between a and b, counted in
// runes: insertions, deletions, substitutions and swaps of neighbours cost 1, so that
// "modles" is closer to "models" than to "mode".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// quoteList renders names as `a, b or c` for messages.
func quoteList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
