package results

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/supportbench/supportbench/eval"
)

// hostileAnswer tries every way model text could break a Markdown report.
const hostileAnswer = "| ok | cell |\nnew line `code` **bold** <script>alert(1)</script> <img src=x onerror=alert(1)> " +
	"[click here](http://evil.example/phish) ![pixel](http://evil.example/p.png) https://evil.example/raw www.evil.example " +
	"mail jane@evil.example &lt;b&gt; <!-- comment --> \\| escaped pipe \x1b[31m\u202Eevil"

// markdownReport is the scorecard fixture with a baseline in which beta:3b still
// answered six of its wrong answers right (a significant regression), alpha:7b
// answered ref-01 right and ship-03 wrong; and one hostile answer.
func markdownReport() *Report {
	rep := fixtureReport()
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.Model == "beta:3b" && r.CaseID == "acct-02" {
			r.Answer = hostileAnswer
			r.Flags = append(r.Flags, "unsupported-claim: <a href=\"http://evil.example\">x</a>")
		}
	}
	base := make([]eval.Result, len(rep.Results))
	copy(base, rep.Results)
	for i := range base {
		r := &base[i]
		switch {
		case r.Model == "beta:3b" && strings.Contains(" ship-02 ship-03 ref-01 acct-02 acct-03 bill-02 ", " "+r.CaseID+" "),
			r.Model == "alpha:7b" && r.CaseID == "ref-01":
			r.Correct, r.Hallucinated, r.Flags = true, false, nil
		case r.Model == "alpha:7b" && r.CaseID == "ship-03":
			r.Correct = false
		}
	}
	c := Compare(base, rep.Results, CompareOptions{})
	c.Dir, c.Run = "runs/baseline", "northwind-20260301T210000Z"
	c.Started = time.Date(2026, 3, 1, 21, 0, 0, 0, time.UTC)
	rep.Baseline = &c
	return rep
}

func TestMarkdownGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, markdownReport()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "markdown", "report.md"), buf.String())

	buf.Reset()
	if err := WriteMarkdown(&buf, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "markdown", "no-baseline.md"), buf.String())
}

// unescapedPipe finds a table cell separator: a pipe not escaped by a backslash.
var unescapedPipe = regexp.MustCompile(`(^|[^\\])((\\\\)*)\|`)

func TestMarkdownUntrustedTextCannotBreakOut(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, markdownReport()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "acct-02") || !strings.Contains(out, "alert(1)") {
		t.Fatal("the hostile answer is not in the report")
	}
	for _, bad := range []string{"<script", "<img", "<a ", "<!--", "`code`", "**bold**", "\x1b", "\u202E", "&lt;b&gt;"} {
		if strings.Contains(out, bad) {
			t.Errorf("report.md contains %q unescaped", bad)
		}
	}
	if link := regexp.MustCompile(`(^|[^\\])\]\(`).FindString(out); link != "" {
		t.Errorf("report.md contains a link or image: %q", link)
	}
	for _, bad := range []string{"https://evil", "http://evil", "www.evil", "jane@evil"} {
		if strings.Contains(out, bad) {
			t.Errorf("report.md contains autolinkable %q", bad)
		}
	}
	// Every row of a table has as many cell separators as the table's header.
	var want int
	for i, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = 0
			continue
		}
		n := len(unescapedPipe.FindAllString(line, -1))
		if want == 0 {
			want = n
			continue
		}
		if n != want {
			t.Errorf("line %d has %d cell separators, its table %d: %q", i+1, n, want, line)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a|b":                  `a\|b`,
		"x\ny":                 "x<br>y",
		"x\r\ny":               "x<br>y",
		"<b>&":                 "&lt;b&gt;&amp;",
		"[a](b)":               `\[a\](b)`,
		"see https://x.y":      `see https\://x.y`,
		"see www.x.y":          `see www\.x.y`,
		"awww.x":               "awww.x",
		"a@b.c":                `a\@b.c`,
		"`c`":                  "\\`c\\`",
		"snake_case *x*":       `snake\_case \*x\*`,
		"tab\there":            "tab here",
		"bell\a":               "bell\uFFFD",
		"\xff":                 "\uFFFD",
		strings.Repeat("é", 5): "éé…",
	} {
		limit := 0
		if strings.HasPrefix(in, "é") {
			limit = 2
		}
		if got := md(in, limit); got != want {
			t.Errorf("md(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownListsAtMostTwentyFlips(t *testing.T) {
	t.Parallel()
	var base, cur []eval.Result
	for i := range 30 {
		o := outcome{id: fmt.Sprintf("c%02d", i), cat: "x", correct: true}
		base = append(base, o.result("m"))
		o.correct = false
		cur = append(cur, o.result("m"))
	}
	c := Compare(base, cur, CompareOptions{Resamples: 200})
	rep := &Report{Results: cur, Baseline: &c}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if n := strings.Count(out, "| ▼ regressed |"); n != mdMaxFlips {
		t.Errorf("%d flips listed, want %d", n, mdMaxFlips)
	}
	if !strings.Contains(out, "… and 10 more") || !strings.Contains(out, "REGRESSED: m") || !strings.Contains(out, "**NO-GO**") {
		t.Errorf("report lacks the rest count, the regression or the verdict:\n%s", out)
	}
}
