package eval

import (
	"fmt"
	"strings"
	"time"
)

// Response modes: how a model is asked to answer and to hand off.
const (
	// ModeAuto uses ModeTools for models whose capabilities include tools, ModeStructured otherwise.
	ModeAuto = "auto"
	// ModeTools offers the escalate_to_human tool; the answer is free text.
	ModeTools = "tools"
	// ModeStructured asks for JSON {answer, escalate, confidence} through a format schema.
	ModeStructured = "structured"
	// ModeRecorded marks answers produced elsewhere and scored with `supportbench score`.
	ModeRecorded = "recorded"
)

// Suite is a loaded, validated suite: its settings, knowledge base and cases.
type Suite struct {
	Config
	// Knowledge maps an article id (file name without extension) to its text.
	Knowledge map[string]string
	Cases     []Case
	// Dir is where the suite was loaded from ("(embedded demo)" for the bundled suite).
	Dir string
	// Hash is a content hash over suite.yaml, knowledge and case files.
	Hash string
}

// Config is suite.yaml. Every key except name has a default (see datasets.Defaults).
type Config struct {
	Name         string   `yaml:"name" json:"name"`
	Description  string   `yaml:"description,omitempty" json:"description,omitempty"`
	SystemPrompt string   `yaml:"system_prompt,omitempty" json:"system_prompt,omitempty"`
	Languages    []string `yaml:"languages,omitempty" json:"languages,omitempty"`

	// Models are the Ollama model names to run when --model is not given.
	Models []string `yaml:"models,omitempty" json:"models,omitempty"`
	// Mode is auto, tools or structured.
	Mode string `yaml:"mode,omitempty" json:"mode,omitempty"`
	// Options are the generation options pinned for every request.
	Options Options `yaml:"options,omitempty" json:"options"`
	// Trials is how many times each case is asked of each model.
	Trials int `yaml:"trials,omitempty" json:"trials"`
	// Concurrency is the number of requests in flight per endpoint.
	Concurrency int `yaml:"concurrency,omitempty" json:"concurrency"`
	// Timeout bounds one request (one attempt).
	Timeout Duration `yaml:"timeout,omitempty" json:"timeout"`
	// Retries is how many times a failed request is retried before its error is recorded.
	Retries int `yaml:"retries,omitempty" json:"retries"`
	// KeepAlive keeps the model loaded between requests.
	KeepAlive Duration `yaml:"keep_alive,omitempty" json:"keep_alive"`
	// Gates are the quality thresholds a run must meet to exit 0.
	Gates Gates `yaml:"gates,omitempty" json:"gates"`
}

// Options are the generation options sent to Ollama with every request.
type Options struct {
	Temperature float64  `yaml:"temperature" json:"temperature"`
	Seed        int      `yaml:"seed" json:"seed"`
	NumPredict  int      `yaml:"num_predict,omitempty" json:"num_predict"`
	TopP        *float64 `yaml:"top_p,omitempty" json:"top_p,omitempty"`
	TopK        *int     `yaml:"top_k,omitempty" json:"top_k,omitempty"`
	// NumCtx is the context window; 0 means "computed from the longest prompt of the suite".
	NumCtx int `yaml:"num_ctx,omitempty" json:"num_ctx"`
}

// Gates are minimum/maximum rates a run must meet, overall and per category.
// A nil threshold is not checked.
type Gates struct {
	MinAccuracy         *float64         `yaml:"min_accuracy,omitempty" json:"min_accuracy,omitempty"`
	MaxHallucination    *float64         `yaml:"max_hallucination_rate,omitempty" json:"max_hallucination_rate,omitempty"`
	MinEscalationRecall *float64         `yaml:"min_escalation_recall,omitempty" json:"min_escalation_recall,omitempty"`
	Categories          map[string]Gates `yaml:"categories,omitempty" json:"categories,omitempty"`
}

// Duration is a time.Duration written as "30s" or "5m" in YAML and JSON.
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("invalid duration %q (write e.g. 30s, 2m, 1h)", string(b))
	}
	if v < 0 {
		return fmt.Errorf("invalid duration %q: must not be negative", string(b))
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Articles returns the texts of the case's knowledge articles, in the case's order.
func (s *Suite) Articles(c *Case) []string {
	out := make([]string, 0, len(c.Knowledge))
	for _, id := range c.Knowledge {
		if t, ok := s.Knowledge[id]; ok {
			out = append(out, t)
		}
	}
	return out
}
