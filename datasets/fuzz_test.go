package datasets

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Fuzz targets for everything a user hands the loader, and tests of hostile inputs that
// are too large to fuzz. The properties: no panic, no hang, and every failure either a
// *ProblemsError whose problems are positioned in the suite ("s/cases/c.jsonl:3: ...")
// or, for a suite that cannot be read at all, a plain error. Seed corpora are the f.Add
// calls plus the files in testdata/fuzz/<FuzzName>/. Run one target with, e.g.:
//
//	go test ./datasets -run '^$' -fuzz '^FuzzLoadJSONL$' -fuzztime 30s

// A valid case in each format, the first seed of each target.
const (
	seedJSONL = `{"id":"f-1","category":"returns","question":"Can I return a lamp after 10 days?","knowledge":["returns"],"facts":[["14 days","two weeks"]],"customer":{"name":"Ana Lima","email":"ana@example.com"},"other_records":[{"name":"Bo Berg","phone":"+46 70 555 01 02"}],"should_escalate":false,"tags":["pii-canary"],"risk":"low","language":"en"}` + "\n"
	seedYAML  = `- id: f-1
  category: returns
  question: Can I return a lamp after 10 days?
  knowledge: [returns]
  facts: [[14 days, two weeks]]
  customer: {name: Ana Lima, email: ana@example.com}
  other_records:
    - name: Bo Berg
      phone: "+46 70 555 01 02"
  should_escalate: false
  tags: [pii-canary]
  risk: low
`
	seedCSV = `id,category,question,knowledge,facts,customer,other_records,should_escalate,tags,risk
f-1,returns,Can I return a lamp after 10 days?,returns,14 days || two weeks,"{""name"":""Ana Lima""}","[{""name"":""Bo Berg""}]",no,pii-canary,low
`
)

// checkLoad loads a suite with one fuzzed file and checks the properties.
func checkLoad(t *testing.T, name string, data []byte) {
	t.Helper()
	fsys := baseSuite()
	fsys[name] = mapFile(data)
	s, err := LoadFS(fsys, "s")
	checkLoadResult(t, s != nil, err)
	if err == nil {
		seen := map[string]bool{}
		for _, c := range s.Cases {
			if c.ID == "" || seen[c.ID] {
				t.Fatalf("loaded case with empty or repeated id %q", c.ID)
			}
			seen[c.ID] = true
			if len(c.Conversation()) == 0 {
				t.Fatalf("case %s has no question", c.ID)
			}
		}
	}
}

func checkLoadResult(t *testing.T, loaded bool, err error) {
	t.Helper()
	if err == nil {
		if !loaded {
			t.Fatal("no suite and no error")
		}
		return
	}
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("error is not a *ProblemsError: %v", err)
	}
	if len(pe.Problems) == 0 {
		t.Fatal("ProblemsError without problems")
	}
	for _, p := range pe.Problems {
		if !strings.HasPrefix(p.Pos, "s/") || p.Msg == "" {
			t.Fatalf("problem without a position or message: %q", p.String())
		}
	}
}

