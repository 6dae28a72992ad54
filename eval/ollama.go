package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// ErrTruncated reports a response that ended without done=true, as Ollama does when the
// sampler repeats one token too often, or when a stream is cut short.
var ErrTruncated = errors.New("truncated response: the server ended the answer without done=true")

// ErrModelNotFound reports a model the server does not have.
var ErrModelNotFound = errors.New("model not found")

// Ollama is a model server reached through the native Ollama API (not its
// OpenAI-compatible surface, which ignores num_ctx and keep_alive).
type Ollama struct {
	client *api.Client
	// URL is the server's base URL, as given by the user.
	URL string
}

// ParseEndpoint turns "host:port", "http://host:port" or "" (OLLAMA_HOST, else the
// default 127.0.0.1:11434) into a base URL.
func ParseEndpoint(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = "http://127.0.0.1:11434"
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid Ollama endpoint %q (write host:port or http://host:port)", s)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid Ollama endpoint %q: scheme must be http or https", s)
	}
	if u.Port() == "" {
		u.Host += ":11434"
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// NewOllama returns a client for the server at base. hc may be nil.
func NewOllama(base *url.URL, hc *http.Client) *Ollama {
	if hc == nil {
		hc = &http.Client{}
	}
	return &Ollama{client: api.NewClient(base, hc), URL: base.String()}
}

// ModelInfo is what the server says about a model.
type ModelInfo struct {
	Name          string         `json:"name"`
	Digest        string         `json:"digest"`
	Capabilities  []string       `json:"capabilities"`
	Parameters    string         `json:"parameters,omitempty"`
	Family        string         `json:"family,omitempty"`
	ParameterSize string         `json:"parameter_size,omitempty"`
	Quantization  string         `json:"quantization,omitempty"`
	ContextLength int            `json:"context_length,omitempty"`
	Details       map[string]any `json:"-"`
}

// HasTools reports whether the model's template supports tool calls.
func (m ModelInfo) HasTools() bool { return slices.Contains(m.Capabilities, "tools") }

// Version returns the server's version; it doubles as a reachability check.
func (o *Ollama) Version(ctx context.Context) (string, error) {
	v, err := o.client.Version(ctx)
	if err != nil {
		return "", fmt.Errorf("ollama at %s: %w", o.URL, err)
	}
	return v, nil
}

// Show returns the model's digest, capabilities and parameters.
func (o *Ollama) Show(ctx context.Context, model string) (ModelInfo, error) {
	resp, err := o.client.Show(ctx, &api.ShowRequest{Model: model})
	if err != nil {
		var se api.StatusError
		if errors.As(err, &se) && se.StatusCode == http.StatusNotFound {
			return ModelInfo{}, fmt.Errorf("%w: %q is not on the Ollama server at %s (get it with: ollama pull %s)", ErrModelNotFound, model, o.URL, model)
		}
		return ModelInfo{}, fmt.Errorf("show %s at %s: %w", model, o.URL, err)
	}
	info := ModelInfo{
		Name: model, Parameters: resp.Parameters, Family: resp.Details.Family,
		ParameterSize: resp.Details.ParameterSize, Quantization: resp.Details.QuantizationLevel,
	}
	for _, c := range resp.Capabilities {
		info.Capabilities = append(info.Capabilities, string(c))
	}
	for k, v := range resp.ModelInfo {
		if strings.HasSuffix(k, ".context_length") {
			if f, ok := v.(float64); ok {
				info.ContextLength = int(f)
			}
		}
	}
	list, err := o.client.List(ctx)
	if err != nil {
		return ModelInfo{}, fmt.Errorf("list models at %s: %w", o.URL, err)
	}
	for _, m := range list.Models {
		if m.Name == model || m.Model == model || m.Name == model+":latest" {
			info.Digest = m.Digest
			break
		}
	}
	return info, nil
}

// loadedContext reports whether the server has the model loaded, and with which context
// size per sequence.
func (o *Ollama) loadedContext(ctx context.Context, model string) (int, bool) {
	ps, err := o.client.ListRunning(ctx)
	if err != nil {
		return 0, false
	}
	for _, m := range ps.Models {
		if m.Name == model || m.Model == model || m.Name == model+":latest" {
			return m.ContextLength, true
		}
	}
	return 0, false
}

// Chat sends one request and returns the answer. A response without done=true is
// ErrTruncated; HTTP errors are api.StatusError, wrapped.
func (o *Ollama) Chat(ctx context.Context, req *Request) (*Answer, error) {
	creq, err := req.ChatRequest()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	var final *api.ChatResponse
	var content strings.Builder
	var calls []api.ToolCall
	var logprobs []api.Logprob
	err = o.client.Chat(ctx, creq, func(r api.ChatResponse) error {
		content.WriteString(r.Message.Content)
		calls = append(calls, r.Message.ToolCalls...)
		logprobs = append(logprobs, r.Logprobs...)
		if r.Done {
			final = &r
		}
		return nil
	})
	latency := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("chat %s at %s: %w", req.Model, o.URL, cutShort(err))
	}
	if final == nil || final.DoneReason == "" && len(calls) == 0 {
		return nil, fmt.Errorf("chat %s at %s: %w", req.Model, o.URL, ErrTruncated)
	}
	a := &Answer{
		Model: req.Model, Mode: req.Mode, Text: content.String(),
		LatencyMS: float64(latency.Microseconds()) / 1000,
		// Ollama reports durations in nanoseconds.
		PromptTokens: final.PromptEvalCount, CompletionTokens: final.EvalCount,
		EvalMS: float64(final.EvalDuration) / 1e6,
	}
	a.LoadMS = float64(final.LoadDuration) / 1e6
	for _, c := range calls {
		a.ToolCalls = append(a.ToolCalls, ToolCall{Name: c.Function.Name, Arguments: c.Function.Arguments.ToMap()})
	}
	a.Confidence = tokenConfidence(logprobs)
	if req.Mode == ModeStructured && req.Format == nil {
		parseStructured(a)
	}
	return a, nil
}

// Embed returns the embedding of each text by model, through /api/embed. Texts longer
// than the model's context are truncated by the server.
func (o *Ollama) Embed(ctx context.Context, model string, texts []string) ([][]float32, error) {
	resp, err := o.client.Embed(ctx, &api.EmbedRequest{Model: model, Input: texts})
	if err != nil {
		return nil, fmt.Errorf("embed with %s at %s: %w", model, o.URL, err)
	}
	if len(resp.Embeddings) != len(texts) {
		return nil, fmt.Errorf("embed with %s at %s: %d embeddings for %d texts", model, o.URL, len(resp.Embeddings), len(texts))
	}
	return resp.Embeddings, nil
}

// cutShort turns the error api.Client returns for a response line it cannot parse (the
// line itself as the message, as when the stream is cut inside a line) into
// ErrTruncated, so that the recorded error says what happened rather than showing a
// fragment of JSON.
func cutShort(err error) error {
	var se api.StatusError
	msg := err.Error()
	if errors.As(err, &se) || !strings.HasPrefix(msg, "{") || json.Valid([]byte(msg)) {
		return err
	}
	return fmt.Errorf("%w (the stream ended inside a line: %.60q)", ErrTruncated, msg)
}

// tokenConfidence is the geometric mean probability of the generated tokens, or nil
// when the server returned no log-probabilities.
func tokenConfidence(lps []api.Logprob) *float64 {
	if len(lps) == 0 {
		return nil
	}
	var sum float64
	for _, lp := range lps {
		sum += lp.Logprob
	}
	c := math.Exp(sum / float64(len(lps)))
	return &c
}

// structuredAnswer is the JSON a model returns in ModeStructured.
type structuredAnswer struct {
	Answer     string   `json:"answer"`
	Escalate   *bool    `json:"escalate"`
	Confidence *float64 `json:"confidence"`
	Reason     string   `json:"reason"`
	Summary    string   `json:"summary"`
}

// parseStructured replaces the raw JSON text of a structured answer by its fields. Text
// that is not the expected JSON is kept as it is, for the scorers to judge as text.
func parseStructured(a *Answer) {
	var s structuredAnswer
	if err := json.Unmarshal([]byte(a.Text), &s); err != nil {
		a.FormatError = "invalid structured output: " + err.Error()
		return
	}
	a.Text = s.Answer
	a.Escalate = s.Escalate
	if s.Escalate != nil && *s.Escalate {
		a.ToolCalls = append(a.ToolCalls, ToolCall{Name: EscalationTool, Arguments: map[string]any{"reason": s.Reason, "summary": s.Summary}})
	}
	if s.Confidence != nil {
		c := min(max(*s.Confidence, 0), 1)
		a.Confidence = &c
	}
}

// unreachable reports whether err means the server could not be reached, dropped the
// connection or did not answer in time, as opposed to an answer the server gave (an HTTP
// status, a truncation). A server that times out request after request is as good as
// down: seen with a wedged Ollama that accepts connections but never answers.
func unreachable(err error) bool {
	if err == nil {
		return false
	}
	var se api.StatusError
	if errors.As(err, &se) || errors.Is(err, ErrTruncated) {
		return false
	}
	return !errors.Is(err, context.Canceled)
}

// Retryable reports whether an error from Chat is worth another attempt: overload
// (429, 503), gateway and server errors, connection failures, timeouts and truncated
// responses. A missing model or a bad request is not.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var se api.StatusError
	if errors.As(err, &se) {
		switch se.StatusCode {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	// Truncation, deadlines, resets, refused connections, unexpected EOF: all transient.
	return true
}
