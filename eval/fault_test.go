package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

// HTTP fault injection: an httptest server speaks enough of the Ollama API for the
// adapter and the Runner, and each test breaks /api/chat in one way. The real client
// (api.Client) and the real adapter (Ollama.Chat) are under test, not a fake Model.

// fakeOllama serves /api/version, /api/show, /api/tags and /api/chat; chat decides each
// chat request's fate. It counts chat requests and notes when each arrived.
type fakeOllama struct {
	chat  func(w http.ResponseWriter, r *http.Request, n int64, req *api.ChatRequest)
	calls atomic.Int64
	mu    sync.Mutex
	times []time.Time
}

func (f *fakeOllama) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/version":
		writeJSON(w, map[string]string{"version": "0.17.4"})
	case "/api/show":
		var req api.ShowRequest
		json.NewDecoder(r.Body).Decode(&req)
		if req.Model != "fake" && req.Model != "fake:latest" {
			w.WriteHeader(http.StatusNotFound)
			writeJSON(w, map[string]string{"error": fmt.Sprintf("model '%s' not found", req.Model)})
			return
		}
		writeJSON(w, map[string]any{"capabilities": []string{"completion", "tools"},
			"model_info": map[string]any{"llama.context_length": 4096}, "details": map[string]string{"family": "llama"}})
	case "/api/tags":
		writeJSON(w, map[string]any{"models": []map[string]string{{"name": "fake:latest", "model": "fake:latest", "digest": "f00dfeed"}}})
	case "/api/chat":
		var req api.ChatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.times = append(f.times, time.Now())
		f.mu.Unlock()
		f.chat(w, r, f.calls.Add(1), &req)
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// answerChat streams a normal answer: two chunks, the last with done=true.
func answerChat(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	half := len(text) / 2
	enc.Encode(map[string]any{"model": "fake", "message": map[string]string{"role": "assistant", "content": text[:half]}, "done": false})
	enc.Encode(map[string]any{"model": "fake", "message": map[string]string{"role": "assistant", "content": text[half:]},
		"done": true, "done_reason": "stop", "prompt_eval_count": 12, "eval_count": 5, "eval_duration": 1e6})
}

// overloaded answers 503 as Ollama does when its queue is full.
func overloaded(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write([]byte(`{"error":"server busy, please try again.  maximum pending requests exceeded"}` + "\n"))
}

// dropConnection closes the connection without an answer; with reset, the close sends
// a TCP RST (SO_LINGER 0) instead of a FIN.
func dropConnection(t *testing.T, w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		tc.SetLinger(0)
	}
	conn.Close()
}

// cutBody sends the headers and part of the first JSON line, then closes.
func cutBody(t *testing.T, w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nContent-Length: 400\r\n\r\n")
	buf.WriteString(`{"model":"fake","message":{"role":"assistant","content":"Returns are fr`)
	buf.Flush()
	conn.Close()
}

// faultRun starts the fake with chat, and runs the Runner over one job per question.
func faultRun(t *testing.T, r *Runner, chat func(w http.ResponseWriter, r *http.Request, n int64, req *api.ChatRequest), questions ...string) (*fakeOllama, map[string]Result, Stats, error) {
	t.Helper()
	fake := &fakeOllama{chat: chat}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	r.Endpoints = []Endpoint{{Name: srv.URL, Model: NewOllama(u, nil), Concurrency: 1}}
	jobs := make([]Job, len(questions))
	for i, q := range questions {
		c := &Case{ID: fmt.Sprintf("c%02d", i), Category: "returns", Question: q}
		jobs[i] = Job{Case: c, Trial: 1, Request: &Request{Model: "fake", Mode: ModeTools, Messages: c.Conversation(), NumCtx: 2048}}
	}
	got, st, err := collect(t, t.Context(), r, jobs)
	return fake, got, st, err
}

func lastQuestion(req *api.ChatRequest) string {
	return req.Messages[len(req.Messages)-1].Content
}

