// Package eval is the core of supportbench: the test case, the model's answer and the
// scored result; the Model and Scorer interfaces the core calls; the Runner that replays
// cases through models (worker pools, retries, cache, resume); and the Ollama adapter.
//
// eval depends on nothing else in this module: datasets, scorers and results depend on it,
// and cmd/supportbench wires them together.
package eval

import "strings"

// Roles of a conversation turn in a case.
const (
	RoleCustomer = "customer"
	RoleAgent    = "agent"
)

// Risk levels of a case, used to weight cost-sensitive metrics.
const (
	RiskLow    = "low"
	RiskMedium = "medium"
	RiskHigh   = "high"
)

// Case is one labelled customer question or conversation. Field names follow the suite
// contract (shared/docs/formats.md).
type Case struct {
	ID               string           `json:"id" yaml:"id"`
	Category         string           `json:"category" yaml:"category"`
	Question         string           `json:"question,omitempty" yaml:"question,omitempty"`
	Messages         []Message        `json:"messages,omitempty" yaml:"messages,omitempty"`
	Knowledge        []string         `json:"knowledge,omitempty" yaml:"knowledge,omitempty"`
	Customer         map[string]any   `json:"customer,omitempty" yaml:"customer,omitempty"`
	OtherRecords     []map[string]any `json:"other_records,omitempty" yaml:"other_records,omitempty"`
	Reference        string           `json:"reference,omitempty" yaml:"reference,omitempty"`
	Facts            []Fact           `json:"facts,omitempty" yaml:"facts,omitempty"`
	Forbidden        []string         `json:"forbidden,omitempty" yaml:"forbidden,omitempty"`
	ShouldEscalate   bool             `json:"should_escalate" yaml:"should_escalate"`
	EscalationReason string           `json:"escalation_reason,omitempty" yaml:"escalation_reason,omitempty"`
	Tags             []string         `json:"tags,omitempty" yaml:"tags,omitempty"`
	Risk             string           `json:"risk,omitempty" yaml:"risk,omitempty"`
	Language         string           `json:"language,omitempty" yaml:"language,omitempty"`

	// Source is where the case was read from ("cases/refunds.yaml:12"), for messages.
	Source string `json:"-" yaml:"-"`
}

// Message is one turn of a conversation.
type Message struct {
	Role    string `json:"role" yaml:"role"`
	Content string `json:"content" yaml:"content"`
}

// Fact is one fact a correct answer must state, as a list of acceptable alternatives
// ("14 days", "two weeks"). An alternative written /.../ is a case-insensitive regular
// expression.
type Fact []string

// Conversation returns the case as a list of turns: Messages when set, otherwise the
// single Question as one customer turn.
func (c *Case) Conversation() []Message {
	if len(c.Messages) > 0 {
		return c.Messages
	}
	return []Message{{Role: RoleCustomer, Content: c.Question}}
}

// LastQuestion returns the customer turn the model must answer.
func (c *Case) LastQuestion() string {
	conv := c.Conversation()
	return conv[len(conv)-1].Content
}

// Lang returns the case's language, "en" when unset.
func (c *Case) Lang() string {
	if c.Language == "" {
		return "en"
	}
	return c.Language
}

// HasTag reports whether the case carries tag, or a tag of the form tag:<value>.
func (c *Case) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if t == tag || strings.HasPrefix(t, tag+":") {
			return true
		}
	}
	return false
}

// IsPattern reports whether a fact or forbidden string is a regular expression (/.../),
// and returns the expression.
func IsPattern(s string) (string, bool) {
	if len(s) >= 2 && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/") {
		return s[1 : len(s)-1], true
	}
	return "", false
}
