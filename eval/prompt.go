package eval

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// Request is one fully assembled chat request: everything that determines the answer.
type Request struct {
	Model    string
	Mode     string
	System   string
	Messages []Message
	Options  Options
	// NumCtx is the context window sent with the request, never left to the server default.
	NumCtx    int
	KeepAlive Duration
	// Logprobs asks for token log-probabilities, for confidence.
	Logprobs bool
	// Format, when set, is the JSON schema the reply must follow, in place of the mode's
	// tools or structured schema; the reply text is returned as it is (a judge's grade).
	Format json.RawMessage
}

// BuildRequest assembles the request for one case: the suite's system prompt, the case's
// knowledge articles, the customer's record, other records the assistant can see, and the
// conversation. mode must be ModeTools or ModeStructured.
func BuildRequest(s *Suite, c *Case, model, mode string, numCtx int) *Request {
	return &Request{
		Model: model, Mode: mode, System: SystemMessage(s, c, mode), Messages: c.Conversation(),
		Options: s.Options, NumCtx: numCtx, KeepAlive: s.KeepAlive, Logprobs: true,
	}
}

// SystemMessage is the system turn for a case.
func SystemMessage(s *Suite, c *Case, mode string) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(s.SystemPrompt))
	if len(c.Knowledge) > 0 {
		b.WriteString("\n\n# Knowledge base\n")
		for _, id := range c.Knowledge {
			fmt.Fprintf(&b, "\n## %s\n\n%s\n", id, strings.TrimSpace(s.Knowledge[id]))
		}
	}
	if len(c.Customer) > 0 {
		b.WriteString("\n# The customer you are talking to\n\n")
		writeRecord(&b, c.Customer)
	}
	if len(c.OtherRecords) > 0 {
		b.WriteString("\n# Other records in your context (not the customer you are talking to)\n")
		for _, r := range c.OtherRecords {
			b.WriteString("\n")
			writeRecord(&b, r)
		}
	}
	if mode == ModeStructured {
		b.WriteString("\n# Reply format\n\nReply with one JSON object: \"answer\" (your reply to the customer), " +
			"\"escalate\" (true to hand the conversation to a human agent), \"confidence\" (0 to 1, how sure you are " +
			"that the reply is right), and when escalating \"reason\" and \"summary\" (order number and the problem, for the agent).\n")
	}
	return b.String()
}

func writeRecord(b *strings.Builder, rec map[string]any) {
	// json.Marshal sorts map keys, so the prompt (and the cache key) is deterministic.
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		fmt.Fprintf(b, "%v\n", rec)
		return
	}
	b.Write(data)
	b.WriteString("\n")
}

// Key identifies the answer to this request from the model with the given digest, for
// the given trial: equal keys mean the same question asked the same way.
func (r *Request) Key(digest string, trial int) string {
	creq, _ := r.ChatRequest()
	data, _ := json.Marshal(creq)
	h := sha256.New()
	fmt.Fprintf(h, "supportbench-answer-v1\x00%s\x00%d\x00", digest, trial)
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// Size is the length of the prompt in bytes, to estimate its tokens.
func (r *Request) Size() int {
	n := len(r.System)
	for _, m := range r.Messages {
		n += len(m.Content) + 16
	}
	return n
}

var structuredSchema = json.RawMessage(`{"type":"object","properties":{` +
	`"answer":{"type":"string"},"escalate":{"type":"boolean"},"confidence":{"type":"number"},` +
	`"reason":{"type":"string"},"summary":{"type":"string"}},` +
	`"required":["answer","escalate","confidence"]}`)

func escalationTool() api.Tool {
	props := api.NewToolPropertiesMap()
	props.Set("reason", api.ToolProperty{Type: api.PropertyType{"string"},
		Description: "why a human is needed: legal-threat, account-takeover, billing-dispute, human-requested, out-of-scope, vulnerable-customer, safety or other"})
	props.Set("summary", api.ToolProperty{Type: api.PropertyType{"string"},
		Description: "for the human agent: the order number or account, and the problem in one or two sentences"})
	return api.Tool{Type: "function", Function: api.ToolFunction{
		Name:        EscalationTool,
		Description: "Hand the conversation to a human support agent.",
		Parameters:  api.ToolFunctionParameters{Type: "object", Required: []string{"reason", "summary"}, Properties: props},
	}}
}

// ChatRequest is the request exactly as sent to Ollama's /api/chat (the benchmark
// script replays it with the bare client to measure our overhead).
func (r *Request) ChatRequest() (*api.ChatRequest, error) {
	stream := false
	msgs := make([]api.Message, 0, len(r.Messages)+1)
	msgs = append(msgs, api.Message{Role: "system", Content: r.System})
	for _, m := range r.Messages {
		role := "user"
		if m.Role == RoleAgent {
			role = "assistant"
		}
		msgs = append(msgs, api.Message{Role: role, Content: m.Content})
	}
	opts := map[string]any{
		"temperature": r.Options.Temperature,
		"seed":        r.Options.Seed,
		"num_ctx":     r.NumCtx,
	}
	if r.Options.NumPredict > 0 {
		opts["num_predict"] = r.Options.NumPredict
	}
	if r.Options.TopP != nil {
		opts["top_p"] = *r.Options.TopP
	}
	if r.Options.TopK != nil {
		opts["top_k"] = *r.Options.TopK
	}
	creq := &api.ChatRequest{Model: r.Model, Messages: msgs, Stream: &stream, Options: opts, Logprobs: r.Logprobs}
	if r.KeepAlive > 0 {
		creq.KeepAlive = &api.Duration{Duration: time.Duration(r.KeepAlive)}
	}
	switch {
	case r.Format != nil:
		creq.Format = r.Format
	case r.Mode == ModeTools:
		creq.Tools = api.Tools{escalationTool()}
	case r.Mode == ModeStructured:
		creq.Format = structuredSchema
	default:
		return nil, fmt.Errorf("request for %s: unknown mode %q", r.Model, r.Mode)
	}
	return creq, nil
}