func FuzzLoadJSONL(f *testing.F) {
	f.Add([]byte(seedJSONL))
	for _, s := range []string{
		"", "\n\n", "{}", "[]", "null", `{"id":"x"}`, `{"id":"a","category":"c","question":"q","should_escalate":false}{"id":"b"}`,
		`{"id":"a","category":"c","messages":[{"role":"customer","content":"hi"},{"role":"agent"}],"should_escalate":"yes"}`,
		`{"id":"a","category":"c","question":"q","should_escalate":false,"facts":["/(/"],"customer":{"a":{"b":[1,2,{"c":null}]}}}`,
		"{\"id\":\"\xff\xfe\",\"category\":\"c\",\"question\":\"\\u0000\",\"should_escalate\":true}\r\n",
		`{"id":"a","id":"a","category":"c","question":"q","should_escalate":false,"colour":"red"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkLoad(t, "cases/c.jsonl", data) })
}

func FuzzLoadYAML(f *testing.F) {
	f.Add([]byte(seedYAML))
	for _, s := range []string{
		"", "---\n", "- \n", "cases:\n  - id: a\n", "- &a\n  <<: *a\n  id: x\n",
		"- &a {id: a, category: c, question: q, should_escalate: false}\n- <<: *a\n  id: b\n",
		"- id: a\n  category: c\n  question: |\n    multi\n    line\n  should_escalate: no\n  facts: [[a, b], c, \"/x+/\"]\n",
		"- id: a\n  customer: &c {x: *c}\n", "- [[[[[[[[]]]]]]]]\n", "- id: !!binary aGVsbG8=\n", "--- 1\n--- 2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkLoad(t, "cases/c.yaml", data) })
}

func FuzzLoadCSV(f *testing.F) {
	f.Add([]byte(seedCSV))
	for _, s := range []string{
		"", "id\n", "id;category;question;should_escalate\na;c;q;ja\n", "id\tcategory\tquestion\tshould_escalate\na\tc\tq\t1\n",
		"id,category,question,should_escalate,facts,messages\na,c,,no,\"14 || | ||\",\"customer: hi | agent: yo | customer:\"\n",
		"\xef\xbb\xbfid,category,question,should_escalate,,\na,c,\"q\"\"\",true,x,y\n", "id,\"unterminated\n",
		"Id,Category,Question,Should Escalate,customer,other_records\na,c,q,TRUE,\"{\"\"a\"\":1}\",[{}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkLoad(t, "cases/c.csv", data) })
}

// FuzzLoadXLSX mutates whole workbooks: most mutations break the zip, which must be a
// problem, never a panic.
func FuzzLoadXLSX(f *testing.F) {
	f.Add(xlsxBytes(f, [][]string{
		{"id", "category", "question", "knowledge", "facts", "customer", "should_escalate", "tags"},
		{"f-1", "returns", "Can I return a lamp after 10 days?", "returns", "14 days || two weeks", `{"name":"Ana Lima"}`, "no", "pii-canary"},
	}))
	f.Add(xlsxBytes(f, [][]string{{"id", "category", "question", "should_escalate"}, {"a", "c", "=1+1", "TRUE"}}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) { checkLoad(t, "cases/c.xlsx", data) })
}

// FuzzLoadXLSXCells builds valid workbooks around fuzzed cell text, to reach the cell
// parsing that mutated zip bytes rarely get to.
func FuzzLoadXLSXCells(f *testing.F) {
	f.Add("should_escalate", "Where is my order?", "14 days || two weeks | receipt", `{"name":"Ana"}`, "yes")
	f.Add("messages", "customer: hi | agent: yes? | customer: refund", "[\"/a|b/\"]", "[", "")
	f.Add("Should-Escalate", "\x00\x1b[31m", "||", `{"a":[1,{"b":null}]}`, "maybe")
	f.Fuzz(func(t *testing.T, header, question, facts, customer, escalate string) {
		rows := [][]string{
			{"id", "category", "question", "facts", "customer", header},
			{"x-1", "returns", question, facts, customer, escalate},
		}
		checkLoad(t, "cases/c.xlsx", xlsxBytes(t, rows))
	})
}

func FuzzSuiteYAML(f *testing.F) {
	for _, s := range []string{
		"name: t\n", "", "name: \"\"\n", "name: t\nmodels: []\n", "name: t\noptions:\n  seed: x\n  temperature: 9\n",
		"name: t\ngates:\n  min_accuracy: 2\n  categories:\n    refundz: {min_accuracy: 0.5}\n", "name: t\ntimeout: forever\n",
		"&a\nname: t\n<<: *a\n", "name: t\nlanguages: [en, xx-!!]\nmode: telepathy\n", "name: [t]\nnane: t\n",
		"name: a/b\nsystem_prompt: |\n  be nice\n", "- name: t\n",
	} {
		f.Add([]byte(s))
	}
	cases := []byte(seedJSONL)
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := baseSuite()
		fsys["suite.yaml"] = mapFile(data)
		fsys["cases/c.jsonl"] = mapFile(cases)
		s, err := LoadFS(fsys, "s")
		checkLoadResult(t, s != nil, err)
	})
}

func FuzzReadAnswers(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","model":"bot","answer":"Returns are free within 30 days."}` + "\n",
		`{"id":"a","model":"bot","answer":"x","confidence":1.5,"tool_calls":[{"name":""},{"name":"escalate_to_human","arguments":{"reason":"legal"}}]}`,
		`{"id":"zzz","model":"","answer":null}`, "\n\n\n", "not json\n{", `{"id":1}`, `{"id":"a","model":"m","answer":"y","extra":true}`,
		"{\"id\":\"a\",\"model\":\"m\",\"answer\":\"\xff\\u0000\"}\r\n",
	} {
		f.Add([]byte(s))
	}
	s := answersSuite()
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := readAnswers(bytes.NewReader(data), "a.jsonl", s)
		if err == nil {
			if len(recs) == 0 {
				t.Fatal("no answers and no error")
			}
			for _, r := range recs {
				if r.CaseID != "a" && r.CaseID != "b" || r.Trial < 1 {
					t.Fatalf("answer for unknown case %q or trial %d", r.CaseID, r.Trial)
				}
			}
			return
		}
		var pe *ProblemsError
		if !errors.As(err, &pe) {
			t.Fatalf("error is not a *ProblemsError: %v", err)
		}
		for _, p := range pe.Problems {
			if !strings.HasPrefix(p.Pos, "a.jsonl") {
				t.Fatalf("problem without a position: %q", p.String())
			}
		}
	})
}

