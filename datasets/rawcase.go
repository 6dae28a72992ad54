package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/supportbench/supportbench/eval"
	"gopkg.in/yaml.v3"
)

// rawCase is a case as written in a file, before validation. Pointers tell "absent"
// from "empty" for the fields whose absence is itself a problem.
type rawCase struct {
	ID               string           `json:"id" yaml:"id"`
	Category         string           `json:"category" yaml:"category"`
	Question         *string          `json:"question" yaml:"question"`
	Messages         []eval.Message   `json:"messages" yaml:"messages"`
	Knowledge        []string         `json:"knowledge" yaml:"knowledge"`
	Customer         map[string]any   `json:"customer" yaml:"customer"`
	OtherRecords     []map[string]any `json:"other_records" yaml:"other_records"`
	Reference        string           `json:"reference" yaml:"reference"`
	Facts            []rawFact        `json:"facts" yaml:"facts"`
	Forbidden        []string         `json:"forbidden" yaml:"forbidden"`
	ShouldEscalate   *bool            `json:"should_escalate" yaml:"should_escalate"`
	EscalationReason string           `json:"escalation_reason" yaml:"escalation_reason"`
	Tags             []string         `json:"tags" yaml:"tags"`
	Risk             string           `json:"risk" yaml:"risk"`
	Language         string           `json:"language" yaml:"language"`
}

// caseFields are the field names of a case, in the order of the suite contract.
var caseFields = []string{
	"id", "category", "question", "messages", "knowledge", "customer", "other_records",
	"reference", "facts", "forbidden", "should_escalate", "escalation_reason", "tags",
	"risk", "language",
}

// field returns a pointer to the field of rc named name, or nil for an unknown name.
func (rc *rawCase) field(name string) any {
	switch name {
	case "id":
		return &rc.ID
	case "category":
		return &rc.Category
	case "question":
		return &rc.Question
	case "messages":
		return &rc.Messages
	case "knowledge":
		return &rc.Knowledge
	case "customer":
		return &rc.Customer
	case "other_records":
		return &rc.OtherRecords
	case "reference":
		return &rc.Reference
	case "facts":
		return &rc.Facts
	case "forbidden":
		return &rc.Forbidden
	case "should_escalate":
		return &rc.ShouldEscalate
	case "escalation_reason":
		return &rc.EscalationReason
	case "tags":
		return &rc.Tags
	case "risk":
		return &rc.Risk
	case "language":
		return &rc.Language
	}
	return nil
}

// rawFact is one required fact: a string, or a list of alternative strings.
type rawFact []string

var errFactShape = errors.New("each fact must be a string or a list of alternative strings")

// UnmarshalJSON accepts "14 days" or ["14 days", "two weeks"]. Strings without escapes,
// by far the most common, are taken as they are, without a second decoder pass.
func (f *rawFact) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if alts, ok := plainStrings(b); ok {
		*f = alts
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return errFactShape
		}
		*f = rawFact{s}
		return nil
	}
	var alts []string
	if err := json.Unmarshal(b, &alts); err != nil {
		return errFactShape
	}
	*f = alts
	return nil
}

// plainStrings reads a JSON string, or an array of strings, that has no escapes; ok is
// false for anything else (which the caller then decodes in full).
func plainStrings(b []byte) (out []string, ok bool) {
	str := func(b []byte) (string, []byte, bool) {
		if len(b) < 2 || b[0] != '"' {
			return "", nil, false
		}
		end := bytes.IndexByte(b[1:], '"')
		if end < 0 || bytes.IndexByte(b[1:end+1], '\\') >= 0 {
			return "", nil, false
		}
		return string(b[1 : end+1]), b[end+2:], true
	}
	if len(b) > 0 && b[0] == '"' {
		s, rest, ok := str(b)
		return []string{s}, ok && len(rest) == 0
	}
	if len(b) < 2 || b[0] != '[' {
		return nil, false
	}
	b = bytes.TrimSpace(b[1:])
	for len(b) > 0 && b[0] != ']' {
		s, rest, ok := str(b)
		if !ok {
			return nil, false
		}
		out = append(out, s)
		b = bytes.TrimSpace(rest)
		if len(b) == 0 || (b[0] != ',' && b[0] != ']') {
			return nil, false
		}
		if b[0] == ',' {
			b = bytes.TrimSpace(b[1:])
			if len(b) == 0 || b[0] == ']' {
				return nil, false // a trailing comma is invalid JSON
			}
		}
	}
	return out, len(b) == 1
}

// UnmarshalYAML accepts a scalar or a list of scalars.
func (f *rawFact) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if isNull(n) {
			return errors.New("a fact is empty; write the text the answer must contain")
		}
		*f = rawFact{n.Value}
		return nil
	case yaml.SequenceNode:
		alts := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return errFactShape
			}
			alts = append(alts, c.Value)
		}
		*f = alts
		return nil
	}
	return errFactShape
}

// decodeJSONCase decodes one JSON object into a case. The fast path decodes the line
// in one go; when that fails it decodes field by field, so that every unknown field and
// every badly typed value is reported, not only the first.
func decodeJSONCase(line []byte) (rawCase, []fieldIssue) {
	var rc rawCase
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	err := dec.Decode(&rc)
	if err == nil {
		if rest := bytes.TrimSpace(line[dec.InputOffset():]); len(rest) > 0 {
			return rc, []fieldIssue{{msg: "extra text after the JSON object; write one case per line"}}
		}
		return rc, nil
	}
	return decodeJSONFields(line)
}

// fieldIssue is a problem found while decoding one case, before its position is known.
type fieldIssue struct {
	field string
	msg   string
}

func decodeJSONFields(line []byte) (rawCase, []fieldIssue) {
	var rc rawCase
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(line, &obj); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return rc, []fieldIssue{{msg: fmt.Sprintf("invalid JSON at column %d: %s; write one case object per line", se.Offset, strings.TrimPrefix(se.Error(), "json: "))}}
		}
		return rc, []fieldIssue{{msg: "each line must be one JSON object ({\"id\": ...})"}}
	}
	if obj == nil {
		return rc, []fieldIssue{{msg: "each line must be one JSON object ({\"id\": ...})"}}
	}
	var issues []fieldIssue
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		dst := rc.field(name)
		if dst == nil {
			issues = append(issues, fieldIssue{name, "unknown field" + suggest(name, caseFields)})
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(obj[name]))
		dec.DisallowUnknownFields()
		dec.UseNumber()
		if err := dec.Decode(dst); err != nil {
			issues = append(issues, fieldIssue{name, jsonFieldMessage(err, dst)})
		}
	}
	return rc, issues
}

// jsonFieldMessage explains a decoding error of one field in plain words.
func jsonFieldMessage(err error, dst any) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		t := reflect.TypeOf(dst).Elem()
		if te.Field != "" && t.Kind() == reflect.Slice && t.Elem() == reflect.TypeFor[eval.Message]() {
			return "each turn must be {\"role\": ..., \"content\": ...} with text values, got " + jsonKind(te.Value) + " in " + te.Field
		}
		return expectation(t) + ", got " + jsonKind(te.Value)
	}
	if errors.Is(err, errFactShape) {
		return errFactShape.Error()
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field") {
		return "each turn has only role and content: " + msg
	}
	return msg
}

// jsonKind names the kind of JSON value encoding/json reports ("string", "number 3").
func jsonKind(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "string", "number", "bool":
		return "a " + strings.Replace(kind, "bool", "boolean", 1)
	case "array":
		return "a list"
	case "object":
		return "an object"
	}
	return v
}
