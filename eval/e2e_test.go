package eval_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/supportbench/supportbench/eval"
)

// The end-to-end tests talk to a real Ollama server with the project's tiny models
// (dev/ollama.sh registers supportbench-tiny and supportbench-tiny-repeat). dev/test.sh
// sets SUPPORTBENCH_OLLAMA, and SUPPORTBENCH_E2E=require so that they fail, not skip,
// when the server is missing. They never assert the tiny model's text, only structure.

const tinyModel = "supportbench-tiny"

func e2eServer(t *testing.T) *eval.Ollama {
	t.Helper()
	addr := os.Getenv("SUPPORTBENCH_OLLAMA")
	if addr == "" {
		if os.Getenv("SUPPORTBENCH_E2E") == "require" {
			t.Fatal("SUPPORTBENCH_E2E=require but SUPPORTBENCH_OLLAMA is not set")
		}
		t.Skip("no Ollama server: set SUPPORTBENCH_OLLAMA (dev/test.sh does)")
	}
	u, err := eval.ParseEndpoint(addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := eval.NewOllama(u, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := srv.Version(ctx); err != nil {
		t.Fatalf("Ollama at %s: %v", addr, err)
	}
	return srv
}

// e2eContext bounds every end-to-end call, so a wedged server fails the test quickly
// instead of hanging the package until go test's own timeout.
func e2eContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func e2eRequest(mode, question string) *eval.Request {
	return &eval.Request{
		Model: tinyModel, Mode: mode,
		System:   "You are the support assistant of Northwind Home. Returns are accepted within 30 days.",
		Messages: []eval.Message{{Role: eval.RoleCustomer, Content: question}},
		Options:  eval.Options{Temperature: 0, Seed: 42, NumPredict: 32},
		NumCtx:   1024, KeepAlive: eval.Duration(5 * time.Minute), Logprobs: true,
	}
}

func TestE2EChatReturnsTextAndMetrics(t *testing.T) {
	srv := e2eServer(t)
	a, err := srv.Chat(e2eContext(t), e2eRequest(eval.ModeTools, "How long do I have to return a lamp?"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Text == "" && len(a.ToolCalls) == 0 {
		t.Error("empty answer: no text and no tool call")
	}
	if a.PromptTokens <= 0 || a.CompletionTokens <= 0 {
		t.Errorf("token counts: prompt %d, completion %d; want both > 0", a.PromptTokens, a.CompletionTokens)
	}
	if a.CompletionTokens > 32 {
		t.Errorf("completion tokens %d exceed num_predict 32", a.CompletionTokens)
	}
	if a.LatencyMS <= 0 || a.EvalMS <= 0 {
		t.Errorf("latency %.2f ms, eval %.2f ms; want > 0", a.LatencyMS, a.EvalMS)
	}
	if a.Mode != eval.ModeTools || a.Model != tinyModel {
		t.Errorf("answer labelled %s/%s", a.Model, a.Mode)
	}
}

func TestE2ESameRequestSameText(t *testing.T) {
	srv := e2eServer(t)
	req := e2eRequest(eval.ModeTools, "Where is my order NW-104233?")
	first, err := srv.Chat(e2eContext(t), req)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		again, err := srv.Chat(e2eContext(t), req)
		if err != nil {
			t.Fatal(err)
		}
		if again.Text != first.Text {
			t.Fatalf("call %d differs at temperature 0, seed 42:\nfirst: %q\nagain: %q", i+2, first.Text, again.Text)
		}
	}
}

func TestE2ELogprobsGiveConfidence(t *testing.T) {
	srv := e2eServer(t)
	a, err := srv.Chat(e2eContext(t), e2eRequest(eval.ModeTools, "Do you ship to Belgium?"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Confidence == nil {
		t.Fatal("no confidence: the server returned no logprobs")
	}
	if *a.Confidence <= 0 || *a.Confidence > 1 {
		t.Errorf("confidence %v outside (0, 1]", *a.Confidence)
	}
}

func TestE2EStructuredModeYieldsValidJSON(t *testing.T) {
	srv := e2eServer(t)
	for _, q := range []string{"Can I return a used kettle?", "I want to speak to a person.", "Is my account hacked?"} {
		req := e2eRequest(eval.ModeStructured, q)
		req.Options.NumPredict = 256
		a, err := srv.Chat(e2eContext(t), req)
		if err != nil {
			t.Fatal(err)
		}
		if a.FormatError != "" {
			t.Errorf("%q: %s (raw %q)", q, a.FormatError, a.Text)
		}
		if a.Escalate == nil {
			t.Errorf("%q: structured answer has no escalate field", q)
		}
	}
}

func TestE2ETruncatedResponseIsAnError(t *testing.T) {
	srv := e2eServer(t)
	req := e2eRequest(eval.ModeTools, "Hello?")
	req.Model = "supportbench-tiny-repeat"
	req.Options.NumPredict = 200
	a, err := srv.Chat(e2eContext(t), req)
	if !errors.Is(err, eval.ErrTruncated) {
		t.Fatalf("got answer %+v, err %v; want ErrTruncated", a, err)
	}
	if !eval.Retryable(err) {
		t.Error("a truncated response should be retryable")
	}
}

func TestE2EMissingModelIsNamed(t *testing.T) {
	srv := e2eServer(t)
	_, err := srv.Show(e2eContext(t), "no-such-model-xyz")
	if !errors.Is(err, eval.ErrModelNotFound) {
		t.Fatalf("err = %v; want ErrModelNotFound", err)
	}
}

func TestE2EShowReportsDigestAndTools(t *testing.T) {
	srv := e2eServer(t)
	info, err := srv.Show(e2eContext(t), tinyModel)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Digest) < 12 {
		t.Errorf("digest %q", info.Digest)
	}
	if !info.HasTools() {
		t.Errorf("capabilities %v lack tools", info.Capabilities)
	}
	if info.ContextLength < 2048 {
		t.Errorf("context length %d", info.ContextLength)
	}
}
