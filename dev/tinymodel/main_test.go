package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ollama/ollama/api"
	"github.com/ollama/ollama/template"
	"github.com/ollama/ollama/tools"

	"github.com/supportbench/supportbench/dev/gguf"
)

// fakeOllama implements the endpoints tinymodel uses, the way Ollama v0.17.4 answers
// them, and records the calls.
type fakeOllama struct {
	mu     sync.Mutex
	calls  []string
	blobs  map[string]bool
	models map[string]api.CreateRequest
}

func newFakeOllama(t *testing.T) *httptest.Server {
	f := &fakeOllama{blobs: map[string]bool{}, models: map[string]api.CreateRequest{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv
}

func (f *fakeOllama) calledPaths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeOllama) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/blobs/"):
		digest := strings.TrimPrefix(r.URL.Path, "/api/blobs/")
		body, _ := io.ReadAll(r.Body)
		sum := sha256.Sum256(body)
		if digest != "sha256:"+hex.EncodeToString(sum[:]) {
			http.Error(w, `{"error":"digest mismatch"}`, http.StatusBadRequest)
			return
		}
		f.blobs[digest] = true
		w.WriteHeader(http.StatusCreated)
	case r.Method == http.MethodPost && r.URL.Path == "/api/create":
		var req api.CreateRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !f.blobs[req.Files["tiny.gguf"]] {
			http.Error(w, `{"error":"bad create request"}`, http.StatusBadRequest)
			return
		}
		f.models[req.Model] = req
		fmt.Fprintln(w, `{"status":"success"}`)
	case r.Method == http.MethodPost && r.URL.Path == "/api/show":
		var req api.ShowRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		m, ok := f.models[req.Model]
		if !ok {
			http.Error(w, fmt.Sprintf(`{"error":"model '%s' not found"}`, req.Model), http.StatusNotFound)
			return
		}
		_ = json.NewEncoder(w).Encode(api.ShowResponse{
			Modelfile:  "FROM /models/blobs/" + strings.Replace(m.Files["tiny.gguf"], ":", "-", 1) + "\n",
			Template:   m.Template,
			Parameters: showParameters(m.Parameters),
		})
	default:
		http.NotFound(w, r)
	}
}

// showParameters formats parameters as Ollama's /api/show does: values as decoded
// from JSON, one "name value" line per value, in map order.
func showParameters(p map[string]any) string {
	raw, _ := json.Marshal(p)
	var decoded map[string]any
	_ = json.Unmarshal(raw, &decoded)
	var lines []string
	for k, v := range decoded {
		if list, ok := v.([]any); ok {
			for _, nv := range list {
				lines = append(lines, fmt.Sprintf("%-*s %#v", 30, k, nv))
			}
			continue
		}
		lines = append(lines, fmt.Sprintf("%-*s %#v", 30, k, v))
	}
	return strings.Join(lines, "\n")
}

