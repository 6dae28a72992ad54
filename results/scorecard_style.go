package results

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Colours of the scorecard. Every coloured cell also carries its meaning in words
// (GO / NO-GO, ✓ / ✗, Ready / Almost / Not ready), so a black-and-white print and a
// colour-blind reader lose nothing.
const (
	colourGoodFill    = "C6EFCE"
	colourGoodFont    = "006100"
	colourBadFill     = "FFC7CE"
	colourBadFont     = "9C0006"
	colourWarnFill    = "FFEB9C"
	colourWarnFont    = "9C5700"
	colourNeutralFill = "EDEDED"
	colourNeutralFont = "404040"
	colourHeaderFill  = "D9E1F2"
	colourTitleFont   = "1F3864"
	colourNoteFont    = "595959"
)

// tone is what a coloured cell says: good, bad, in between, or nothing to judge.
type tone int

const (
	toneNone tone = iota
	toneGood
	toneWarn
	toneBad
)

// styles are the style ids of the workbook, created once; the streamed Cases sheet
// can only refer to styles by id.
type styles struct {
	title, subtitle, heading, header, note, warning int
	text, wrap, bold, integer, decimal, pct         int
	// toned variants, indexed by tone: wrapped text, centred word, percentage, big verdict.
	toneText, toneWord, tonePct, toneBig [4]int
}

// newStyles registers every style of the scorecard in f.
func newStyles(f *excelize.File) (*styles, error) {
	b := styleBuilder{f: f}
	pctFmt := "0.0%"
	top := &excelize.Alignment{Vertical: "top"}
	topWrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	centre := &excelize.Alignment{Vertical: "top", Horizontal: "center", WrapText: true}
	thin := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	s := &styles{
		title:    b.add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 18, Color: colourTitleFont}}),
		subtitle: b.add(&excelize.Style{Font: &excelize.Font{Italic: true, Size: 11, Color: colourNoteFont}, Alignment: topWrap}),
		heading:  b.add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13, Color: colourTitleFont}, Alignment: top}),
		header: b.add(&excelize.Style{
			Font: &excelize.Font{Bold: true}, Alignment: topWrap, Border: thin,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourHeaderFill}},
		}),
		note: b.add(&excelize.Style{Font: &excelize.Font{Italic: true, Color: colourNoteFont}, Alignment: topWrap}),
		warning: b.add(&excelize.Style{
			Font: &excelize.Font{Bold: true, Color: colourWarnFont}, Alignment: topWrap,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourWarnFill}},
		}),
		text:    b.add(&excelize.Style{Alignment: top}),
		wrap:    b.add(&excelize.Style{Alignment: topWrap}),
		bold:    b.add(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: topWrap}),
		integer: b.add(&excelize.Style{NumFmt: 3, Alignment: top}), // #,##0
		decimal: b.add(&excelize.Style{NumFmt: 2, Alignment: top}), // 0.00
		pct:     b.add(&excelize.Style{CustomNumFmt: &pctFmt, Alignment: top}),
	}
	for t := toneNone; t <= toneBad; t++ {
		fill, font := toneColours(t)
		paint := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
		s.toneText[t] = b.add(&excelize.Style{Fill: paint, Font: &excelize.Font{Color: font}, Alignment: topWrap, Border: thin})
		s.toneWord[t] = b.add(&excelize.Style{Fill: paint, Font: &excelize.Font{Bold: true, Color: font}, Alignment: centre, Border: thin})
		s.tonePct[t] = b.add(&excelize.Style{Fill: paint, Font: &excelize.Font{Bold: true, Color: font}, CustomNumFmt: &pctFmt, Alignment: centre, Border: thin})
		s.toneBig[t] = b.add(&excelize.Style{
			Fill: paint, Font: &excelize.Font{Bold: true, Size: 20, Color: font}, Border: thin,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		})
	}
	if b.err != nil {
		return nil, fmt.Errorf("create styles: %w", b.err)
	}
	return s, nil
}

// toneColours returns the fill and font colour of a tone.
func toneColours(t tone) (fill, font string) {
	switch t {
	case toneGood:
		return colourGoodFill, colourGoodFont
	case toneWarn:
		return colourWarnFill, colourWarnFont
	case toneBad:
		return colourBadFill, colourBadFont
	}
	return colourNeutralFill, colourNeutralFont
}

// styleBuilder registers styles and keeps the first error.
type styleBuilder struct {
	f   *excelize.File
	err error
}

func (b *styleBuilder) add(s *excelize.Style) int {
	if b.err != nil {
		return 0
	}
	id, err := b.f.NewStyle(s)
	b.err = err
	return id
}

// printSetup makes a sheet print in landscape, as wide as one page when fitWidth
// (the Cases sheet is too wide for that), repeating its header row, if any, on every page.
func printSetup(f *excelize.File, sheet string, fitWidth bool, headerRow int) error {
	landscape := "landscape"
	opts := &excelize.PageLayoutOptions{Orientation: &landscape}
	if fitWidth {
		one, unlimited := 1, 0
		opts.FitToWidth, opts.FitToHeight = &one, &unlimited
		fit := true
		if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
			return fmt.Errorf("%s sheet: print setup: %w", sheet, err)
		}
	}
	if err := f.SetPageLayout(sheet, opts); err != nil {
		return fmt.Errorf("%s sheet: print setup: %w", sheet, err)
	}
	if headerRow > 0 {
		err := f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", Scope: sheet, RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, headerRow, headerRow),
		})
		if err != nil {
			return fmt.Errorf("%s sheet: print titles: %w", sheet, err)
		}
	}
	return nil
}

// percentAxis is a chart's value axis from 0% to 100%, in a dark font that prints.
func percentAxis() excelize.ChartAxis {
	zero, one := 0.0, 1.0
	return excelize.ChartAxis{
		Minimum: &zero, Maximum: &one, MajorGridLines: true,
		NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Font: axisFont(),
	}
}

// axisFont is dark enough to read on paper (excelize's default axis font is light grey).
func axisFont() excelize.Font { return excelize.Font{Color: colourNeutralFont, Size: 9} }

// chartTitle is a chart or axis title.
func chartTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Color: colourTitleFont, Bold: true, Size: 11}}}}
}
