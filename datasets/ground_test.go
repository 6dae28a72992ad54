package datasets

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestGrounding checks which facts count as grounded: case, white space and Unicode
// compatibility forms do not matter; the customer record, the reference and the
// conversation count; a fact with only patterns is not checked.
func TestGrounding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		extra    string // JSON fields added to the case
		facts    string // JSON facts
		grounded bool
	}{
		{"exact", ``, `["14 days"]`, true},
		{"case and spaces", ``, `["WITHIN   14\nDAYS"]`, true},
		{"full-width digits (NFKC)", ``, `["１４ days"]`, true},
		{"non-breaking space (NFKC)", ``, `["14\u00a0days"]`, true},
		{"second article", `"knowledge":["returns","shipping"],`, `["€9.90"]`, true},
		{"article not cited", ``, `["€9.90"]`, false},
		{"one alternative suffices", ``, `[["two weeks", "14 days"]]`, true},
		{"customer record string", `"customer":{"orders":[{"id":"A-7731"}]},`, `["a-7731"]`, true},
		{"customer record number", `"customer":{"account":{"number":88812}},`, `["88812"]`, true},
		{"customer record key is not grounding", `"customer":{"loyalty_tier":"x"},`, `["loyalty_tier"]`, false},
		{"reference", `"reference":"Your refund is on its way via SEPA.",`, `["SEPA"]`, true},
		{"conversation", ``, `["return a jacket"]`, true},
		{"pattern only", ``, `["/\\b30 days\\b/"]`, true},
		{"pattern and ungrounded literal", ``, `[["/30/", "30 days"]]`, false},
		{"not across parts", `"reference":"fourteen",`, `["fourteen 14 days"]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := baseSuite()
			line := fmt.Sprintf(`{"id":"g","category":"returns","question":"Can I return a jacket?","knowledge":["returns"],%s"facts":%s,"should_escalate":false}`, tt.extra, tt.facts)
			fsys["cases/c.jsonl"] = mapFile([]byte(line + "\n"))
			got := problemsOf(t, fsys)
			if tt.grounded && len(got) > 0 || !tt.grounded && (len(got) != 1 || !strings.Contains(got[0], "cannot be grounded")) {
				t.Errorf("grounded=%v, problems:\n%s", tt.grounded, strings.Join(got, "\n"))
			}
		})
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  Hello\t\tWORLD \n": "hello world",
		"ＡＢＣ　１２３":             "abc 123",
		"Straße":              "straße",
		"ﬁle":                 "file",
		"":                    "",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{`"14 days"`, []string{"14 days"}, true},
		{`[ "a" , "b" ]`, []string{"a", "b"}, true},
		{`[]`, nil, true},
		{`"a \"b\""`, nil, false},
		{`["a",]`, nil, false},
		{`["a" "b"]`, []string{"a", "b"}, false},
		{`[1]`, nil, false},
		{`"a" x`, []string{"a"}, false},
	}
	for _, tt := range tests {
		got, ok := plainStrings([]byte(tt.in))
		if ok != tt.ok || (ok && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("plainStrings(%s) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestJSONLLines checks that JSONL is read strictly line by line, even though lines are
// decoded as a stream: an object spread over lines, two objects on one line and a bad
// line are each reported, and the lines after them still load.
func TestJSONLLines(t *testing.T) {
	t.Parallel()
	c := func(id string) string {
		return `{"id":"` + id + `","category":"returns","question":"Return window?","should_escalate":false}`
	}
	content := "\ufeff" + c("a") + "\r\n\r\n" + c("b") + " " + c("c") + "\n{\"id\":\"d\",\n\"category\":\"x\"}\n" + c("e") + "\n[1]\n" + c("f") + "\n"
	fsys := baseSuite()
	fsys["cases/c.jsonl"] = mapFile([]byte(content))
	assertLines(t, problemsOf(t, fsys), []string{
		"s/cases/c.jsonl:3: extra text after the JSON object; write one case per line",
		"s/cases/c.jsonl:4: invalid JSON at column 10: unexpected end of JSON input; write one case object per line",
		`s/cases/c.jsonl:5: invalid JSON at column 11: invalid character ':' after top-level value; write one case object per line`,
		`s/cases/c.jsonl:7: each line must be one JSON object ({"id": ...})`,
	})
	delete(fsys, "cases/c.jsonl")
	fsys["cases/c.jsonl"] = mapFile([]byte(c("a") + "\n\n" + c("b") + "\r\n" + c("c")))
	if s := mustLoad(t, fsys); len(s.Cases) != 3 || s.Cases[2].Source != "cases/c.jsonl:4" {
		t.Errorf("cases: %+v", s.Cases)
	}
}
