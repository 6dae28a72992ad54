package results

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/supportbench/supportbench/eval"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes one <testcase> per (case, model): it fails when any trial was not
// correct, and errors when any trial's request failed. Model text is escaped by
// encoding/xml, which also replaces characters XML cannot carry.
func WriteJUnit(w io.Writer, suite string, rs []eval.Result) error {
	type key struct{ model, id string }
	var order []key
	groups := map[key][]*eval.Result{}
	for i := range rs {
		k := key{rs[i].Model, rs[i].CaseID}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], &rs[i])
	}
	doc := junitSuites{Name: "supportbench " + suite}
	index := map[string]int{}
	var suiteSecs []float64
	for _, k := range order {
		i, ok := index[k.model]
		if !ok {
			i = len(doc.Suites)
			index[k.model] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: k.model})
			suiteSecs = append(suiteSecs, 0)
		}
		ts := &doc.Suites[i]
		tc := junitCase{Name: k.id, Classname: k.model + "." + groups[k][0].Category}
		var secs float64
		var fails, errs []string
		for _, r := range groups[k] {
			secs += r.LatencyMS / 1000
			switch {
			case r.Error != "":
				errs = append(errs, fmt.Sprintf("trial %d: %s", r.Trial, r.Error))
			case !r.Correct:
				fails = append(fails, fmt.Sprintf("trial %d: %s\nanswer: %s", r.Trial, strings.Join(r.Flags, "; "), r.Answer))
			}
		}
		tc.Time = fmt.Sprintf("%.3f", secs)
		suiteSecs[i] += secs
		if len(errs) > 0 {
			tc.Error = &junitMessage{Message: firstLine(errs[0]), Type: "error", Body: strings.Join(errs, "\n")}
			ts.Errors++
		} else if len(fails) > 0 {
			tc.Failure = &junitMessage{Message: firstLine(fails[0]), Type: "incorrect", Body: strings.Join(fails, "\n\n")}
			ts.Failures++
		}
		ts.Tests++
		ts.Cases = append(ts.Cases, tc)
	}
	for i := range doc.Suites {
		ts := &doc.Suites[i]
		ts.Time = fmt.Sprintf("%.3f", suiteSecs[i])
		doc.Tests += ts.Tests
		doc.Failures += ts.Failures
		doc.Errors += ts.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