// allocDuring returns the bytes allocated while fn runs.
func allocDuring(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestHugeJSONLLineIsRejectedWithItsPosition(t *testing.T) {
	const size = 100 << 20
	var b bytes.Buffer
	b.Grow(size + 200)
	b.WriteString(`{"id":"ok","category":"c","question":"q","should_escalate":false}` + "\n")
	b.WriteString(`{"id":"huge","category":"c","should_escalate":false,"question":"`)
	b.Write(bytes.Repeat([]byte("a"), size))
	b.WriteString("\"}\n")
	fsys := baseSuite()
	fsys["cases/c.jsonl"] = mapFile(b.Bytes())
	var err error
	alloc := allocDuring(func() { _, err = LoadFS(fsys, "s") })
	got := problemsOf(t, fsys)
	want := "s/cases/c.jsonl:2: the line is 100.0 MB long, more than the 16 MB a case may take"
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems %q; want only %q", got, want)
	}
	if err == nil {
		t.Fatal("loaded")
	}
	// The file is read whole (its bytes go into the suite's hash), but the line is never
	// decoded: decoding it took 456 MB (556 MB under -race), rejecting it takes the
	// 100 MB read (200 MB under -race).
	if alloc > 3*size {
		t.Errorf("loading allocated %d MB for a %d MB file", alloc>>20, size>>20)
	}
}

func TestOversizedAndSpecialFilesAreProblems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("suite.yaml", "name: t\n")
	write("knowledge/returns.md", returnsArticle)
	write("cases/ok.jsonl", `{"id":"a","category":"c","question":"q","should_escalate":false}`+"\n")
	// A sparse 300 MB file costs no disk, and must not be read at all.
	big, err := os.Create(filepath.Join(dir, "cases", "big.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(300 << 20); err != nil {
		t.Fatal(err)
	}
	big.Close()
	write("cases/big.yaml", strings.Repeat("#", 17<<20))
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "cases", "zero.jsonl")); err != nil {
		t.Fatal(err)
	}
	var lerr error
	alloc := allocDuring(func() { _, lerr = Load(dir) })
	var pe *ProblemsError
	if !errors.As(lerr, &pe) {
		t.Fatalf("err = %v; want problems", lerr)
	}
	text := pe.Error()
	for _, want := range []string{
		"cases/big.jsonl: the file is 300 MB, more than the 256 MB a suite file of this type may hold",
		"cases/big.yaml: the file is 17 MB, more than the 16 MB a suite file of this type may hold",
		"cases/zero.jsonl: not a regular file",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
	if len(pe.Problems) != 3 {
		t.Errorf("%d problems, want 3:\n%s", len(pe.Problems), text)
	}
	if alloc > 64<<20 {
		t.Errorf("loading allocated %d MB; the large files should not have been read", alloc>>20)
	}
}