func TestRunRegisters(t *testing.T) {
	t.Parallel()
	srv := newFakeOllama(t)
	fake := srv.Config.Handler.(*fakeOllama)

	var stderr bytes.Buffer
	if err := run(t.Context(), []string{"-host", srv.URL, "-seed", "7"}, "", &stderr); err != nil {
		t.Fatalf("first run: %v\n%s", err, &stderr)
	}
	want := []string{
		"POST /api/show", "POST /api/blobs/", "POST /api/create",
		"POST /api/show", "POST /api/blobs/", "POST /api/create",
	}
	if got := trimDigests(fake.calledPaths()); !slices.Equal(got, want) {
		t.Errorf("first run called\n%q\nwant\n%q", got, want)
	}
	for _, m := range models(7) {
		req, ok := fake.models[m.name]
		if !ok {
			t.Fatalf("model %s not created", m.name)
		}
		sum := sha256.Sum256(gguf.Tiny(m.options))
		if got, want := req.Files["tiny.gguf"], "sha256:"+hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: created from %s, want %s", m.name, got, want)
		}
		if req.Template != chatTemplate || req.Stream == nil || *req.Stream {
			t.Errorf("%s: template or stream not as expected", m.name)
		}
		if req.Parameters["num_thread"] != float64(1) || req.Parameters["num_ctx"] != float64(4096) {
			t.Errorf("%s: parameters %v", m.name, req.Parameters)
		}
	}
	if lines := strings.Count(stderr.String(), "\n"); lines != 2 || !strings.Contains(stderr.String(), "supportbench-tiny-repeat: created") {
		t.Errorf("stderr:\n%s", &stderr)
	}

	// A second run finds both models up to date and changes nothing.
	stderr.Reset()
	if err := run(t.Context(), []string{"-host", srv.URL, "-seed", "7"}, "", &stderr); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if got := trimDigests(fake.calledPaths()[6:]); !slices.Equal(got, []string{"POST /api/show", "POST /api/show"}) {
		t.Errorf("second run called %q, want only /api/show", got)
	}
	if strings.Count(stderr.String(), "up to date") != 2 {
		t.Errorf("stderr:\n%s", &stderr)
	}
}

func trimDigests(calls []string) []string {
	for i, c := range calls {
		if strings.HasPrefix(c, "POST /api/blobs/") {
			calls[i] = "POST /api/blobs/"
		}
	}
	return calls
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown variant", []string{"-out", filepath.Join(t.TempDir(), "x.gguf"), "-variant", "chatty"}, `unknown variant "chatty"`},
		{"extra arguments", []string{"serve"}, "unexpected arguments: serve"},
		{"bad flag", []string{"-seed", "x"}, "invalid value"},
		{"bad host", []string{"-host", "http://"}, "bad -host"},
		{"server down", []string{"-host", down.URL}, "show supportbench-tiny: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := run(t.Context(), tt.args, "", io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	t.Parallel()
	srv := newFakeOllama(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := run(ctx, []string{"-host", srv.URL}, "", io.Discard); err == nil {
		t.Error("no error from a cancelled run")
	}
}

func TestRunOut(t *testing.T) {
	t.Parallel()
	for _, v := range gguf.Variants() {
		t.Run(string(v), func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "tiny.gguf")
			if err := run(t.Context(), []string{"-out", path, "-seed", "3", "-variant", string(v)}, "", io.Discard); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, gguf.Tiny(gguf.TinyOptions{Seed: 3, Variant: v})) {
				t.Error("written file differs from gguf.Tiny")
			}
		})
	}
}

func TestHostURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"http://127.0.0.1:11500", "http://127.0.0.1:11500"},
		{"127.0.0.1:11500", "http://127.0.0.1:11500"},
		{"localhost", "http://localhost:11434"},
		{"https://ollama.example:443/", "https://ollama.example:443"},
		{"http://[::1]:8080", "http://[::1]:8080"},
	}
	for _, tt := range tests {
		u, err := hostURL(tt.in)
		if err != nil || u.String() != tt.want {
			t.Errorf("hostURL(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
		}
	}
}

