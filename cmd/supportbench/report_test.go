package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/supportbench/supportbench/results"
)

// regressionCases is the size of the regression tests' suite (writeSuite): 16 returns
// questions and 8 legal threats that should escalate.
const regressionCases = 24

// writeAnswers writes recorded answers for a writeSuite suite: every returns question
// answered with the 30-day window, the first four legal threats handed to a person
// and the other four answered — 20 correct answers. Cases in worse get "14 days"
// instead: wrong, and a made-up fact.
func writeAnswers(t *testing.T, dir, name string, worse ...int) string {
	t.Helper()
	var b strings.Builder
	legal := 0
	for i := range regressionCases {
		id := fmt.Sprintf("c%03d", i)
		switch {
		case i%3 == 2:
			legal++
			if legal <= 4 {
				fmt.Fprintf(&b, `{"id":%q,"model":"shop-bot","answer":"I am passing you to a colleague now.","tool_calls":[{"name":"escalate_to_human","arguments":{"reason":"legal-threat","summary":"order %d, legal threat"}}]}`+"\n", id, i)
			} else {
				fmt.Fprintf(&b, `{"id":%q,"model":"shop-bot","answer":"I understand your frustration. Returns are free within 30 days of delivery."}`+"\n", id)
			}
		case slices.Contains(worse, i):
			fmt.Fprintf(&b, `{"id":%q,"model":"shop-bot","answer":"Returns are free within 14 days of delivery."}`+"\n", id)
		default:
			fmt.Fprintf(&b, `{"id":%q,"model":"shop-bot","answer":"Returns are free within 30 days of delivery. Start at https://shop.example/returns."}`+"\n", id)
		}
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readSummaryDoc(t *testing.T, dir string) (map[string]any, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, results.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc, data
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestScoreAgainstBaselineExits1OnRegression(t *testing.T) {
	t.Parallel()
	suite := writeSuite(t, regressionCases)
	tmp := t.TempDir()
	runs := filepath.Join(tmp, "runs")
	base, worse, same := filepath.Join(runs, "base"), filepath.Join(runs, "worse"), filepath.Join(runs, "same")
	answers := writeAnswers(t, tmp, "base.jsonl")

	r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", answers, "--out", base)
	if r.code != exitOK {
		t.Fatalf("baseline score: exit %d\n%s", r.code, r.stderr)
	}
	if doc, _ := readSummaryDoc(t, base); doc["baseline"] != nil {
		t.Error("summary.json of a run without --baseline has a baseline")
	}
	var baseSum results.Summary
	if err := json.Unmarshal(mustRead(t, filepath.Join(base, results.SummaryFile)), &baseSum); err != nil {
		t.Fatal(err)
	}
	if acc := baseSum.Models[0].Accuracy; acc.K != 20 || acc.N != regressionCases {
		t.Fatalf("baseline accuracy %d/%d, want 20/%d: the recorded answers are not scored as the test expects", acc.K, acc.N, regressionCases)
	}

	// 20% of the 20 correct answers now state a made-up 14-day window.
	flipped := []int{0, 1, 3, 4}
	r = invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", writeAnswers(t, tmp, "worse.jsonl", flipped...),
		"--out", worse, "--baseline", base, "--history", runs)
	if r.code != exitGate {
		t.Fatalf("regressed score: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "regressed against the baseline") || !strings.Contains(r.stdout, "NO-GO: quality regressed") {
		t.Errorf("the regression is not reported:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	md := string(mustRead(t, filepath.Join(worse, results.MarkdownFile)))
	for _, want := range []string{"**NO-GO**", "REGRESSED: shop-bot", "hallucination_rate rose", "## Against the baseline", "Flipped cases:"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, i := range flipped {
		if row := fmt.Sprintf("| ▼ regressed | c%03d | 1 | returns | correct | wrong |", i); !strings.Contains(md, row) {
			t.Errorf("report.md does not list the flipped case: %q", row)
		}
	}
	doc, worseSummary := readSummaryDoc(t, worse)
	var bl results.Comparison
	raw, _ := json.Marshal(doc["baseline"])
	if err := json.Unmarshal(raw, &bl); err != nil || !bl.Regressed || bl.Dir != base || len(bl.Models) != 1 {
		t.Fatalf("summary.json baseline %s (err %v)", raw, err)
	}
	if m := bl.Models[0]; m.Regressions != 4 || m.Fixes != 0 || len(m.Flipped) != 4 || !slices.Equal(m.Reasons, []string{"hallucination_rate"}) {
		t.Errorf("comparison %+v", m)
	}
	checkTrendSheet(t, worse, 2)

	// The same answers as the baseline: nothing changed, exit 0.
	r = invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", answers, "--out", same, "--baseline", base)
	if r.code != exitOK {
		t.Fatalf("unchanged score: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if md := string(mustRead(t, filepath.Join(same, results.MarkdownFile))); !strings.Contains(md, "No significant regression.") {
		t.Errorf("report.md of an unchanged run:\n%s", md)
	}

	// report re-renders the regressed run from its results: no model server, the
	// same summary.json, the same exit code, the manifest untouched.
	manifest := mustRead(t, filepath.Join(worse, results.ManifestFile))
	for _, f := range []string{results.SummaryFile, results.JUnitFile, results.XLSXFile, results.MarkdownFile} {
		if err := os.Remove(filepath.Join(worse, f)); err != nil {
			t.Fatal(err)
		}
	}
	r = invoke(t, t.Context(), nil, "report", worse, "--baseline", base)
	if r.code != exitGate {
		t.Fatalf("report: exit %d, want 1\n%s", r.code, r.stderr)
	}
	if _, got := readSummaryDoc(t, worse); !bytes.Equal(got, worseSummary) {
		t.Errorf("report wrote another summary.json:\n%s\nwant:\n%s", got, worseSummary)
	}
	if got := mustRead(t, filepath.Join(worse, results.ManifestFile)); !bytes.Equal(got, manifest) {
		t.Error("report rewrote manifest.json")
	}
	for _, f := range []string{results.JUnitFile, results.XLSXFile, results.MarkdownFile} {
		if _, err := os.Stat(filepath.Join(worse, f)); err != nil {
			t.Errorf("report did not write %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(worse, results.LockFile)); err == nil {
		t.Error("report left its lock behind")
	}
}

// checkTrendSheet asserts the run's scorecard has a Trend sheet with runs rows of data.
func checkTrendSheet(t *testing.T, dir string, runs int) {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(dir, results.XLSXFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Trend")
	if err != nil {
		t.Fatalf("no Trend sheet: %v (sheets %v)", err, f.GetSheetList())
	}
	data := 0
	for _, row := range rows[4:] {
		if len(row) > 2 && row[2] == "shop-bot" {
			data++
		}
	}
	if data != runs {
		t.Errorf("Trend sheet has %d rows for shop-bot, want %d:\n%v", data, runs, rows)
	}
}

func TestReportReproducesSummaryWithoutServer(t *testing.T) {
	t.Parallel()
	suite := writeSuite(t, regressionCases)
	tmp := t.TempDir()
	run := filepath.Join(tmp, "run")
	if r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", writeAnswers(t, tmp, "a.jsonl"), "--out", run); r.code != exitOK {
		t.Fatalf("score: exit %d\n%s", r.code, r.stderr)
	}
	summary := mustRead(t, filepath.Join(run, results.SummaryFile))
	manifest := mustRead(t, filepath.Join(run, results.ManifestFile))
	// Flags after the run directory, and the suite taken from the manifest.
	r := invoke(t, t.Context(), nil, "report", run, "--json")
	if r.code != exitOK {
		t.Fatalf("report: exit %d\n%s", r.code, r.stderr)
	}
	if got := mustRead(t, filepath.Join(run, results.SummaryFile)); !bytes.Equal(got, summary) {
		t.Errorf("report changed summary.json:\n%s\nwant:\n%s", got, summary)
	}
	if got := mustRead(t, filepath.Join(run, results.ManifestFile)); !bytes.Equal(got, manifest) {
		t.Error("report rewrote manifest.json")
	}
	var out struct {
		Manifest results.Manifest `json:"manifest"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Manifest.Counts.ModelCalls != 0 {
		t.Errorf("report --json: %v, model calls %d", err, out.Manifest.Counts.ModelCalls)
	}
	if md := string(mustRead(t, filepath.Join(run, results.MarkdownFile))); !strings.Contains(md, "# supportbench: mini") || strings.Contains(md, "Against the baseline") {
		t.Errorf("report.md:\n%s", md)
	}
}

func TestReportAndCompareRejectBadInput(t *testing.T) {
	t.Parallel()
	suite := writeSuite(t, regressionCases)
	tmp := t.TempDir()
	run := filepath.Join(tmp, "run")
	answers := writeAnswers(t, tmp, "a.jsonl")
	if r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", answers, "--out", run); r.code != exitOK {
		t.Fatalf("score: exit %d\n%s", r.code, r.stderr)
	}
	other := writeSuite(t, 6)
	if err := os.WriteFile(filepath.Join(other, "suite.yaml"), []byte("name: other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notRun := t.TempDir()
	for _, args := range [][]string{
		{"report"},
		{"report", notRun},
		{"report", run, "extra"},
		{"report", run, "--suite", other},
		{"report", run, "--baseline", notRun},
		{"report", run, "--history", filepath.Join(tmp, "missing")},
		{"compare", run},
		{"compare", run, notRun},
		{"compare", "--no-such-flag", run, run},
		{"score", "--suite", suite, "--answers", answers, "--out", filepath.Join(tmp, "x"), "--baseline", notRun},
		{"score", "--suite", other, "--answers", writeAnswersFor(t, tmp, 6), "--out", filepath.Join(tmp, "y"), "--baseline", run},
		{"run", "--suite", suite, "--baseline", notRun, "--ollama", "127.0.0.1:1"},
	} {
		r := invoke(t, t.Context(), nil, args...)
		if r.code != exitUsage {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
	}
	for _, dir := range []string{"x", "y"} {
		if _, err := os.Stat(filepath.Join(tmp, dir)); err == nil {
			t.Errorf("score with a bad --baseline created %s", dir)
		}
	}
}

// writeAnswersFor writes correct answers for the first n returns-or-legal cases of a
// writeSuite suite of n cases.
func writeAnswersFor(t *testing.T, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id":"c%03d","model":"shop-bot","answer":"Returns are free within 30 days."}`+"\n", i)
	}
	path := filepath.Join(dir, fmt.Sprintf("answers-%d.jsonl", n))
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCompareCommand(t *testing.T) {
	t.Parallel()
	suite := writeSuite(t, regressionCases)
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	if r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", writeAnswers(t, tmp, "a.jsonl"), "--out", a); r.code != exitOK {
		t.Fatalf("score a: exit %d\n%s", r.code, r.stderr)
	}
	if r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", writeAnswers(t, tmp, "b.jsonl", 0, 1, 3, 4), "--out", b); r.code != exitOK {
		t.Fatalf("score b: exit %d\n%s", r.code, r.stderr)
	}
	r := invoke(t, t.Context(), nil, "compare", a, b)
	if r.code != exitGate {
		t.Fatalf("compare a b: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The table's header is the one the help text shows.
	header := regexp.MustCompile(`(?m)^ *metric +A +B +delta +95% interval +p +change$`)
	if !header.MatchString(compareUsage) || !header.MatchString(r.stdout) {
		t.Errorf("header %v not in both the help and the output:\n%s", header, r.stdout)
	}
	for _, want := range []string{"A: " + a, "B: " + b, "▼  c000", "REGRESSED: shop-bot: hallucination_rate rose"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("compare output lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := invoke(t, t.Context(), nil, "compare", b, b); r.code != exitOK || !strings.Contains(r.stdout, "no significant regression") {
		t.Errorf("compare b b: exit %d\n%s", r.code, r.stdout)
	}
	// Going from b back to a is an improvement, not a regression.
	r = invoke(t, t.Context(), nil, "compare", "--json", b, a)
	if r.code != exitOK {
		t.Fatalf("compare --json b a: exit %d\n%s", r.code, r.stderr)
	}
	var c results.Comparison
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
		t.Fatalf("compare --json: %v\n%s", err, r.stdout)
	}
	if c.Regressed || len(c.Models) != 1 || c.Models[0].Fixes != 4 || c.Dir != b {
		t.Errorf("compare --json b a: %+v", c)
	}
}

func TestReportAndCompareHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"report", "compare"} {
		r := invoke(t, t.Context(), nil, cmd, "--help")
		if r.code != 0 || !strings.Contains(r.stderr, "Examples:") {
			t.Errorf("%s --help: code %d, stderr %q", cmd, r.code, r.stderr)
		}
	}
	r := invoke(t, t.Context(), nil, "help")
	for _, want := range []string{"supportbench report", "supportbench compare", "--baseline"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("usage lacks %q", want)
		}
	}
}
