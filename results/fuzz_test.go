package results

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/supportbench/supportbench/eval"
	"github.com/xuri/excelize/v2"
)

// Fuzz targets for what the results package reads (a results.jsonl another process or a
// crash may have damaged) and writes (untrusted model text in every output). Seeds are
// the f.Add calls plus testdata/fuzz/<FuzzName>/. Run one with, e.g.:
//
//	go test ./results -run '^$' -fuzz '^FuzzScan$' -fuzztime 30s

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		`{"case_id":"a","model":"m","trial":1,"answer":"x","flags":[],"error":""}` + "\n",
		`{"case_id":"a","model":"m"}` + "\n" + `{"case_id":"b","model":"m","trial":2,"err`,
		"\x00\x00\x00\x00", "\n\n\r\n", `{"case_id":"a","model":"m","scores":{"x":"y"}}`, `[1,2]`, `{"case_id":"a","model":"m","trial":-1}`,
		"{\"case_id\":\"\xff\",\"model\":\"\\ud800\",\"answer\":\"\\u0000\"}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []eval.Result
		d, err := Scan(bytes.NewReader(data), func(r eval.Result) error {
			got = append(got, r)
			return nil
		})
		if err != nil {
			t.Fatalf("Scan of an in-memory reader failed: %v", err)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, l := range d.Lines {
			if l < 1 || l > lines {
				t.Fatalf("damaged line %d of %d", l, lines)
			}
		}
		for _, r := range got {
			if r.CaseID == "" || r.Model == "" {
				t.Fatalf("result without identity: %+v", r)
			}
		}
		once := Compact(got)
		if twice := Compact(once); len(twice) != len(once) {
			t.Fatalf("Compact is not idempotent: %d then %d", len(once), len(twice))
		}
	})
}

