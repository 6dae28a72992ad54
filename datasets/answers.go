package datasets

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/supportbench/supportbench/eval"
)

// Recorded is one answer produced elsewhere, for `supportbench score`.
type Recorded struct {
	CaseID string
	// Trial numbers repeated answers for the same case and model: 1, 2, ...
	Trial  int
	Answer eval.Answer
}

// recordedLine is one line of a recorded-answers file (formats.md).
type recordedLine struct {
	ID         *string         `json:"id"`
	Model      *string         `json:"model"`
	Answer     *string         `json:"answer"`
	ToolCalls  []eval.ToolCall `json:"tool_calls"`
	Confidence *float64        `json:"confidence"`
}

// maxAnswerLine bounds one line of a recorded-answers file.
const maxAnswerLine = 16 << 20

// LoadAnswers reads a recorded-answers JSONL file and checks it against the suite:
// every problem (unknown fields, missing id/model/answer, unknown case ids, confidence
// outside 0..1, tool calls without a name) is reported at once as *ProblemsError.
func LoadAnswers(path string, s *eval.Suite) ([]Recorded, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAnswers(f, path, s)
}

func readAnswers(r io.Reader, name string, s *eval.Suite) ([]Recorded, error) {
	ids := make(map[string]bool, len(s.Cases))
	for _, c := range s.Cases {
		ids[c.ID] = true
	}
	var ps problems
	var out []Recorded
	trials := map[[2]string]int{}
	br := bufio.NewReaderSize(r, 1<<20)
	for line := 1; ; line++ {
		data, tooLong, rerr := eval.ReadLine(br, maxAnswerLine)
		at := pos{file: name, line: line}
		if tooLong {
			ps.add(at, "", "line longer than %d MB", maxAnswerLine>>20)
		} else if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 {
			if rec, ok := parseAnswer(trimmed, at, ids, &ps); ok {
				k := [2]string{rec.CaseID, rec.Answer.Model}
				trials[k]++
				rec.Trial = trials[k]
				out = append(out, rec)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, fmt.Errorf("read %s: %w", name, rerr)
		}
	}
	if len(out) == 0 && len(ps.list) == 0 {
		ps.add(pos{file: name}, "", "no answers in the file")
	}
	if err := ps.err(""); err != nil {
		return nil, err
	}
	return out, nil
}

func parseAnswer(data []byte, at pos, ids map[string]bool, ps *problems) (Recorded, bool) {
	var l recordedLine
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		field, msg := jsonProblem(err)
		ps.add(at, field, "%s", msg)
		return Recorded{}, false
	}
	ok := true
	need := func(v *string, field string) string {
		if v == nil || strings.TrimSpace(*v) == "" && field != "answer" {
			ps.add(at, field, "required")
			ok = false
			return ""
		}
		return *v
	}
	id, model, answer := need(l.ID, "id"), need(l.Model, "model"), need(l.Answer, "answer")
	if id != "" && !ids[id] {
		ps.add(at, "id", "no case %q in the suite", id)
		ok = false
	}
	if l.Confidence != nil && (*l.Confidence < 0 || *l.Confidence > 1) {
		ps.add(at, "confidence", "must be between 0 and 1, not %v", *l.Confidence)
		ok = false
	}
	for i, tc := range l.ToolCalls {
		if tc.Name == "" {
			ps.add(at, fmt.Sprintf("tool_calls[%d].name", i), "required")
			ok = false
		}
	}
	return Recorded{CaseID: id, Answer: eval.Answer{Model: model, Text: answer, ToolCalls: l.ToolCalls, Confidence: l.Confidence}}, ok
}

// jsonProblem turns a decoding error into a field and a message.
func jsonProblem(err error) (string, string) {
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return strings.Trim(f, `"`), "unknown field (allowed: id, model, answer, tool_calls, confidence)"
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field, fmt.Sprintf("must be %s, not %s", te.Type, te.Value)
	}
	return "", "invalid JSON: " + strings.TrimPrefix(msg, "json: ")
}
