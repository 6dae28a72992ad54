package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
	"github.com/xuri/excelize/v2"

	"github.com/supportbench/supportbench/results"
)

// Fault tests of the command: what `supportbench run` does when the model server, the
// model or the disk fails, checked on the exit code, the stderr message and what is on
// disk. Most use fakeServer, an HTTP server speaking enough of the Ollama API; one kills
// a real Ollama server part-way through a run.

// fakeServer is an Ollama look-alike on its own listener, so that a test can close it
// (connections refused) and open it again on the same port. chat answers the case
// requests; warm-up and prompt-measuring requests (num_predict 1) are answered by the
// server itself unless prep is set.
type fakeServer struct {
	t    *testing.T
	addr string
	srv  *http.Server
	// requests counts every request; chats counts case requests.
	requests, chats atomic.Int64
	mu              sync.Mutex
	chat            func(w http.ResponseWriter, n int64, req *api.ChatRequest)
	prep            func()
}

// handle replaces the chat and warm-up handlers between runs.
func (f *fakeServer) handle(chat func(w http.ResponseWriter, n int64, req *api.ChatRequest), prep func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chat, f.prep = chat, prep
}

func (f *fakeServer) handlers() (func(w http.ResponseWriter, n int64, req *api.ChatRequest), func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.chat, f.prep
}

// startFake listens on addr ("127.0.0.1:0" for a free port) and serves.
func startFake(t *testing.T, addr string, chat func(w http.ResponseWriter, n int64, req *api.ChatRequest)) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, chat: chat}
	f.listen(addr)
	t.Cleanup(f.stop)
	return f
}

func (f *fakeServer) listen(addr string) {
	f.t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		f.t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addr = ln.Addr().String()
	f.srv = &http.Server{Handler: f}
	go f.srv.Serve(ln)
}

// stop closes the listener and every connection: from now on connections are refused.
func (f *fakeServer) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.srv != nil {
		f.srv.Close()
		f.srv = nil
	}
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	switch r.URL.Path {
	case "/api/version":
		fakeJSON(w, map[string]string{"version": "0.17.4"})
	case "/api/show":
		var req api.ShowRequest
		json.NewDecoder(r.Body).Decode(&req)
		if req.Model != "fake" {
			w.WriteHeader(http.StatusNotFound)
			fakeJSON(w, map[string]string{"error": fmt.Sprintf("model '%s' not found", req.Model)})
			return
		}
		fakeJSON(w, map[string]any{"capabilities": []string{"completion", "tools"},
			"model_info": map[string]any{"llama.context_length": 8192}, "details": map[string]string{"family": "llama"}})
	case "/api/tags":
		fakeJSON(w, map[string]any{"models": []map[string]string{{"name": "fake:latest", "model": "fake:latest", "digest": "f00dfeedf00dfeed"}}})
	case "/api/chat":
		var req api.ChatRequest
		json.NewDecoder(r.Body).Decode(&req)
		chat, prep := f.handlers()
		if np, _ := req.Options["num_predict"].(float64); np == 1 {
			if prep != nil {
				prep()
			}
			fakeAnswer(w, "Hi", 300)
			return
		}
		chat(w, f.chats.Add(1), &req)
	default:
		http.NotFound(w, r)
	}
}

func fakeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// fakeAnswer streams one complete answer.
func fakeAnswer(w http.ResponseWriter, text string, promptTokens int) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	json.NewEncoder(w).Encode(map[string]any{"model": "fake", "message": map[string]string{"role": "assistant", "content": text},
		"done": true, "done_reason": "stop", "prompt_eval_count": promptTokens, "eval_count": 8, "eval_duration": 2e6})
}

// goodAnswer states the fact the returns cases of writeSuite want.
func goodAnswer(w http.ResponseWriter, _ int64, _ *api.ChatRequest) {
	fakeAnswer(w, "You can return it within 30 days of delivery.", 200)
}