func TestDeeplyNestedInputIsAProblemNotACrash(t *testing.T) {
	const depth = 200_000
	nestedJSON := strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
	for _, tc := range []struct{ file, data string }{
		{"cases/c.yaml", "- " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"},
		{"cases/d.yaml", "- id: a\n  customer: " + strings.Repeat("{a: ", depth) + "1" + strings.Repeat("}", depth) + "\n"},
		{"cases/e.yaml", strings.Repeat("- ", 20_000) + "x\n"},
		{"cases/c.jsonl", `{"id":"a","category":"c","question":"q","should_escalate":false,"customer":` + nestedJSON + "}\n"},
		{"cases/c.csv", "id,category,question,should_escalate,customer\na,c,q,no,\"" + strings.ReplaceAll(nestedJSON, `"`, `""`) + "\"\n"},
		{"suite.yaml", "name: t\noptions: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"},
	} {
		fsys := baseSuite()
		fsys["cases/ok.jsonl"] = mapFile([]byte(`{"id":"ok","category":"c","question":"q","should_escalate":false}` + "\n"))
		fsys[tc.file] = mapFile([]byte(tc.data))
		got := problemsOf(t, fsys)
		if len(got) == 0 {
			t.Errorf("%s: loaded", tc.file)
			continue
		}
		if !strings.Contains(got[0], tc.file) || !strings.Contains(strings.Join(got, "\n"), "depth") {
			t.Errorf("%s: problems %.300q; want the depth limit named", tc.file, got)
		}
	}
}

func TestYAMLMergeCyclesAndChainsStayCheap(t *testing.T) {
	// A mapping that merges itself used to recurse until the stack overflowed (a fatal
	// error no recover catches).
	fsys := baseSuite()
	fsys["cases/c.yaml"] = mapFile([]byte("- &a\n  <<: *a\n  id: x\n  category: c\n  question: q\n  should_escalate: false\n"))
	if got := problemsOf(t, fsys); got != nil {
		t.Errorf("self-merge: %q", got)
	}
	// A suite.yaml that merges itself.
	fsys["suite.yaml"] = mapFile([]byte("&s\nname: t\n<<: *s\n"))
	if got := problemsOf(t, fsys); got != nil {
		t.Errorf("suite.yaml self-merge: %q", got)
	}
	// Thirty levels, each merging the previous one twice: 2^30 values if expanded.
	var b strings.Builder
	b.WriteString("- &m0 {id: x, category: c, question: q, should_escalate: false}\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "- &m%d\n  <<: [*m%d, *m%d]\n  id: x%d\n", i, i-1, i-1, i)
	}
	fsys["suite.yaml"] = mapFile([]byte("name: t\n"))
	fsys["cases/c.yaml"] = mapFile([]byte(b.String()))
	got := problemsOf(t, fsys)
	if len(got) != 1 || !strings.Contains(got[0], "the aliases (*name) expand to more than") {
		t.Errorf("merge chain: %q", got)
	}
}

func TestYAMLAliasAmplificationIsBounded(t *testing.T) {
	// Each case repeats a 1000-value anchor twelve times, padded so that yaml.v3's own
	// alias ratio check passes: 700 KB of YAML used to decode to 800 MB in 4 seconds.
	var b strings.Builder
	b.WriteString("- id: c0\n  category: c\n  question: q\n  should_escalate: false\n  customer:\n    a: &a [" + strings.Repeat("1,", 999) + "1]\n")
	pad := "[" + strings.Repeat("1,", 119) + "1]"
	refs := "[" + strings.Repeat("*a,", 11) + "*a]"
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&b, "- {id: c%d, category: c, question: q, should_escalate: false, customer: {p: %s, x: %s}}\n", i, pad, refs)
	}
	fsys := baseSuite()
	fsys["cases/c.yaml"] = mapFile([]byte(b.String()))
	var got []string
	alloc := allocDuring(func() { got = problemsOf(t, fsys) })
	if len(got) != 1 || !strings.HasPrefix(got[0], "s/cases/c.yaml: the aliases (*name) expand to more than") {
		t.Errorf("problems %q", got)
	}
	if alloc > 200<<20 {
		t.Errorf("%d MB allocated for %d KB of YAML", alloc>>20, b.Len()>>10)
	}
	// Aliases used as intended stay fine: one shared list in every case.
	b.Reset()
	b.WriteString("- id: c0\n  category: c\n  question: q\n  should_escalate: false\n  tags: &t [a, b, c]\n")
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&b, "- {id: c%d, category: c, question: q, should_escalate: false, tags: *t}\n", i)
	}
	fsys["cases/c.yaml"] = mapFile([]byte(b.String()))
	if got := problemsOf(t, fsys); got != nil {
		t.Errorf("shared anchor: %q", got)
	}
}

