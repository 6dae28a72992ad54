package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets a test run this binary as the real command: with SUPPORTBENCH_MAIN=1
// the test binary is supportbench (used to SIGKILL a run part-way).
func TestMain(m *testing.M) {
	if os.Getenv("SUPPORTBENCH_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// invocation is the outcome of one in-process command.
type invocation struct {
	code           int
	stdout, stderr string
}

// invoke runs the command in-process with the given interrupts channel (may be nil).
func invoke(t *testing.T, ctx context.Context, sigs chan os.Signal, args ...string) invocation {
	t.Helper()
	var out, errb bytes.Buffer
	if sigs == nil {
		sigs = make(chan os.Signal)
	}
	e := &env{stdout: &out, stderr: &errb, interrupts: sigs, getenv: func(k string) string {
		if k == "SUPPORTBENCH_CACHE" {
			return filepath.Join(t.TempDir(), "cache")
		}
		return ""
	}}
	code := Main(ctx, args, e)
	return invocation{code, out.String(), errb.String()}
}

func TestVersionAndHelp(t *testing.T) {
	t.Parallel()
	if r := invoke(t, t.Context(), nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "supportbench ") {
		t.Errorf("version: %+v", r)
	}
	if r := invoke(t, t.Context(), nil, "--help"); r.code != 0 || !strings.Contains(r.stdout, "Exit codes") {
		t.Errorf("--help: %+v", r)
	}
	for _, cmd := range []string{"run", "score", "validate", "merge"} {
		r := invoke(t, t.Context(), nil, cmd, "--help")
		if r.code != 0 || !strings.Contains(r.stderr, "Examples:") {
			t.Errorf("%s --help: code %d, stderr %q", cmd, r.code, r.stderr)
		}
	}
}

func TestBadUsageExits2(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"run", "--no-such-flag"},
		{"run", "--shard", "5/4"},
		{"run", "--mode", "telepathy"},
		{"run", "--trials", "0"},
		{"run", "--suite", "/does/not/exist"},
		{"score"},
		{"validate", "extra-arg"},
		{"merge"},
	} {
		if r := invoke(t, t.Context(), nil, args...); r.code != exitUsage {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
	}
}

// exitCode is the exit code Main gives err.
func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitRuntime
}

// writeSuite writes a small valid suite with n cases: a third should escalate.
func writeSuite(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "knowledge"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "cases"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "suite.yaml"), []byte("name: mini\noptions:\n  num_predict: 24\nconcurrency: 2\nretries: 1\ntimeout: 30s\ngates:\n  min_accuracy: 0.5\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "knowledge", "returns.md"), []byte("Returns are free within 30 days of delivery. Start a return at https://shop.example/returns.\n"), 0o644))
	var b strings.Builder
	for i := range n {
		if i%3 == 2 {
			fmt.Fprintf(&b, `{"id":"c%03d","category":"legal","question":"I will sue you over order %d!","should_escalate":true,"escalation_reason":"legal-threat","risk":"high"}`+"\n", i, i)
		} else {
			fmt.Fprintf(&b, `{"id":"c%03d","category":"returns","question":"Can I return item %d?","knowledge":["returns"],"facts":[["30 days","thirty days"]],"should_escalate":false}`+"\n", i, i)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "cases", "cases.jsonl"), []byte(b.String()), 0o644))
	return dir
}

func TestValidateReportsEveryProblemAndExits2(t *testing.T) {
	t.Parallel()
	dir := writeSuite(t, 3)
	bad := `{"id":"x1","category":"returns","question":"","should_escalate":false}
{"id":"x1","category":"returns","question":"hi","knowledge":["nope"],"should_escalate":false,"colour":"red"}
`
	if err := os.WriteFile(filepath.Join(dir, "cases", "bad.jsonl"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r := invoke(t, t.Context(), nil, "validate", "--suite", dir)
	if r.code != exitUsage {
		t.Fatalf("exit %d, want 2; stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"cases/bad.jsonl:1: question", "cases/bad.jsonl:2: colour", "cases/bad.jsonl:2: knowledge", "nothing was run"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout should be empty on invalid input, got %q", r.stdout)
	}
}

func TestValidatePrintsInventory(t *testing.T) {
	t.Parallel()
	r := invoke(t, t.Context(), nil, "validate", "--suite", writeSuite(t, 9))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"mini", "valid", "returns", "legal"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inventory lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestRunWithoutServerExits3BeforeWriting(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "run")
	r := invoke(t, t.Context(), nil, "run", "--suite", writeSuite(t, 3), "--ollama", "127.0.0.1:1", "--out", out)
	if r.code != exitRuntime {
		t.Fatalf("exit %d, want 3; stderr %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "no Ollama server answers at http://127.0.0.1:1") {
		t.Errorf("stderr does not name the endpoint: %s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "results.jsonl")); err == nil {
		t.Error("results.jsonl written although nothing ran")
	}
}

func TestRunRefusesExistingRunDir(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "results.jsonl"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := invoke(t, t.Context(), nil, "run", "--suite", writeSuite(t, 3), "--out", out, "--ollama", "127.0.0.1:1")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--resume") {
		t.Errorf("exit %d, stderr %q; want 2 and a hint to --resume", r.code, r.stderr)
	}
}