func TestFault503StormIsRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	const storm = 4
	r := &Runner{Retries: storm + 1, Backoff: 20 * time.Millisecond, MaxBackoff: 40 * time.Millisecond}
	fake, got, st, err := faultRun(t, r, func(w http.ResponseWriter, _ *http.Request, n int64, req *api.ChatRequest) {
		if n <= storm {
			overloaded(w)
			return
		}
		answerChat(w, "Returns are free within 30 days.")
	}, "a", "b", "c")
	if err != nil {
		t.Fatal(err)
	}
	for id, res := range got {
		if res.Error != "" || res.Answer != "Returns are free within 30 days." {
			t.Errorf("%s: error %q, answer %q", id, res.Error, res.Answer)
		}
	}
	if got["c00"].Attempts != storm+1 || st.Calls != storm+3 || st.Errors != 0 {
		t.Errorf("first job %d attempts, %d calls, %d errors; want %d, %d, 0", got["c00"].Attempts, st.Calls, st.Errors, storm+1, storm+3)
	}
	// Backoff is exponential with full jitter: retry n waits at least half of
	// min(Backoff<<n, MaxBackoff).
	fake.mu.Lock()
	defer fake.mu.Unlock()
	for i := 1; i <= storm; i++ {
		wait := min(r.Backoff<<(i-1), r.MaxBackoff) / 2
		if gap := fake.times[i].Sub(fake.times[i-1]); gap < wait {
			t.Errorf("retry %d came %v after the 503; want at least %v", i, gap, wait)
		}
	}
}

func TestFault503ForeverIsRecordedAndTheRunGoesOn(t *testing.T) {
	t.Parallel()
	r := &Runner{Retries: 2, Backoff: time.Millisecond, DownAfter: 2}
	_, got, st, err := faultRun(t, r, func(w http.ResponseWriter, _ *http.Request, _ int64, req *api.ChatRequest) {
		if lastQuestion(req) == "busy" {
			overloaded(w)
			return
		}
		answerChat(w, "ok")
	}, "busy", "busy", "busy", "fine")
	// An overloaded server answers: it is not down, however many 503s in a row.
	if err != nil {
		t.Fatal(err)
	}
	if st.Errors != 3 || got["c03"].Error != "" || !strings.Contains(got["c00"].Error, "503") || got["c00"].Attempts != 3 {
		t.Errorf("stats %+v, c00 %q after %d attempts, c03 %q", st, got["c00"].Error, got["c00"].Attempts, got["c03"].Error)
	}
}

