package results

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/supportbench/supportbench/eval"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// writeFixture writes the fixture's workbook into a temporary directory and returns
// its bytes and the reopened workbook.
func writeFixture(t *testing.T) ([]byte, *excelize.File) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), XLSXFile)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("reopen %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return buf.Bytes(), f
}

func TestScorecardGolden(t *testing.T) {
	t.Parallel()
	_, f := writeFixture(t)
	for _, sheet := range f.GetSheetList() {
		got := dumpSheet(t, f, sheet)
		path := filepath.Join("testdata", "scorecard", sheet+".txt")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestScorecardGolden -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("sheet %s differs from %s (run with -update to accept):\n%s", sheet, path, goldenDiff(string(want), got))
		}
	}
}

// dumpSheet writes every cell's shown value, row by row, tab-separated. Tabs, line
// breaks and backslashes are escaped; very long cells are abbreviated in the middle
// so that golden files stay readable.
func dumpSheet(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	esc := strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)
	for _, row := range rows {
		for i, cell := range row {
			if i > 0 {
				b.WriteByte('\t')
			}
			if r := []rune(cell); len(r) > 300 {
				cell = fmt.Sprintf("%s…<%d characters>…%s", string(r[:100]), len(r), string(r[len(r)-100:]))
			}
			b.WriteString(esc.Replace(cell))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func goldenDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant: %q\ngot:  %q", i+1, wl, gl)
		}
	}
	return "(no line differs)"
}

func TestScorecardSheetsAndCharts(t *testing.T) {
	t.Parallel()
	data, f := writeFixture(t)
	want := []string{"Verdict", "Summary", "Categories", "Escalation", "Cases", "Failures", "Trust", "Calibration", "Run"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want 0 (Verdict)", i)
	}
	charts := zipNames(t, data, regexp.MustCompile(`^xl/charts/chart\d+\.xml$`))
	if len(charts) != 3 {
		t.Errorf("charts %v, want 3 (Summary, Categories, Calibration)", charts)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Creator != "supportbench" || props.Created != "2026-03-02T21:08:00Z" || !strings.Contains(props.Title, "northwind") {
		t.Errorf("document properties %+v", props)
	}
	panes, err := f.GetPanes("Cases")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 1 {
		t.Errorf("Cases panes %+v, want the header row and first column frozen", panes)
	}
}

func TestScorecardHasNoFormulas(t *testing.T) {
	t.Parallel()
	data, f := writeFixture(t)
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, err := f.GetCellFormula(sheet, ref); err != nil || formula != "" {
					t.Errorf("%s!%s has formula %q (err %v)", sheet, ref, formula, err)
				}
			}
		}
	}
	formula := regexp.MustCompile(`<f[ >]`)
	for _, name := range zipNames(t, data, regexp.MustCompile(`^xl/worksheets/.*\.xml$`)) {
		if formula.Match(zipFile(t, data, name)) {
			t.Errorf("%s contains a formula element", name)
		}
	}
}

func TestScorecardUntrustedTextStaysText(t *testing.T) {
	t.Parallel()
	_, f := writeFixture(t)
	cells := cellsOf(t, f, "Cases")
	for _, want := range []string{answerEquals, answerPlus, answerMinus, answerAt, questionDDE} {
		ref, ok := cells[want]
		if !ok {
			t.Errorf("Cases sheet lacks %q as a cell value", want)
			continue
		}
		typ, err := f.GetCellType("Cases", ref)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("Cases!%s (%q) has type %v, want a string", ref, want, typ)
		}
	}
	if _, ok := cellsOf(t, f, "Failures")[answerPlus]; !ok {
		t.Errorf("Failures sheet lacks %q", answerPlus)
	}
	cleaned := "Sorry\uFFFD about the kettle\uFFFD[0m. A refund goes to your original payment method.\uFFFD\uFFFD"
	if _, ok := cells[cleaned]; !ok {
		t.Errorf("Cases sheet lacks the cleaned control-character answer %q", cleaned)
	}
	for _, sheet := range f.GetSheetList() {
		for v, ref := range cellsOf(t, f, sheet) {
			if !utf8.ValidString(v) || strings.ContainsFunc(v, forbiddenXML) {
				t.Errorf("%s!%s holds a character XML forbids: %q", sheet, ref, v)
			}
		}
	}
}

func TestScorecardTruncatesLongAnswers(t *testing.T) {
	t.Parallel()
	_, f := writeFixture(t)
	marker := fmt.Sprintf("… [truncated, %d characters]", longAnswerChars)
	var found string
	for v := range cellsOf(t, f, "Cases") {
		if strings.HasSuffix(v, marker) {
			found = v
		}
	}
	if found == "" {
		t.Fatalf("no Cases cell ends with %q", marker)
	}
	if n := len(utf16.Encode([]rune(found))); n > maxCellChars {
		t.Errorf("truncated answer has %d UTF-16 units, limit %d", n, maxCellChars)
	}
	if kept := strings.TrimSuffix(found, marker); !strings.HasPrefix(longAnswer(), kept) || len(kept) < 32000 {
		t.Errorf("truncated answer keeps %d characters, not a prefix of the answer", len(kept))
	}
}

// cellsOf maps every cell value of a sheet to the cell holding it.
func cellsOf(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for r, row := range rows {
		for c, v := range row {
			if v != "" {
				out[v], _ = excelize.CoordinatesToCellName(c+1, r+1)
			}
		}
	}
	return out
}

func zipNames(t *testing.T, data []byte, re *regexp.Regexp) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, zf := range zr.File {
		if re.MatchString(zf.Name) {
			out = append(out, zf.Name)
		}
	}
	slices.Sort(out)
	return out
}

func zipFile(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Text that looks like spreadsheet or XML markup must come back exactly as written.
func TestScorecardRoundTripsLookalikes(t *testing.T) {
	t.Parallel()
	answers := []string{"_x0041_ is not an A", "  leading and trailing spaces  ", "<b>&amp;</b> \"quoted\" 'single'", "line one\r\nline two", "'=1+1", "\t=1+1"}
	rep := &Report{}
	for i, a := range answers {
		rep.Results = append(rep.Results, eval.Result{CaseID: fmt.Sprintf("c%d", i), Model: "m", Trial: 1, Category: "x", Answer: a})
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells := cellsOf(t, f, "Cases")
	for _, a := range answers {
		if _, ok := cells[a]; !ok {
			t.Errorf("answer %q does not round-trip", a)
		}
	}
}
