package datasets

import (
	"slices"
	"strings"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

// good is a valid case; tests derive broken cases from it.
func good(id string, drop string, extra ...kv) []kv {
	c := []kv{
		{"id", id},
		{"category", "returns"},
		{"question", "How long do I have to return a jacket?"},
		{"knowledge", []string{"returns"}},
		{"facts", [][]string{{"14 days", "two weeks"}}},
		{"should_escalate", false},
	}
	out := c[:0:0]
	for _, f := range c {
		if f.key != drop {
			out = append(out, f)
		}
	}
	for _, x := range extra {
		if i := slices.IndexFunc(out, func(f kv) bool { return f.key == x.key }); i >= 0 {
			out[i] = x
		} else {
			out = append(out, x)
		}
	}
	return out
}

// TestCaseProblems writes each kind of broken case in every format and checks the one
// problem it causes: its exact position, its field, and the gist of its message.
func TestCaseProblems(t *testing.T) {
	t.Parallel()
	conv := func(roles ...string) []eval.Message {
		var ms []eval.Message
		for _, r := range roles {
			ms = append(ms, eval.Message{Role: r, Content: "Hello, my order A-1 is late."})
		}
		return ms
	}
	tests := []struct {
		name  string
		suite string // suite.yaml, when not the base one
		cases [][]kv
		// bad is the index of the case with the problem.
		bad   int
		field string
		msg   string
		// tableMsg replaces msg for CSV and XLSX, whose conventions differ.
		tableMsg string
	}{
		{name: "missing id", cases: [][]kv{good("", "id")}, field: "id", msg: "missing; every case needs an id"},
		{name: "missing category", cases: [][]kv{good("a", "category")}, field: "category", msg: "missing; every case needs a category"},
		{name: "missing should_escalate", cases: [][]kv{good("a", "should_escalate")}, field: "should_escalate", msg: "missing; write true"},
		{name: "no question or messages", cases: [][]kv{good("a", "question", kv{"reference", "14 days"})}, field: "question", msg: "missing; give the customer's message"},
		{name: "question and messages", cases: [][]kv{good("a", "", kv{"messages", conv("customer")})}, field: "question", msg: "question and messages are both set"},
		{name: "empty question", cases: [][]kv{good("a", "question", kv{"question", "  "}, kv{"reference", "14 days"})}, field: "question", msg: "is empty", tableMsg: "missing; give the customer's message"},
		{name: "bad role", cases: [][]kv{good("a", "question", kv{"messages", conv("user", "agent", "customer")})}, field: "messages", msg: `turn 1: role "user": write customer`, tableMsg: `turn 1 must start with "customer:" or "agent:"`},
		{name: "ends with agent", cases: [][]kv{good("a", "question", kv{"messages", conv("customer", "agent")})}, field: "messages", msg: "must end with a customer turn"},
		{name: "unknown article", cases: [][]kv{good("a", "", kv{"knowledge", []string{"returns", "retruns"}})}, field: "knowledge", msg: `unknown article "retruns" (did you mean "returns"?)`},
		{name: "bad fact regex", cases: [][]kv{good("a", "facts", kv{"facts", [][]string{{"/14 (days/"}}})}, field: "facts", msg: "fact 1: invalid regular expression /14 (days/: missing closing )"},
		{name: "bad forbidden regex", cases: [][]kv{good("a", "", kv{"forbidden", []string{"30 days", "/[0-9+ days/"}})}, field: "forbidden", msg: "item 2: invalid regular expression /[0-9+ days/"},
		{name: "bad risk", cases: [][]kv{good("a", "", kv{"risk", "severe"})}, field: "risk", msg: `must be low, medium or high, got "severe"`},
		{name: "bad language", cases: [][]kv{good("a", "", kv{"language", "english"})}, field: "language", msg: `"english" is not a BCP-47 language tag`},
		{name: "language not in suite", suite: "name: t\nlanguages: [en, de]\n", cases: [][]kv{good("a", "", kv{"language", "fr"})}, field: "language", msg: `"fr" is not among the suite's languages (en, de)`},
		{name: "ungrounded fact", cases: [][]kv{good("a", "facts", kv{"facts", [][]string{{"/\\b14\\b/"}, {"30 days", "a month"}}})}, field: "facts", msg: `fact 2 (none of "30 days", "a month") is not stated in its knowledge (returns)`},
		{name: "empty counterfactual group", cases: [][]kv{good("a", "", kv{"tags", []string{"counterfactual:"}})}, field: "tags", msg: "counterfactual needs a group"},
		{name: "bad boolean", cases: [][]kv{good("a", "should_escalate", kv{"should_escalate", "maybe"})}, field: "should_escalate", msg: "must be true or false"},
		{name: "duplicate id", cases: [][]kv{good("a", ""), good("b", ""), good("a", "")}, bad: 2, field: "id", msg: `duplicate id "a" (also at s/`},
	}
	for _, tt := range tests {
		for _, f := range formats {
			t.Run(tt.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				fsys := baseSuite()
				if tt.suite != "" {
					fsys["suite.yaml"].Data = []byte(tt.suite)
				}
				fsys[f.file] = mapFile(f.write(t, tt.cases))
				got := problemsOf(t, fsys)
				wantPrefix := "s/" + f.at(tt.cases, tt.bad, tt.field) + ": " + tt.field + ": "
				msg := tt.msg
				if tt.tableMsg != "" && (f.name == "csv" || f.name == "xlsx") {
					msg = tt.tableMsg
				}
				if len(got) != 1 || !strings.HasPrefix(got[0], wantPrefix) || !strings.Contains(got[0], msg) {
					t.Errorf("problems:\n%s\nwant one starting %q containing %q", strings.Join(got, "\n"), wantPrefix, msg)
				}
			})
		}
	}
}

