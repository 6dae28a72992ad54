package eval

// EscalationTool is the name of the handoff tool offered to models in ModeTools.
const EscalationTool = "escalate_to_human"

// ToolCall is a tool the model called, with its arguments.
type ToolCall struct {
	Name      string         `json:"name"`
	Arguments map[string]any `json:"arguments,omitempty"`
}

// Answer is what a model (or a recorded answer file) said for one case.
type Answer struct {
	Model     string     `json:"model"`
	Text      string     `json:"answer"`
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	// Escalate is the structured-mode escalation field; nil when the mode has none.
	Escalate *bool `json:"escalate,omitempty"`
	// Confidence is in 0..1: the structured field, or derived from token log-probabilities.
	Confidence *float64 `json:"confidence,omitempty"`
	// Mode is how the answer was obtained (tools, structured, recorded).
	Mode string `json:"mode,omitempty"`

	LatencyMS        float64 `json:"latency_ms"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	// EvalMS is the server's generation time, for tokens per second.
	EvalMS float64 `json:"eval_ms,omitempty"`
	// LoadMS is the time the server spent loading the model for this request.
	LoadMS float64 `json:"load_ms,omitempty"`
	// FormatError says why a structured answer could not be parsed; its raw text is kept.
	FormatError string `json:"format_error,omitempty"`
}

// Verdict is a scorer's judgement of one answer to one case.
type Verdict struct {
	Escalated    bool               `json:"escalated"`
	EscalationOK bool               `json:"escalation_ok"`
	Correct      bool               `json:"correct"`
	Hallucinated bool               `json:"hallucinated"`
	Scores       map[string]float64 `json:"scores"`
	Flags        []string           `json:"flags"`
}

// Judgement is a judge model's verdict on one answer, recorded beside the deterministic
// Verdict and never replacing it. Error is set (and the verdict fields are meaningless)
// when the judge could not grade the answer.
type Judgement struct {
	Model string `json:"model"`
	// Digest is the judge model's digest, so a grade by another build of the same model
	// name is never mixed with this one's.
	Digest        string `json:"digest,omitempty"`
	PromptVersion string `json:"prompt_version"`
	Correct       bool   `json:"correct"`
	Escalated     bool   `json:"escalated"`
	// Hallucinated is true when the judge found at least one unsupported claim.
	Hallucinated      bool     `json:"hallucinated"`
	Reason            string   `json:"reason"`
	UnsupportedClaims []string `json:"unsupported_claims"`
	Error             string   `json:"error,omitempty"`
}

// Scorer judges answers. Implementations live in package scorers.
type Scorer interface {
	Score(c *Case, a *Answer) Verdict
}

// Result is one line of results.jsonl: one (case, model, trial). The field names are
// the contract in shared/docs/formats.md.
type Result struct {
	CaseID           string   `json:"case_id"`
	Model            string   `json:"model"`
	Trial            int      `json:"trial"`
	Category         string   `json:"category"`
	Language         string   `json:"language,omitempty"`
	Risk             string   `json:"risk,omitempty"`
	Tags             []string `json:"tags,omitempty"`
	EscalationReason string   `json:"escalation_reason,omitempty"`
	Mode             string   `json:"mode,omitempty"`

	Answer         string     `json:"answer"`
	ToolCalls      []ToolCall `json:"tool_calls"`
	ShouldEscalate bool       `json:"should_escalate"`
	Verdict
	// Judge is a judge model's verdict, beside the deterministic one (--judge); nil when
	// the run had no judge.
	Judge      *Judgement `json:"judge,omitempty"`
	Confidence *float64   `json:"confidence"`

	LatencyMS        float64 `json:"latency_ms"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	EvalMS           float64 `json:"eval_ms,omitempty"`
	Attempts         int     `json:"attempts,omitempty"`
	// Cached is true when the answer came from the answer cache, not a model call.
	Cached bool `json:"cached,omitempty"`
	// Key identifies the exact request (model digest, full request, trial) for the cache.
	Key   string `json:"key,omitempty"`
	Error string `json:"error"`
}

// NewResult fills a result's case and answer fields, without a verdict.
func NewResult(c *Case, a *Answer, trial int) Result {
	calls := a.ToolCalls
	if calls == nil {
		calls = []ToolCall{}
	}
	return Result{
		CaseID: c.ID, Model: a.Model, Trial: trial, Category: c.Category,
		Language: c.Lang(), Risk: c.Risk, Tags: c.Tags, EscalationReason: c.EscalationReason,
		Mode: a.Mode, Answer: a.Text, ToolCalls: calls, ShouldEscalate: c.ShouldEscalate,
		Confidence: a.Confidence, LatencyMS: a.LatencyMS, PromptTokens: a.PromptTokens,
		CompletionTokens: a.CompletionTokens, EvalMS: a.EvalMS,
	}
}