// fakeRun runs `supportbench run` on a writeSuite suite of n cases against the fake.
func fakeRun(t *testing.T, f *fakeServer, suite, out string, extra ...string) invocation {
	t.Helper()
	args := append([]string{"run", "--suite", suite, "--ollama", f.addr, "--out", out, "--model", "fake", "--no-cache"}, extra...)
	return invoke(t, t.Context(), nil, args...)
}

// resultsOf reads a run's results.jsonl and fails on damaged lines.
func resultsOf(t *testing.T, dir string) (ok, failed int) {
	t.Helper()
	rs, damage, err := results.ReadFile(filepath.Join(dir, results.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(damage.Lines) > 0 {
		t.Errorf("damaged lines %v", damage.Lines)
	}
	for _, r := range rs {
		if r.Error != "" {
			failed++
		} else {
			ok++
		}
	}
	return ok, failed
}

func TestFaultRunRetries503StormAndCompletes(t *testing.T) {
	t.Parallel()
	f := startFake(t, "127.0.0.1:0", func(w http.ResponseWriter, n int64, req *api.ChatRequest) {
		if n <= 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"error":"server busy, please try again.  maximum pending requests exceeded"}`))
			return
		}
		goodAnswer(w, n, req)
	})
	out := filepath.Join(t.TempDir(), "run")
	r := fakeRun(t, f, writeSuite(t, 6), out, "--retries", "3", "--concurrency", "1")
	if r.code != exitOK && r.code != exitGate {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	m := readManifest(t, out)
	if ok, failed := resultsOf(t, out); ok != 6 || failed != 0 || m.Status != results.StatusComplete || m.Counts.ModelCalls != 9 {
		t.Errorf("%d ok, %d failed, status %q, %d model calls; want 6, 0, complete, 9", ok, failed, m.Status, m.Counts.ModelCalls)
	}
}

func TestFaultRunStopsSoonWhenTheServerGoesAwayAndResumes(t *testing.T) {
	t.Parallel()
	var f *fakeServer
	f = startFake(t, "127.0.0.1:0", func(w http.ResponseWriter, n int64, req *api.ChatRequest) {
		if n == 4 {
			go f.stop() // the server dies: this request and every later one fails
			time.Sleep(50 * time.Millisecond)
			return
		}
		goodAnswer(w, n, req)
	})
	suite, out := writeSuite(t, 40), filepath.Join(t.TempDir(), "run")
	r := fakeRun(t, f, suite, out, "--concurrency", "1", "--retries", "1")
	if r.code != exitRuntime {
		t.Fatalf("exit %d, want 3; stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"model server unreachable", "what finished is in " + out, "supportbench run --resume " + out} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	m := readManifest(t, out)
	ok, failed := resultsOf(t, out)
	// Three answers finished; then five jobs in a row failed (DownAfter) and the run
	// stopped instead of recording all 37 remaining cases as failed.
	if m.Status != results.StatusFailed || !strings.Contains(m.Error, "unreachable") || ok != 3 || failed != 5 {
		t.Fatalf("status %q (%s), %d ok, %d failed; want failed, 3 and 5", m.Status, m.Error, ok, failed)
	}
	if _, err := os.Stat(filepath.Join(out, results.SummaryFile)); err != nil {
		t.Error("a failed run should still write its summary")
	}

	f.listen(f.addr) // the server is back, on the same port
	r = invoke(t, t.Context(), nil, "run", "--resume", out, "--no-cache")
	if r.code != exitOK && r.code != exitGate {
		t.Fatalf("resume: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	checkExactlyOnce(t, out, 40)
	if m := readManifest(t, out); m.Status != results.StatusComplete || m.Counts.ModelCalls != 37 {
		t.Errorf("after resume: status %q, %d model calls; want complete and 37", m.Status, m.Counts.ModelCalls)
	}
}

func TestFaultMissingModelExits3BeforeAnyCase(t *testing.T) {
	t.Parallel()
	f := startFake(t, "127.0.0.1:0", goodAnswer)
	out := filepath.Join(t.TempDir(), "run")
	r := invoke(t, t.Context(), nil, "run", "--suite", writeSuite(t, 3), "--ollama", f.addr, "--out", out, "--model", "llama9:70b")
	if r.code != exitRuntime {
		t.Fatalf("exit %d, want 3; stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{`"llama9:70b" is not on the Ollama server`, "ollama pull llama9:70b"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := countLines(filepath.Join(out, results.ResultsFile)); n != 0 || f.chats.Load() != 0 {
		t.Errorf("%d results, %d case requests; want none", n, f.chats.Load())
	}
}

func TestFaultUnwritableOutputExits3BeforeAnyModelCall(t *testing.T) {
	t.Parallel()
	f := startFake(t, "127.0.0.1:0", goodAnswer)
	// A path under a regular file cannot be created, even by root (chmod would not stop root).
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "--suite", writeSuite(t, 3), "--ollama", f.addr, "--model", "fake", "--out", filepath.Join(file, "run")},
		{"score", "--suite", writeSuite(t, 3), "--answers", recordedAnswers(t, 3, "fine"), "--out", filepath.Join(file, "score")},
	} {
		r := invoke(t, t.Context(), nil, args...)
		if r.code != exitRuntime || !strings.Contains(r.stderr, "create run directory") || !strings.Contains(r.stderr, "not a directory") {
			t.Errorf("%s: exit %d, stderr %q; want 3 and the reason", args[0], r.code, r.stderr)
		}
	}
	if n := f.requests.Load(); n != 0 {
		t.Errorf("%d requests reached the server; want none", n)
	}
}

// devFullAppends reports whether appending to /dev/full fails with ENOSPC, as Linux does.
func devFullAppends(t *testing.T) bool {
	fd, err := os.OpenFile("/dev/full", os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return false
	}
	defer fd.Close()
	_, err = fd.Write([]byte("x\n"))
	return errors.Is(err, syscall.ENOSPC)
}

func TestFaultFullDiskStopsTheRunAndKeepsWhatFinished(t *testing.T) {
	t.Parallel()
	if !devFullAppends(t) {
		t.Skip("no /dev/full that fails writes with ENOSPC on this system")
	}
	suite, out := writeSuite(t, 12), filepath.Join(t.TempDir(), "run")
	// A first run in which four cases fail for good (HTTP 400): eight results are kept.
	f := startFake(t, "127.0.0.1:0", func(w http.ResponseWriter, n int64, req *api.ChatRequest) {
		if strings.Contains(req.Messages[len(req.Messages)-1].Content, "sue") {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"bad request"}`))
			return
		}
		goodAnswer(w, n, req)
	})
	if r := fakeRun(t, f, suite, out, "--concurrency", "1"); r.code != exitRuntime {
		t.Fatalf("first run: exit %d, want 3 (failed requests); stderr:\n%s", r.code, r.stderr)
	}
	kept, failed := resultsOf(t, out)
	if kept != 8 || failed != 4 {
		t.Fatalf("first run: %d ok, %d failed; want 8 and 4", kept, failed)
	}

	// The resume finds the disk full: results.jsonl is opened on /dev/full (swapped in at
	// warm-up, after the kept results were compacted), and put back before the first
	// answer arrives, so that the writer's file fails while the path holds what finished.
	path := filepath.Join(out, results.ResultsFile)
	aside := filepath.Join(out, "results.aside")
	f.chats.Store(0)
	f.handle(func(w http.ResponseWriter, n int64, req *api.ChatRequest) {
		if n == 1 {
			if err := os.Rename(aside, path); err != nil {
				t.Error(err)
			}
		}
		goodAnswer(w, n, req)
	}, func() {
		if err := os.Rename(path, aside); err != nil {
			t.Error(err)
		}
		if err := os.Symlink("/dev/full", path); err != nil {
			t.Error(err)
		}
	})
	// --num-ctx: no prompt-measuring request, so the only num_predict=1 request is the
	// warm-up, which comes after the kept results were read.
	r := invoke(t, t.Context(), nil, "run", "--resume", out, "--no-cache", "--concurrency", "1", "--num-ctx", "4096")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "no space left on device") {
		t.Fatalf("resume on a full disk: exit %d; want 3 naming the full disk; stderr:\n%s", r.code, r.stderr)
	}
	m := readManifest(t, out)
	if m.Status != results.StatusFailed || !strings.Contains(m.Error, "no space left on device") {
		t.Errorf("manifest status %q, error %q; want failed with the reason", m.Status, m.Error)
	}
	if ok, failed := resultsOf(t, out); ok != 8 || failed != 0 {
		t.Errorf("after the full disk: %d ok, %d failed on disk; want the 8 kept", ok, failed)
	}
	if f.chats.Load() > 5 {
		t.Errorf("%d requests after the disk filled; want the run to stop", f.chats.Load())
	}

	// With room again, a resume completes the run.
	f.handle(goodAnswer, nil)
	if r := invoke(t, t.Context(), nil, "run", "--resume", out, "--no-cache"); r.code != exitOK && r.code != exitGate {
		t.Fatalf("final resume: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	checkExactlyOnce(t, out, 12)
}

func TestFaultLockRefusesASecondWriter(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var once sync.Once
	f := startFake(t, "127.0.0.1:0", func(w http.ResponseWriter, n int64, req *api.ChatRequest) {
		<-release // the first run holds its lock while it waits here
		goodAnswer(w, n, req)
	})
	defer once.Do(func() { close(release) })
	suite, out := writeSuite(t, 3), filepath.Join(t.TempDir(), "run")
	first := make(chan invocation)
	go func() { first <- fakeRun(t, f, suite, out, "--concurrency", "1") }()
	for f.chats.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	pid := strconv.Itoa(os.Getpid())
	for _, args := range [][]string{
		{"report", out},
		{"run", "--resume", out, "--no-cache"},
	} {
		r := invoke(t, t.Context(), nil, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "another supportbench (pid "+pid+") is writing to "+out) {
			t.Errorf("%s during a run: exit %d, stderr %q; want 2 naming the other process", args[0], r.code, r.stderr)
		}
	}
	r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", recordedAnswers(t, 3, "x"), "--out", out)
	if r.code != exitUsage || !strings.Contains(r.stderr, "already holds a run") {
		t.Errorf("score into a running run: exit %d, stderr %q; want 2", r.code, r.stderr)
	}
	once.Do(func() { close(release) })
	if r := <-first; r.code != exitOK && r.code != exitGate {
		t.Fatalf("first run: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	checkExactlyOnce(t, out, 3)

	// A lock left by a process that is gone (kill -9) does not block the next run.
	if err := os.WriteFile(filepath.Join(out, results.LockFile), []byte("999999999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := invoke(t, t.Context(), nil, "report", out); r.code != exitOK && r.code != exitGate {
		t.Errorf("report after a stale lock: exit %d; stderr:\n%s", r.code, r.stderr)
	}
}

// recordedAnswers writes a recorded-answers file with the same answer for c000..c{n-1}.
func recordedAnswers(t *testing.T, n int, answer string) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for i := range n {
		enc.Encode(map[string]string{"id": fmt.Sprintf("c%03d", i), "model": "bot", "answer": answer})
	}
	path := filepath.Join(t.TempDir(), "answers.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOutputsAreReplacedAtomically(t *testing.T) {
	t.Parallel()
	suite, out := writeSuite(t, 4), filepath.Join(t.TempDir(), "run")
	if r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", recordedAnswers(t, 4, "Within 30 days."), "--out", out); r.code > exitGate {
		t.Fatalf("score: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	// A hard link keeps the old file: rewriting in place would change it, a rename
	// (eval.WriteFileAtomic) leaves it as it was.
	files := []string{results.SummaryFile, results.JUnitFile, results.XLSXFile, results.MarkdownFile}
	old := map[string][]byte{}
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		old[name] = data
		if err := os.Link(filepath.Join(out, name), filepath.Join(out, name+".old")); err != nil {
			t.Fatal(err)
		}
	}
	// Change what the reports say, then render them again.
	if err := results.Rewrite(filepath.Join(out, results.ResultsFile), nil); err != nil {
		t.Fatal(err)
	}
	if r := invoke(t, t.Context(), nil, "report", out); r.code > exitRuntime {
		t.Fatalf("report: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	for _, name := range files {
		linked, _ := os.ReadFile(filepath.Join(out, name+".old"))
		now, _ := os.ReadFile(filepath.Join(out, name))
		if !bytes.Equal(linked, old[name]) {
			t.Errorf("%s was rewritten in place", name)
		}
		if bytes.Equal(now, old[name]) {
			t.Errorf("%s was not rewritten", name)
		}
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// hostileAnswer carries what breaks careless writers: NUL and other control characters,
// an ANSI escape, XML and Markdown syntax, a formula, a bidi override, a Markdown table
// row and a CDATA end, then 1 MB of text.
var hostileAnswer = "=HYPERLINK(\"http://evil.example\") \x00\x01\x07\x0b\x1b[2J\x7f <b>&amp;</b> ]]> | x | y |\n# heading\r\n\u202egnp.exe\u2028 `code` " +
	strings.Repeat("Returns are free within 30 days. ", 1<<15)

func TestOutputsStayValidWithHostileAnswers(t *testing.T) {
	t.Parallel()
	suite, out := writeSuite(t, 3), filepath.Join(t.TempDir(), "run")
	r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", recordedAnswers(t, 3, hostileAnswer), "--out", out)
	if r.code > exitGate {
		t.Fatalf("score: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	// results.jsonl: one line per answer, the text intact.
	rs, damage, err := results.ReadFile(filepath.Join(out, results.ResultsFile))
	if err != nil || len(damage.Lines) > 0 || len(rs) != 3 || countLines(filepath.Join(out, results.ResultsFile)) != 3 {
		t.Fatalf("results.jsonl: err %v, damage %v, %d results", err, damage.Lines, len(rs))
	}
	for _, res := range rs {
		if res.Answer != hostileAnswer {
			t.Errorf("%s: answer changed in results.jsonl (%d bytes, want %d)", res.CaseID, len(res.Answer), len(hostileAnswer))
		}
	}
	// junit.xml parses, with the answer in the failure bodies, minus what XML cannot hold.
	data, err := os.ReadFile(filepath.Join(out, results.JUnitFile))
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		if _, err := dec.Token(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("junit.xml does not parse: %v", err)
			}
			break
		}
	}
	// summary.json parses.
	var sum map[string]any
	if data, err := os.ReadFile(filepath.Join(out, results.SummaryFile)); err != nil || json.Unmarshal(data, &sum) != nil {
		t.Errorf("summary.json: %v", err)
	}
	// scorecard.xlsx reopens; the answer cell holds the text cut to Excel's limit, marked.
	xf, err := excelize.OpenFile(filepath.Join(out, results.XLSXFile))
	if err != nil {
		t.Fatalf("scorecard.xlsx does not reopen: %v", err)
	}
	defer xf.Close()
	found := false
	for _, sheet := range xf.GetSheetList() {
		rows, err := xf.GetRows(sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v", sheet, err)
		}
		for _, row := range rows {
			for _, cell := range row {
				if strings.HasPrefix(cell, "=HYPERLINK") {
					found = true
					if !strings.Contains(cell, "… [truncated, ") || len([]rune(cell)) > 32767 || strings.ContainsRune(cell, 0) {
						t.Errorf("%s: answer cell of %d characters, not cut visibly to Excel's limit", sheet, len([]rune(cell)))
					}
				}
			}
		}
	}
	if !found {
		t.Error("the answer is in no sheet of the scorecard")
	}
	// report.md: the answer is cut, and cannot add lines, headings or table cells.
	md, err := os.ReadFile(filepath.Join(out, results.MarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(md) > 256<<10 {
		t.Errorf("report.md is %d KB; the 1 MB answers should be cut", len(md)>>10)
	}
	for i, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(line, "# heading") || strings.ContainsAny(line, "\x00\x1b\r\u202e") {
			t.Errorf("report.md line %d carries the answer's structure or control characters: %.120q", i+1, line)
		}
	}
}

// ollamaBinary returns the repository's cached Ollama binary and models folder, or skips.
func ollamaBinary(t *testing.T) (bin, models string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	bin = filepath.Join(dir, ".cache", "ollama", "v0.17.4", "bin", "ollama")
	models = filepath.Join(dir, ".cache", "ollama", "models")
	_, berr := os.Stat(bin)
	_, merr := os.Stat(filepath.Join(models, "manifests", "registry.ollama.ai", "library", "supportbench-tiny", "latest"))
	if berr != nil || merr != nil {
		msg := fmt.Sprintf("no Ollama binary at %s or no supportbench-tiny in %s: run dev/ollama.sh up once", bin, models)
		if os.Getenv("SUPPORTBENCH_E2E") == "require" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin, models
}

// ollamaProcess is an Ollama server this test started, in its own process group so that
// the model runner it spawns can be stopped with it.
type ollamaProcess struct {
	cmd *exec.Cmd
	log string
}

func startOllama(t *testing.T, bin, models, addr string) *ollamaProcess {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "ollama.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "OLLAMA_HOST="+addr, "OLLAMA_MODELS="+models, "OLLAMA_NOPRUNE=1",
		"OLLAMA_KEEP_ALIVE=5m", "OLLAMA_NUM_PARALLEL=2", "HOME="+t.TempDir())
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logf.Close()
	p := &ollamaProcess{cmd: cmd, log: logPath}
	pgid := cmd.Process.Pid
	t.Cleanup(func() {
		syscall.Kill(-pgid, syscall.SIGKILL) // the server (if alive) and its runners
		cmd.Wait()
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/api/version"); err == nil {
			resp.Body.Close()
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	data, _ := os.ReadFile(logPath)
	t.Fatalf("ollama serve did not answer on %s within 30s; log:\n%s", addr, data)
	return nil
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestFaultOllamaKilledPartWayThenResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an Ollama server")
	}
	bin, models := ollamaBinary(t)
	addr := freeAddr(t)
	first := startOllama(t, bin, models, addr)

	const n = 60
	suite, out := writeSuite(t, n), filepath.Join(t.TempDir(), "run")
	killed := make(chan int)
	go func() {
		deadline := time.Now().Add(2 * time.Minute)
		for countLines(filepath.Join(out, results.ResultsFile)) < 5 && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		first.cmd.Process.Kill() // SIGKILL to the server only, by its PID
		killed <- countLines(filepath.Join(out, results.ResultsFile))
	}()
	r := invoke(t, t.Context(), nil, "run", "--suite", suite, "--ollama", addr, "--out", out, "--model", "supportbench-tiny", "--no-cache", "--concurrency", "1")
	atKill := <-killed
	if r.code != exitRuntime {
		data, _ := os.ReadFile(first.log)
		t.Fatalf("exit %d, want 3; stderr:\n%s\nollama log:\n%s", r.code, r.stderr, data)
	}
	if !strings.Contains(r.stderr, "supportbench run --resume "+out) {
		t.Errorf("stderr does not say how to resume:\n%s", r.stderr)
	}
	m := readManifest(t, out)
	ok, failed := resultsOf(t, out)
	if m.Status != results.StatusFailed && m.Status != results.StatusInterrupted {
		t.Errorf("manifest status %q (%s); want failed or interrupted", m.Status, m.Error)
	}
	if ok < atKill || ok+failed >= n {
		t.Errorf("%d ok and %d failed on disk (%d when killed); want what finished kept and the run stopped early", ok, failed, atKill)
	}

	startOllama(t, bin, models, addr) // restarted on the same port
	r = invoke(t, t.Context(), nil, "run", "--resume", out, "--no-cache")
	if r.code != exitOK && r.code != exitGate {
		t.Fatalf("resume: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	checkExactlyOnce(t, out, n)
	if m := readManifest(t, out); m.Status != results.StatusComplete || m.Counts.ModelCalls < int64(n-ok) {
		t.Errorf("after resume: status %q, %d model calls; want complete and at least %d", m.Status, m.Counts.ModelCalls, n-ok)
	}
}