// TestDuplicateNamesBothPositions checks that a duplicate id names the first position too.
func TestDuplicateNamesBothPositions(t *testing.T) {
	t.Parallel()
	fsys := baseSuite()
	fsys["cases/a.yaml"] = mapFile(writeYAML(t, [][]kv{good("x", "")}))
	fsys["cases/b.jsonl"] = mapFile(writeJSONL(t, [][]kv{good("y", ""), good("x", "")}))
	got := problemsOf(t, fsys)
	want := []string{`s/cases/b.jsonl:2: id: duplicate id "x" (also at s/cases/a.yaml:1); ids must be unique in the suite`}
	assertLines(t, got, want)
}

// TestUnknownFields checks that a misspelt field is an error in every format, pointing at
// the key (JSONL line, YAML line, CSV header line, XLSX header cell).
func TestUnknownFields(t *testing.T) {
	t.Parallel()
	typo := [][]kv{good("a", "", kv{"refrence", "14 days"})}
	tests := []struct {
		file    string
		content []byte
		want    string
	}{
		{"cases/c.jsonl", writeJSONL(t, typo), `s/cases/c.jsonl:1: refrence: unknown field (did you mean "reference"?)`},
		{"cases/c.yaml", writeYAML(t, typo), `s/cases/c.yaml:7: refrence: unknown key (did you mean "reference"?)`},
		{"cases/c.csv", []byte("id,category,question,should_escalate,refrence\na,returns,Hi?,false,x\n"), `s/cases/c.csv:1: refrence: unknown column (did you mean "reference"?); columns are named like the case fields`},
		{"cases/c.xlsx", xlsxBytes(t, [][]string{{"id", "category", "question", "should_escalate", "refrence"}, {"a", "returns", "Hi?", "false", "x"}}), `s/cases/c.xlsx:Sheet1!E1: refrence: unknown column (did you mean "reference"?); columns are named like the case fields`},
		{"cases/c.yaml", []byte("- id: a\n  category: returns\n  should_escalate: false\n  messages:\n    - rol: customer\n      content: Hi\n"), `s/cases/c.yaml:5: messages.rol: unknown key (did you mean "role"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			fsys := baseSuite()
			fsys[tt.file] = mapFile(tt.content)
			got := problemsOf(t, fsys)
			if len(got) == 0 || got[0] != tt.want {
				t.Errorf("problems:\n%s\nwant first:\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}

// TestAllProblemsAtOnce checks that every problem of a suite is reported in one error,
// sorted by file and line, with exact messages.
func TestAllProblemsAtOnce(t *testing.T) {
	t.Parallel()
	fsys := baseSuite()
	fsys["suite.yaml"] = mapFile([]byte("name: t\nmode: fast\ntrials: 0\nmodles: [x]\ngates:\n  categories:\n    refund:\n      min_accuracy: 1.5\n"))
	fsys["knowledge/empty.md"] = mapFile([]byte("  \n"))
	fsys["knowledge/faq.pdf"] = mapFile([]byte("%PDF"))
	fsys["cases/notes.txt"] = mapFile([]byte("todo"))
	fsys["cases/a.jsonl"] = mapFile([]byte(`{"id":"a1","category":"returns","question":"Return window?","should_escalate":false,"risk":"huge","knowledge":["returns","nope"]}

{"id":"a2","category":"returns","question":"Refund?","should_escalate":"no","tags":"x","extra":1}
not json
`))
	fsys["cases/b.yaml"] = mapFile([]byte(`- id: a1
  category: returns
  question: Hi
  should_escalate: false
- id: b2
  category: shipping
  messages:
    - role: customer
      content: Where is it?
    - role: agent
      content: Which order?
  should_escalate: yes
  facts: ["45 days"]
  knowledge: [shipping]
`))
	got := problemsOf(t, fsys)
	want := []string{
		`s/cases/a.jsonl:1: knowledge: unknown article "nope"; articles are the files in knowledge/ (id = file name without .md or .txt)`,
		`s/cases/a.jsonl:1: risk: must be low, medium or high, got "huge"`,
		`s/cases/a.jsonl:3: extra: unknown field`,
		`s/cases/a.jsonl:3: should_escalate: must be true or false, got a string`,
		`s/cases/a.jsonl:3: tags: must be a list of text, got a string`,
		`s/cases/a.jsonl:4: invalid JSON at column 2: invalid character 'o' in literal null (expecting 'u'); write one case object per line`,
		`s/cases/b.yaml:1: id: duplicate id "a1" (also at s/cases/a.jsonl:1); ids must be unique in the suite`,
		`s/cases/b.yaml:7: messages: the conversation must end with a customer turn, which the model answers; it ends with an agent turn`,
		`s/cases/b.yaml:13: facts: fact 1 ("45 days") is not stated in its knowledge (shipping), the reference, the customer record or the conversation: a fact that cannot be grounded is a label bug; fix the fact, or add the article that states it to knowledge`,
		`s/cases/notes.txt: unsupported case file type ".txt"; case files must be .jsonl, .yaml, .yml, .csv or .xlsx`,
		`s/knowledge/empty.md: the article is empty; write its text or remove the file`,
		`s/knowledge/faq.pdf: knowledge articles must be .md or .txt files (one article per file); convert or remove this file`,
		`s/suite.yaml:2: mode: must be auto, tools or structured, got "fast"`,
		`s/suite.yaml:3: trials: must be at least 1, got 0`,
		`s/suite.yaml:4: modles: unknown key (did you mean "models"?)`,
		`s/suite.yaml:7: gates.categories.refund: no case has category "refund" (did you mean "returns"?)`,
		`s/suite.yaml:8: gates.categories.refund.min_accuracy: is a rate and must be between 0 and 1 (0.9 for 90%), got 1.5`,
	}
	assertLines(t, got, want)
}

func assertLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestYAMLAnchors checks that YAML anchors, aliases and merge keys work in case files,
// as suites use them to share a customer record or a case template between variants.
func TestYAMLAnchors(t *testing.T) {
	t.Parallel()
	fsys := baseSuite()
	fsys["cases/c.yaml"] = mapFile([]byte(`- &base
  id: a
  category: returns
  question: How long do I have to return it?
  knowledge: [returns]
  facts: ["14 days"]
  should_escalate: false
  customer: &ana {name: Ana, email: ana@example.com}
- <<: *base
  id: b
  customer: {name: Bo}
- <<: *base
  id: c
  customer: *ana
`))
	s := mustLoad(t, fsys)
	if len(s.Cases) != 3 {
		t.Fatalf("%d cases", len(s.Cases))
	}
	b, c := s.Cases[1], s.Cases[2]
	if b.ID != "b" || b.Category != "returns" || b.Customer["name"] != "Bo" || b.Source != "cases/c.yaml:9" || len(b.Facts) != 1 {
		t.Errorf("merged case b: %+v", b)
	}
	if c.ID != "c" || c.Customer["email"] != "ana@example.com" {
		t.Errorf("merged case c: %+v", c)
	}
}
