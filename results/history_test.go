package results

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeHistoryRun writes a run directory with a manifest and, unless sum is nil, a summary.
func writeHistoryRun(t *testing.T, dir, name, suite, status string, started time.Time, sum *Summary) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
	m := &Manifest{Tool: "supportbench", Command: "run", Suite: SuiteInfo{Name: suite}, Started: started, Status: status}
	if err := WriteManifest(path, m); err != nil {
		t.Fatal(err)
	}
	if sum != nil {
		if err := WriteSummary(path, sum); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func historySummary(acc ...int) *Summary {
	s := &Summary{Suite: "northwind", Status: StatusComplete}
	for i, k := range acc {
		ms := ModelSummary{Model: []string{"alpha:7b", "beta:3b"}[i]}
		ms.Accuracy = NewRate(k, 20)
		ms.Hallucination = NewRate(1, 20)
		ms.Escalation.Recall = NewRate(5, 6)
		ms.LatencyMS = Percentiles{N: 20, P50: 900 + 100*float64(i)}
		s.Models = append(s.Models, ms)
	}
	return s
}

func TestReadHistory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 2, 0, 0, 0, time.UTC) }
	writeHistoryRun(t, dir, "northwind-3", "northwind", StatusComplete, day(3), historySummary(15, 12))
	second := writeHistoryRun(t, dir, "northwind-2", "northwind", StatusComplete, day(2), historySummary(14, 11))
	writeHistoryRun(t, dir, "northwind-1", "northwind", StatusComplete, day(1), historySummary(13))
	writeHistoryRun(t, dir, "northwind-broken", "northwind", StatusInterrupted, day(4), historySummary(1, 1))
	writeHistoryRun(t, dir, "other-suite", "acme", StatusComplete, day(5), historySummary(1, 1))
	writeHistoryRun(t, dir, "northwind-nosummary", "northwind", StatusComplete, day(6), nil)
	current := writeHistoryRun(t, dir, "northwind-now", "northwind", StatusComplete, day(7), historySummary(2, 2))
	if err := os.Symlink(second, filepath.Join(dir, "baseline")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}

	pts, skipped, err := ReadHistory(dir, "northwind", 30, current)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pts {
		got = append(got, p.Run+"/"+p.Model)
	}
	want := []string{"northwind-1/alpha:7b", "northwind-2/alpha:7b", "northwind-2/beta:3b", "northwind-3/alpha:7b", "northwind-3/beta:3b"}
	if !slices.Equal(got, want) {
		t.Errorf("points %v, want %v (oldest first, the symlink once, the current run left out)", got, want)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0], "northwind-nosummary") {
		t.Errorf("skipped %v, want the run without a summary", skipped)
	}
	if p := pts[0]; p.Accuracy.K != 13 || p.LatencyP50MS != 900 || !p.Started.Equal(day(1)) {
		t.Errorf("first point %+v", p)
	}
	pts, _, err = ReadHistory(dir, "northwind", 2, current)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 4 || pts[0].Run != "northwind-2" {
		t.Errorf("limit 2 kept %+v, want the last two runs", pts)
	}
	if _, _, err := ReadHistory(filepath.Join(dir, "missing"), "northwind", 30); err == nil {
		t.Error("a missing history folder is not an error")
	}
}

// historyReport is the scorecard fixture with three earlier runs and a baseline.
func historyReport() *Report {
	rep := markdownReport()
	day := func(d int) time.Time { return time.Date(2026, 2, d, 21, 0, 0, 0, time.UTC) }
	rep.History = append(rep.History, HistoryOf("northwind-20260226", &Manifest{Started: day(26)}, historySummary(13))...)
	rep.History = append(rep.History, HistoryOf("northwind-20260227", &Manifest{Started: day(27)}, historySummary(15, 9))...)
	rep.History = append(rep.History, HistoryOf("northwind-20260302", rep.Manifest, rep.Summary)...)
	return rep
}

func TestScorecardTrendAndBaselineSheets(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, historyReport()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Verdict", "Summary", "Categories", "Escalation", "Cases", "Failures", "Trust", "Calibration", "Trend", "Run"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	charts := zipNames(t, buf.Bytes(), regexp.MustCompile(`^xl/charts/chart\d+\.xml$`))
	if len(charts) != 4 {
		t.Errorf("charts %v, want 4 (Summary, Categories, Calibration, Trend)", charts)
	}
	var line bool
	for _, c := range charts {
		line = line || bytes.Contains(zipFile(t, buf.Bytes(), c), []byte("<lineChart>"))
	}
	if !line {
		t.Error("no line chart in the workbook")
	}
	checkGolden(t, filepath.Join("testdata", "history", "Trend.txt"), dumpSheet(t, f, "Trend"))
	checkGolden(t, filepath.Join("testdata", "compare", "Summary.txt"), dumpSheet(t, f, "Summary"))
	cells := cellsOf(t, f, "Summary")
	for _, want := range []string{"Change against the baseline", "✗ Regressed", markDown, markNone} {
		if _, ok := cells[want]; !ok {
			t.Errorf("Summary sheet lacks %q", want)
		}
	}
}