func TestFaultSlowAnswersTimeOutPerCaseAndTheRunGoesOn(t *testing.T) {
	t.Parallel()
	// 300 ms: far above a fast answer's few milliseconds, even on a loaded machine.
	r := &Runner{Timeout: 300 * time.Millisecond, Retries: 1, Backoff: time.Millisecond}
	fake, got, st, err := faultRun(t, r, func(w http.ResponseWriter, hr *http.Request, _ int64, req *api.ChatRequest) {
		if lastQuestion(req) == "slow" {
			select { // longer than the timeout; the client gives up first
			case <-hr.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		answerChat(w, "fast answer")
	}, "slow", "fast", "slow", "fast", "slow", "fast")
	if err != nil {
		t.Fatalf("err = %v; a slow case must not stop the run", err)
	}
	for id, res := range got {
		slow := id == "c00" || id == "c02" || id == "c04"
		switch {
		case slow && (!strings.Contains(res.Error, "deadline exceeded after 300ms") || res.Attempts != 2):
			t.Errorf("%s: error %q after %d attempts; want the timeout named after 2", id, res.Error, res.Attempts)
		case !slow && (res.Error != "" || res.Answer != "fast answer"):
			t.Errorf("%s: error %q, answer %q", id, res.Error, res.Answer)
		}
	}
	if st.Errors != 3 || len(got) != 6 || fake.calls.Load() != 9 {
		t.Errorf("stats %+v, %d results, %d calls; want 3 errors, 6 results, 9 calls", st, len(got), fake.calls.Load())
	}
}

func TestFaultDroppedConnectionsAreRetried(t *testing.T) {
	t.Parallel()
	for _, reset := range []bool{false, true} {
		r := &Runner{Retries: 3, Backoff: time.Millisecond}
		_, got, st, err := faultRun(t, r, func(w http.ResponseWriter, _ *http.Request, n int64, req *api.ChatRequest) {
			if n <= 2 {
				dropConnection(t, w, reset)
				return
			}
			answerChat(w, "after the reset")
		}, "a", "b")
		if err != nil {
			t.Fatal(err)
		}
		if got["c00"].Error != "" || got["c00"].Attempts != 3 || got["c01"].Attempts != 1 || st.Calls != 4 {
			t.Errorf("reset=%v: c00 %q after %d attempts, c01 %d attempts, %d calls; want success after 3, 1, 4",
				reset, got["c00"].Error, got["c00"].Attempts, got["c01"].Attempts, st.Calls)
		}
	}
}

func TestFaultTruncatedBodiesAreRetried(t *testing.T) {
	t.Parallel()
	r := &Runner{Retries: 2, Backoff: time.Millisecond}
	_, got, _, err := faultRun(t, r, func(w http.ResponseWriter, _ *http.Request, n int64, req *api.ChatRequest) {
		if lastQuestion(req) == "always cut" || n == 1 {
			cutBody(t, w)
			return
		}
		answerChat(w, "whole answer")
	}, "cut once", "always cut", "fine")
	if err != nil {
		t.Fatal(err)
	}
	if res := got["c00"]; res.Error != "" || res.Attempts != 2 || res.Answer != "whole answer" {
		t.Errorf("cut once: error %q after %d attempts, answer %q; want the whole answer on attempt 2", res.Error, res.Attempts, res.Answer)
	}
	if res := got["c01"]; !strings.Contains(res.Error, "truncated response") || res.Attempts != 3 || res.Answer != "" {
		t.Errorf("always cut: error %q after %d attempts, answer %q; want a truncation error after 3", res.Error, res.Attempts, res.Answer)
	}
	if got["c02"].Error != "" {
		t.Errorf("fine: %q", got["c02"].Error)
	}
}

func TestFaultNotDoneAnswerIsErrTruncated(t *testing.T) {
	t.Parallel()
	notDone := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		json.NewEncoder(w).Encode(map[string]any{"model": "fake", "message": map[string]string{"role": "assistant", "content": "the the the"}, "done": false})
	}
	// The adapter's own error, for callers that test with errors.Is.
	fake := &fakeOllama{chat: func(w http.ResponseWriter, _ *http.Request, _ int64, _ *api.ChatRequest) { notDone(w) }}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	_, cerr := NewOllama(u, nil).Chat(t.Context(), &Request{Model: "fake", Mode: ModeTools, Messages: []Message{{Role: RoleCustomer, Content: "hi"}}})
	if !errors.Is(cerr, ErrTruncated) || !Retryable(cerr) || unreachable(cerr) {
		t.Errorf("err = %v; want ErrTruncated, retryable, and not a sign the server is down", cerr)
	}
	// Through the Runner: recorded per case after the retries, and the run goes on.
	r := &Runner{Retries: 1, Backoff: time.Millisecond, DownAfter: 2}
	_, got, st, err := faultRun(t, r, func(w http.ResponseWriter, _ *http.Request, _ int64, req *api.ChatRequest) {
		if lastQuestion(req) == "repeat" {
			notDone(w)
			return
		}
		answerChat(w, "fine")
	}, "repeat", "repeat", "repeat", "ok")
	if err != nil {
		t.Fatal(err)
	}
	if st.Errors != 3 || !strings.Contains(got["c00"].Error, "without done=true") || got["c03"].Error != "" {
		t.Errorf("stats %+v, c00 %q, c03 %q", st, got["c00"].Error, got["c03"].Error)
	}
}

func TestFaultRefusedConnectionsStopTheRunAfterDownAfter(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: every connection is refused
	u, _ := url.Parse("http://" + addr)
	r := &Runner{Endpoints: []Endpoint{{Model: NewOllama(u, nil), Concurrency: 2}}, Retries: 1, Backoff: time.Millisecond, DownAfter: 3}
	got, st, err := collect(t, t.Context(), r, testJobs(200))
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v; want ErrUnreachable", err)
	}
	// Each worker stops at the job that takes the endpoint down: 3 failures in a row,
	// plus at most one more in flight on the other worker.
	if len(got) < 3 || len(got) > 4 || !st.Interrupted {
		t.Errorf("%d results, interrupted %v; want 3 or 4 and true", len(got), st.Interrupted)
	}
	for id, res := range got {
		if !strings.Contains(res.Error, "connection refused") {
			t.Errorf("%s: error %q; want connection refused named", id, res.Error)
		}
	}
}

func TestFaultMissingModelIsNamedWithPullHint(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(&fakeOllama{})
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	_, err := NewOllama(u, nil).Show(t.Context(), "llama9:70b")
	if !errors.Is(err, ErrModelNotFound) || !strings.Contains(err.Error(), "ollama pull llama9:70b") || Retryable(api.StatusError{StatusCode: 404}) {
		t.Errorf("err = %v; want ErrModelNotFound with the pull command", err)
	}
}