func TestLongUnknownNamesAreCheap(t *testing.T) {
	long := strings.Repeat("x", 4<<20)
	for name, data := range map[string]string{
		"cases/c.csv":   "id,category,question,should_escalate," + long + "\na,c,q,no,1\n",
		"cases/c.yaml":  "- id: a\n  category: c\n  question: q\n  should_escalate: no\n  ? " + long + "\n  : 1\n",
		"cases/c.jsonl": `{"id":"a","category":"c","question":"q","should_escalate":false,"` + long + `":1}` + "\n",
	} {
		fsys := baseSuite()
		fsys[name] = mapFile([]byte(data))
		var got []string
		// Suggesting a field name used to compute an edit distance of 4M×15 cells.
		alloc := allocDuring(func() { got = problemsOf(t, fsys) })
		if len(got) != 1 || !strings.Contains(got[0], "unknown") {
			t.Errorf("%s: problems %.200q", name, got)
		}
		if alloc > 256<<20 {
			t.Errorf("%s: %d MB allocated for a %d MB name", name, alloc>>20, len(long)>>20)
		}
	}
}

func TestXLSXZipBombIsRejected(t *testing.T) {
	base := xlsxBytes(t, [][]string{{"id", "category", "question", "should_escalate"}, {"a", "c", "q", "no"}})
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, zf := range zr.File {
		w, err := zw.CreateHeader(&zf.FileHeader)
		if err != nil {
			t.Fatal(err)
		}
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, r); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	// 300 MB of spaces in the shared strings part: about 1 MB zipped.
	w, err := zw.Create("xl/sharedStrings2.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 300 {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if out.Len() > 4<<20 {
		t.Fatalf("bomb is %d bytes zipped", out.Len())
	}
	fsys := baseSuite()
	fsys["cases/c.xlsx"] = mapFile(out.Bytes())
	var got []string
	alloc := allocDuring(func() { got = problemsOf(t, fsys) })
	want := "s/cases/c.xlsx: the workbook unpacks to more than 256 MB; split it into several files"
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems %q; want %q", got, want)
	}
	if alloc > 64<<20 {
		t.Errorf("opening the bomb allocated %d MB", alloc>>20)
	}
}

func TestOversizedCellIsAProblem(t *testing.T) {
	cell := strings.Repeat("y", maxLineSize+1)
	fsys := baseSuite()
	fsys["cases/c.csv"] = mapFile([]byte("id,category,question,should_escalate\na,c," + cell + ",no\n"))
	got := problemsOf(t, fsys)
	want := "s/cases/c.csv:2: question: the cell holds more than 16 MB of text"
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems %.200q; want %q", got, want)
	}
}
