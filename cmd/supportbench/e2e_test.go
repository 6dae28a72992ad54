package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/supportbench/supportbench/results"
)

// End-to-end tests of the commands against the real Ollama server with the tiny model
// (see dev/test.sh). They assert structure, counts and invariants, never the tiny
// model's text.

func e2eEndpoint(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("SUPPORTBENCH_OLLAMA")
	if addr == "" {
		if os.Getenv("SUPPORTBENCH_E2E") == "require" {
			t.Fatal("SUPPORTBENCH_E2E=require but SUPPORTBENCH_OLLAMA is not set")
		}
		t.Skip("no Ollama server: set SUPPORTBENCH_OLLAMA (dev/test.sh does)")
	}
	return addr
}

// countLines returns the number of lines of path (0 if missing).
func countLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		n++
	}
	return n
}

// checkExactlyOnce asserts results.jsonl has exactly one valid record per planned
// (case, model, trial) and returns the records.
func checkExactlyOnce(t *testing.T, dir string, want int) []results.ID {
	t.Helper()
	rs, damage, err := results.ReadFile(filepath.Join(dir, results.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(damage.Lines) > 0 {
		t.Errorf("damaged lines %v", damage.Lines)
	}
	seen := map[results.ID]bool{}
	var ids []results.ID
	for i := range rs {
		id := results.IDOf(&rs[i])
		if seen[id] {
			t.Errorf("duplicate record %+v", id)
		}
		seen[id] = true
		ids = append(ids, id)
		if rs[i].Error != "" {
			t.Errorf("%+v failed: %s", id, rs[i].Error)
		}
	}
	if len(rs) != want {
		t.Errorf("%d records, want %d", len(rs), want)
	}
	return ids
}

func readManifest(t *testing.T, dir string) *results.Manifest {
	t.Helper()
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestE2ERunWritesCompleteRunDirAndCaches(t *testing.T) {
	addr := e2eEndpoint(t)
	suite, cache := writeSuite(t, 12), t.TempDir()
	out := filepath.Join(t.TempDir(), "run1")
	r := invoke(t, t.Context(), nil, "run", "--suite", suite, "--ollama", addr, "--out", out, "--cache-dir", cache)
	if r.code != exitOK && r.code != exitGate {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if r.stdout == "" || r.stdout[:len(out)] != out {
		t.Errorf("stdout should start with the run directory, got %q", r.stdout)
	}
	m := readManifest(t, out)
	if m.Status != results.StatusComplete || len(m.Models) != 1 {
		t.Fatalf("manifest status %q, %d models", m.Status, len(m.Models))
	}
	mi := m.Models[0]
	if mi.Digest == "" || mi.NumCtx <= 0 || mi.LongestPromptTokens <= 0 || mi.Mode == "" {
		t.Errorf("model info incomplete: %+v", mi)
	}
	if mi.NumCtx < mi.LongestPromptTokens+m.Options.NumPredict {
		t.Errorf("num_ctx %d too small for the longest prompt %d + %d", mi.NumCtx, mi.LongestPromptTokens, m.Options.NumPredict)
	}
	if m.Counts.ModelCalls < 12 || m.Counts.Cached != 0 {
		t.Errorf("first run: %d model calls, %d cached; want >= 12 and 0", m.Counts.ModelCalls, m.Counts.Cached)
	}
	checkExactlyOnce(t, out, 12)
	for _, f := range []string{results.SummaryFile, results.JUnitFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	var sum results.Summary
	data, _ := os.ReadFile(filepath.Join(out, results.SummaryFile))
	if err := json.Unmarshal(data, &sum); err != nil || len(sum.Models) != 1 || sum.Models[0].Results != 12 {
		t.Errorf("summary.json: err %v, %+v", err, sum)
	}
	var junit struct {
		Tests int `xml:"tests,attr"`
	}
	data, _ = os.ReadFile(filepath.Join(out, results.JUnitFile))
	if err := xml.Unmarshal(data, &junit); err != nil || junit.Tests != 12 {
		t.Errorf("junit.xml: err %v, tests %d", err, junit.Tests)
	}

	// An unchanged suite, run again with the same cache, makes no model calls.
	out2 := filepath.Join(t.TempDir(), "run2")
	r2 := invoke(t, t.Context(), nil, "run", "--suite", suite, "--ollama", addr, "--out", out2, "--cache-dir", cache)
	if r2.code != r.code {
		t.Fatalf("second run exit %d, first %d; stderr:\n%s", r2.code, r.code, r2.stderr)
	}
	m2 := readManifest(t, out2)
	if m2.Counts.ModelCalls != 0 || m2.Counts.Cached != 12 {
		t.Errorf("second run: %d model calls, %d cached; want 0 and 12", m2.Counts.ModelCalls, m2.Counts.Cached)
	}
}

func TestE2EInterruptLeavesResumableRun(t *testing.T) {
	addr := e2eEndpoint(t)
	suite := writeSuite(t, 60)
	out := filepath.Join(t.TempDir(), "run")
	sigs := make(chan os.Signal, 1)
	go func() {
		for countLines(filepath.Join(out, results.ResultsFile)) < 3 {
			time.Sleep(5 * time.Millisecond)
		}
		sigs <- os.Interrupt
	}()
	r := invoke(t, t.Context(), sigs, "run", "--suite", suite, "--ollama", addr, "--out", out, "--no-cache", "--concurrency", "1")
	if r.code != exitRuntime {
		t.Fatalf("interrupted run: exit %d, want 3; stderr:\n%s", r.code, r.stderr)
	}
	m := readManifest(t, out)
	n := countLines(filepath.Join(out, results.ResultsFile))
	if m.Status != results.StatusInterrupted || n < 3 || n >= 60 {
		t.Fatalf("after interrupt: status %q, %d records; want interrupted and 3..59", m.Status, n)
	}
	if _, err := os.Stat(filepath.Join(out, results.SummaryFile)); err != nil {
		t.Error("an interrupted run should still write its summary")
	}

	r = invoke(t, t.Context(), nil, "run", "--resume", out, "--ollama", addr, "--no-cache")
	if r.code != exitOK && r.code != exitGate {
		t.Fatalf("resume: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if m := readManifest(t, out); m.Status != results.StatusComplete || m.Counts.ModelCalls > int64(60-n+2) {
		t.Errorf("after resume: status %q, %d model calls; want complete and at most %d", m.Status, m.Counts.ModelCalls, 60-n+2)
	}
	checkExactlyOnce(t, out, 60)
}

func TestE2EKilledRunResumesExactlyOnce(t *testing.T) {
	addr := e2eEndpoint(t)
	suite := writeSuite(t, 90)
	out := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(os.Args[0], "run", "--suite", suite, "--ollama", addr, "--out", out, "--no-cache", "--concurrency", "2")
	cmd.Env = append(os.Environ(), "SUPPORTBENCH_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for countLines(filepath.Join(out, results.ResultsFile)) < 10 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no cleanup at all
		t.Fatal(err)
	}
	cmd.Wait()
	n := countLines(filepath.Join(out, results.ResultsFile))
	if n < 10 || n >= 90 {
		t.Fatalf("%d records when killed; want part of 90", n)
	}
	if m := readManifest(t, out); m.Status != results.StatusRunning {
		t.Errorf("killed run's manifest says %q; want running", m.Status)
	}

	r := invoke(t, t.Context(), nil, "run", "--resume", out, "--ollama", addr, "--no-cache")
	if r.code != exitOK && r.code != exitGate {
		t.Fatalf("resume: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	checkExactlyOnce(t, out, 90)
	if m := readManifest(t, out); m.Status != results.StatusComplete {
		t.Errorf("after resume: status %q", m.Status)
	}
}
