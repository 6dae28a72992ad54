package results

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxCellChars is Excel's limit on the text of one cell, in UTF-16 code units.
const maxCellChars = 32767

// cellText makes untrusted text (model answers, questions, flags) safe for a cell:
// invalid UTF-8 and the control characters XML 1.0 forbids become U+FFFD, and text
// longer than Excel holds is cut with a visible marker. The result is always written
// as a string cell, so a leading =, +, - or @ stays text and never becomes a formula.
func cellText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if hasForbiddenXML(s) {
		s = strings.Map(func(r rune) rune {
			if forbiddenXML(r) {
				return '\uFFFD'
			}
			return r
		}, s)
	}
	return truncateCell(s, maxCellChars)
}

// forbiddenXML reports whether r cannot appear in an XML 1.0 document.
func forbiddenXML(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
}

func hasForbiddenXML(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		// U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xEF {
			return strings.ContainsFunc(s, forbiddenXML)
		}
	}
	return false
}

// truncateCell cuts s to at most limit UTF-16 code units (Excel's unit), ending with
// "… [truncated, N characters]" where N is the length of the full text.
func truncateCell(s string, limit int) string {
	if len(s) <= limit { // a byte is at most one UTF-16 unit
		return s
	}
	units, runes := 0, 0
	for _, r := range s {
		units += utf16.RuneLen(r)
		runes++
	}
	if units <= limit {
		return s
	}
	marker := fmt.Sprintf("… [truncated, %d characters]", runes)
	room := limit - utf16Len(marker)
	used := 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if used+n > room {
			return s[:i] + marker
		}
		used += n
	}
	return s + marker
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// cellRef names the cell at a 1-based column and row ("C7").
func cellRef(col, row int) string {
	// Out-of-range coordinates give "", which excelize then rejects with an error;
	// every sheet caps its rows below Excel's limit, so this does not happen.
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// grid writes one ordinary (not streamed) sheet. It keeps the first error, so the
// code of a sheet reads as its layout; err reports it once at the end.
type grid struct {
	f     *excelize.File
	sheet string
	err   error
}

func (g *grid) do(err error) {
	if g.err == nil && err != nil {
		g.err = fmt.Errorf("%s sheet: %w", g.sheet, err)
	}
}

func (g *grid) style(col, row, style int) {
	if style != 0 && g.err == nil {
		ref := cellRef(col, row)
		g.do(g.f.SetCellStyle(g.sheet, ref, ref, style))
	}
}

// text writes s as a string cell, never a formula.
func (g *grid) text(col, row int, s string, style int) {
	if g.err != nil {
		return
	}
	g.do(g.f.SetCellStr(g.sheet, cellRef(col, row), cellText(s)))
	g.style(col, row, style)
}

// number writes a float cell.
func (g *grid) number(col, row int, v float64, style int) {
	if g.err != nil {
		return
	}
	g.do(g.f.SetCellFloat(g.sheet, cellRef(col, row), v, -1, 64))
	g.style(col, row, style)
}

// integer writes an integer cell.
func (g *grid) integer(col, row, v, style int) {
	if g.err != nil {
		return
	}
	g.do(g.f.SetCellInt(g.sheet, cellRef(col, row), int64(v)))
	g.style(col, row, style)
}

// rate writes a rate as three percentage cells: value, 95% low, 95% high. A rate
// with nothing to measure is written as a dash.
func (g *grid) rate(col, row int, r Rate, style int) {
	if r.N == 0 {
		g.text(col, row, "—", style)
		return
	}
	g.number(col, row, r.Value, style)
	g.number(col+1, row, r.Low, style)
	g.number(col+2, row, r.High, style)
}

// headers writes a header row from col onwards.
func (g *grid) headers(col, row, style int, names ...string) {
	for i, n := range names {
		g.text(col+i, row, n, style)
	}
}

// widths sets column widths from column 1 onwards.
func (g *grid) widths(ws ...float64) {
	for i, w := range ws {
		if g.err != nil {
			return
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		g.do(g.f.SetColWidth(g.sheet, name, name, w))
	}
}

// height sets a row's height in points.
func (g *grid) height(row int, h float64) {
	if g.err == nil {
		g.do(g.f.SetRowHeight(g.sheet, row, h))
	}
}

// fit sets a row's height so that text wrapped in a column of the given width shows
// in full (up to Excel's row height limit), whether or not the reader's spreadsheet
// program grows rows by itself.
func (g *grid) fit(row int, text string, width float64) {
	g.fitLines(row, wrappedLines(text, width))
}

// fitLines makes a row tall enough for n lines of text.
func (g *grid) fitLines(row, n int) {
	if n > 1 {
		g.height(row, min(409, 15*float64(n)+2))
	}
}

// wrappedLines estimates how many lines text takes in a column of the given width.
func wrappedLines(text string, width float64) int {
	w := max(1, int(width))
	lines := 0
	for para := range strings.SplitSeq(text, "\n") {
		lines += max(1, (utf8.RuneCountInString(para)+w-1)/w)
		if lines > 30 {
			break // taller than Excel's highest row already
		}
	}
	return lines
}

// freeze keeps the first cols columns and rows rows in view while scrolling.
func (g *grid) freeze(cols, rows int) {
	if g.err == nil {
		g.do(g.f.SetPanes(g.sheet, &excelize.Panes{
			Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: cellRef(cols+1, rows+1), ActivePane: activePane(cols, rows),
		}))
	}
}

func activePane(cols, rows int) string {
	switch {
	case cols > 0 && rows > 0:
		return "bottomRight"
	case rows > 0:
		return "bottomLeft"
	}
	return "topRight"
}

// chart adds a chart with its top-left corner at cell.
func (g *grid) chart(col, row int, c *excelize.Chart) {
	if g.err == nil {
		g.do(g.f.AddChart(g.sheet, cellRef(col, row), c))
	}
}

// para writes a paragraph across columns from..to of a row: the cells are merged,
// the text wrapped and the row made tall enough for it. width is the merged width.
func (g *grid) para(from, to, row int, text string, style int, width float64) {
	g.text(from, row, text, style)
	if to > from && g.err == nil {
		g.do(g.f.MergeCell(g.sheet, cellRef(from, row), cellRef(to, row)))
		g.style(to, row, style)
	}
	g.fit(row, cellText(text), width)
}