func TestUpToDate(t *testing.T) {
	t.Parallel()
	const digest = "sha256:abc"
	good := api.ShowResponse{
		Modelfile:  "# Modelfile\nFROM /m/blobs/sha256-abc\nTEMPLATE ...",
		Template:   chatTemplate,
		Parameters: showParameters(parameters()),
	}
	tests := []struct {
		name string
		edit func(*api.ShowResponse)
		want bool
	}{
		{"same", func(*api.ShowResponse) {}, true},
		{"reordered parameters", func(s *api.ShowResponse) {
			lines := strings.Split(s.Parameters, "\n")
			slices.Reverse(lines)
			s.Parameters = strings.Join(lines, "\n")
		}, true},
		{"other blob", func(s *api.ShowResponse) { s.Modelfile = "FROM /m/blobs/sha256-def" }, false},
		{"other template", func(s *api.ShowResponse) { s.Template = "{{ .Prompt }}" }, false},
		{"other parameter value", func(s *api.ShowResponse) {
			s.Parameters = strings.Replace(s.Parameters, "4096", "2048", 1)
		}, false},
		{"extra parameter", func(s *api.ShowResponse) { s.Parameters += "\nseed 1" }, false},
		{"missing parameter", func(s *api.ShowResponse) {
			s.Parameters = strings.Join(strings.Split(s.Parameters, "\n")[1:], "\n")
		}, false},
	}
	for _, tt := range tests {
		s := good
		tt.edit(&s)
		if got := upToDate(&s, digest); got != tt.want {
			t.Errorf("%s: upToDate = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestTemplate renders the template with Ollama's own template package and checks
// the tools capability and the tool-call convention with Ollama's own parser.
func TestTemplate(t *testing.T) {
	t.Parallel()
	tmpl, err := template.Parse(chatTemplate)
	if err != nil {
		t.Fatal(err)
	}
	vars, err := tmpl.Vars()
	if err != nil || !slices.Contains(vars, "tools") {
		t.Errorf("template variables %v (%v): Ollama would not report the tools capability", vars, err)
	}

	var tool api.Tool
	if err := json.Unmarshal([]byte(`{"type":"function","function":{"name":"escalate_to_human","description":"Hand over to a human agent","parameters":{"type":"object","required":["reason","summary"],"properties":{"reason":{"type":"string"},"summary":{"type":"string"}}}}}`), &tool); err != nil {
		t.Fatal(err)
	}
	args := api.NewToolCallFunctionArguments()
	args.Set("reason", "angry")
	args.Set("summary", "wants a refund")
	msgs := []api.Message{
		{Role: "system", Content: "Be brief."},
		{Role: "user", Content: "Where is my order?"},
		{Role: "assistant", ToolCalls: []api.ToolCall{{Function: api.ToolCallFunction{Name: "escalate_to_human", Arguments: args}}}},
		{Role: "tool", Content: "ticket 42"},
		{Role: "assistant", Content: "A human will contact you."},
		{Role: "user", Content: "Thanks"},
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, template.Values{Messages: msgs, Tools: []api.Tool{tool}}); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"<|im_start|>system\nBe brief.\n\n# Tools",
		`<tools>` + "\n" + `{"type": "function", "function": {"name":"escalate_to_human"`,
		"<|im_start|>user\nWhere is my order?<|im_end|>\n",
		`<|im_start|>assistant` + "\n" + `{"name": "escalate_to_human", "arguments": {"reason":"angry","summary":"wants a refund"}}`,
		"<|im_start|>user\n<tool_response>\nticket 42\n</tool_response><|im_end|>\n",
		"<|im_start|>assistant\nA human will contact you.<|im_end|>\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered prompt lacks %q:\n%s", want, got)
		}
	}
	if !strings.HasSuffix(got, "<|im_start|>user\nThanks<|im_end|>\n<|im_start|>assistant\n") {
		t.Errorf("rendered prompt does not end with the assistant's turn:\n%s", got)
	}

	// An answer that is a JSON object naming a tool is a tool call (see chatTemplate).
	p := tools.NewParser(tmpl.Template, []api.Tool{tool})
	calls, content := p.Add(`{"name": "escalate_to_human", "arguments": {"reason": "x", "summary": "y"}}`)
	if len(calls) != 1 || calls[0].Function.Name != "escalate_to_human" || content != "" {
		t.Errorf("tool call parsed as %v, content %q", calls, content)
	}
	p = tools.NewParser(tmpl.Template, []api.Tool{tool})
	if calls, content := p.Add(" order refund"); len(calls) != 0 || content != " order refund" {
		t.Errorf("plain answer parsed as %v, content %q", calls, content)
	}
}