func TestScanBoundsLineLength(t *testing.T) {
	t.Parallel()
	// A crash can leave a run of zero bytes without a newline; it must not be read whole.
	data := io.MultiReader(
		strings.NewReader(`{"case_id":"a","model":"m","trial":1}`+"\n"),
		io.LimitReader(zeros{}, maxLine+10),
		strings.NewReader("\n"+`{"case_id":"b","model":"m","trial":1}`+"\n"),
	)
	var ids []string
	d, err := Scan(data, func(r eval.Result) error {
		ids = append(ids, r.CaseID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "a,b" || len(d.Lines) != 1 || d.Lines[0] != 2 {
		t.Errorf("ids %v, damaged lines %v; want a,b and [2]", ids, d.Lines)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// FuzzWriters puts fuzzed text (an answer, a flag, a question, an error) through every
// writer: results.jsonl must read back the same text (invalid UTF-8 replaced), junit.xml
// must parse, the workbook must reopen with the text in it or visibly truncated, and
// report.md must keep its shape (the text cannot add lines or table cells).
func FuzzWriters(f *testing.F) {
	f.Add("Returns are free within 30 days.", "missing-fact: 14 days", "Can I return it?", "")
	f.Add(answerControl, "unsupported-claim: \x00\x1b[2J", questionDDE, "chat m at http://x: 503\r\n")
	f.Add(answerEquals, "pii-leak: <b>&amp;</b>", "]]><!--", "\xff\xfe")
	f.Add(strings.Repeat("é", 2000), "|a|b|\n| - |", "```\n# title", "\u202e\u2028\u2029")
	f.Fuzz(func(t *testing.T, answer, flag, question, errText string) {
		rep := writerReport(answer, flag, question, errText)
		checkJSONL(t, rep.Results)
		checkJUnit(t, rep.Results)
		checkXLSX(t, rep, answer)
		checkMarkdown(t, rep)
	})
}

// writerReport is a two-case, two-result report around the fuzzed text.
func writerReport(answer, flag, question, errText string) *Report {
	s := &eval.Suite{Cases: []eval.Case{
		{ID: "c1", Category: "returns", Question: question, Facts: []eval.Fact{{"30 days"}}},
		{ID: "c2", Category: "legal", Question: "I will sue.", ShouldEscalate: true},
	}, Hash: "h"}
	s.Name = "fuzz"
	a := &eval.Answer{Model: "m", Text: answer, Mode: eval.ModeTools, LatencyMS: 10}
	r1 := eval.NewResult(&s.Cases[0], a, 1)
	r1.Verdict = eval.Verdict{Flags: []string{flag}, Scores: map[string]float64{"facts": 0}}
	r2 := eval.NewResult(&s.Cases[1], &eval.Answer{Model: "m", Mode: eval.ModeTools}, 1)
	r2.Error, r2.Flags = errText, []string{}
	if errText == "" {
		r2.Error = "x"
	}
	rs := []eval.Result{r1, r2}
	ms := Summarize(rs)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	man := &Manifest{Tool: "supportbench", Command: "run", Suite: SuiteInfo{Name: s.Name, Hash: s.Hash, Cases: 2},
		Models: []ModelInfo{{ModelInfo: eval.ModelInfo{Name: "m"}, Mode: eval.ModeTools}}, Started: now, Ended: now, Status: StatusComplete}
	return &Report{Suite: s, Manifest: man, Summary: &Summary{Suite: s.Name, Hash: s.Hash, Status: man.Status, Models: ms}, Results: rs, Now: now}
}

// jsonString is s as encoding/json stores it: each invalid byte becomes U+FFFD.
func jsonString(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func checkJSONL(t *testing.T, rs []eval.Result) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := range rs {
		if err := enc.Encode(&rs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != len(rs) {
		t.Fatalf("%d results took %d lines", len(rs), n)
	}
	var back []eval.Result
	d, err := Scan(&buf, func(r eval.Result) error {
		back = append(back, r)
		return nil
	})
	if err != nil || len(d.Lines) > 0 || len(back) != len(rs) {
		t.Fatalf("read back %d of %d results, damage %v, err %v", len(back), len(rs), d.Lines, err)
	}
	if back[0].Answer != jsonString(rs[0].Answer) || back[0].Flags[0] != jsonString(rs[0].Flags[0]) || back[1].Error != jsonString(rs[1].Error) {
		t.Fatalf("text changed in results.jsonl: %q -> %q", rs[0].Answer, back[0].Answer)
	}
}

func checkJUnit(t *testing.T, rs []eval.Result) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, "fuzz", rs); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&buf)
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("junit.xml does not parse: %v\n%s", err, buf.String())
		}
	}
}

func checkXLSX(t *testing.T, rep *Report, answer string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("the workbook does not reopen: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetCases)
	if err != nil {
		t.Fatal(err)
	}
	want := cellText(answer)
	for _, row := range rows {
		for _, cell := range row {
			if cell == want || strings.TrimSpace(want) == "" {
				return
			}
		}
	}
	t.Fatalf("the answer %.80q is not on the %s sheet", want, sheetCases)
}

func checkMarkdown(t *testing.T, rep *Report) {
	t.Helper()
	var got, plain bytes.Buffer
	if err := WriteMarkdown(&got, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&plain, writerReport("x", "f", "q", "e")); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(got.Bytes()) {
		t.Fatal("report.md is not valid UTF-8")
	}
	for _, r := range got.String() {
		if r != '\n' && (unicode.IsControl(r) || isBidiControl(r)) {
			t.Fatalf("report.md holds control character %U", r)
		}
	}
	gl, pl := strings.Split(got.String(), "\n"), strings.Split(plain.String(), "\n")
	if len(gl) != len(pl) {
		t.Fatalf("report.md has %d lines with the fuzzed text, %d without", len(gl), len(pl))
	}
	for i := range gl {
		if strings.HasPrefix(pl[i], "|") && cells(gl[i]) != cells(pl[i]) {
			t.Fatalf("line %d has %d table cells, want %d:\n%s", i+1, cells(gl[i]), cells(pl[i]), gl[i])
		}
	}
}

// cells counts the unescaped | of a Markdown table row.
func cells(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}
