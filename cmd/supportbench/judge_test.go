package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
	"github.com/supportbench/supportbench/scorers"
)

func TestGraderFlagsInHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"run", "score"} {
		r := invoke(t, t.Context(), nil, cmd, "--help")
		for _, want := range []string{"-judge MODEL", "-embed-model MODEL", "-judge-ollama URL", "--judge qwen2.5:14b --embed-model nomic-embed-text"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%s --help lacks %q", cmd, want)
			}
		}
	}
}

// failingJudgeServer is an Ollama that has the model judge but answers every chat
// with HTTP 400.
func failingJudgeServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/version":
			fmt.Fprint(w, `{"version": "0.17.4"}`)
		case "/api/show":
			fmt.Fprint(w, `{"capabilities": ["completion"], "model_info": {"llama.context_length": 8192}}`)
		case "/api/tags":
			fmt.Fprint(w, `{"models": [{"name": "judge:latest", "model": "judge:latest", "digest": "sha256:j"}]}`)
		default:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error": "the judge is broken"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestScoreJudgeErrorsAreRecordedNotFatal(t *testing.T) {
	t.Parallel()
	suite := writeSuite(t, 3)
	answers := filepath.Join(t.TempDir(), "answers.jsonl")
	var b strings.Builder
	for i := range 3 {
		fmt.Fprintf(&b, `{"id": "c%03d", "model": "bot", "answer": "Returns are free within 30 days."}`+"\n", i)
	}
	if err := os.WriteFile(answers, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", answers, "--out", filepath.Join(t.TempDir(), "plain"))
	out := filepath.Join(t.TempDir(), "judged")
	r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", answers, "--out", out,
		"--judge", "judge", "--judge-ollama", failingJudgeServer(t))
	if r.code != plain.code {
		t.Fatalf("exit %d with a failing judge, %d without; stderr:\n%s", r.code, plain.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: judge judge could not grade 3 answer(s)") {
		t.Errorf("stderr lacks the warning with the count:\n%s", r.stderr)
	}
	rs, _, err := results.ReadFile(filepath.Join(out, results.ResultsFile))
	if err != nil || len(rs) != 3 {
		t.Fatalf("%d results (%v), want 3", len(rs), err)
	}
	for _, res := range rs {
		if res.Judge == nil || !strings.Contains(res.Judge.Error, "the judge is broken") || res.Judge.PromptVersion != scorers.JudgePromptVersion {
			t.Errorf("%s: judge %+v; want the error recorded", res.CaseID, res.Judge)
		}
	}
	m := readManifest(t, out)
	if m.Status != results.StatusComplete || m.Judge == nil || m.Judge.Name != "judge" || m.Judge.Digest != "sha256:j" || m.Judge.PromptVersion != scorers.JudgePromptVersion {
		t.Errorf("manifest: status %q, judge %+v", m.Status, m.Judge)
	}
	sum := readSummary(t, out)
	if j := sum.Models[0].Judge; j == nil || j.N != 0 || j.Errors != 3 {
		t.Errorf("summary judge %+v; want n 0 and 3 errors", j)
	}
}

func TestGradersNeedTheirModel(t *testing.T) {
	t.Parallel()
	answers := filepath.Join(t.TempDir(), "answers.jsonl")
	os.WriteFile(answers, []byte(`{"id": "c000", "model": "bot", "answer": "30 days."}`+"\n"), 0o644)
	out := filepath.Join(t.TempDir(), "run")
	r := invoke(t, t.Context(), nil, "score", "--suite", writeSuite(t, 3), "--answers", answers, "--out", out,
		"--judge", "judge", "--judge-ollama", "127.0.0.1:1")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "--judge") {
		t.Errorf("unreachable judge server: exit %d, stderr %q; want 3 naming --judge", r.code, r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the run directory was created although the judge server is unreachable")
	}
}

func readSummary(t *testing.T, dir string) *results.Summary {
	t.Helper()
	var sum results.Summary
	data, err := os.ReadFile(filepath.Join(dir, results.SummaryFile))
	if err == nil {
		err = json.Unmarshal(data, &sum)
	}
	if err != nil || len(sum.Models) == 0 {
		t.Fatalf("summary.json: %v, %d models", err, len(sum.Models))
	}
	return &sum
}

// TestE2EJudgeAndEmbed runs the tiny model as the answering model, the judge and the
// embedding model. Its verdicts are gibberish: only structure is asserted.
func TestE2EJudgeAndEmbed(t *testing.T) {
	addr := e2eEndpoint(t)
	suite := writeSuite(t, 6)
	refs := `{"id":"ref1","category":"returns","question":"How long do I have to return?","knowledge":["returns"],"reference":"You have 30 days from delivery.","should_escalate":false}
{"id":"ref2","category":"returns","question":"Where do I start a return?","knowledge":["returns"],"reference":"Start at https://shop.example/returns.","should_escalate":false}
`
	if err := os.WriteFile(filepath.Join(suite, "cases", "refs.jsonl"), []byte(refs), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "run")
	r := invoke(t, t.Context(), nil, "run", "--suite", suite, "--ollama", addr, "--out", out, "--cache-dir", t.TempDir(),
		"--judge", "supportbench-tiny", "--embed-model", "supportbench-tiny")
	if r.code != exitOK && r.code != exitGate {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	rs, _, err := results.ReadFile(filepath.Join(out, results.ResultsFile))
	if err != nil || len(rs) != 8 {
		t.Fatalf("%d results (%v), want 8", len(rs), err)
	}
	for _, res := range rs {
		j := res.Judge
		if j == nil || j.Model != "supportbench-tiny" || j.PromptVersion != scorers.JudgePromptVersion || j.Error != "" || j.UnsupportedClaims == nil {
			t.Errorf("%s: judge %+v; want a verdict of supportbench-tiny, %s, without error", res.CaseID, j, scorers.JudgePromptVersion)
		}
		sim, ok := res.Scores[scorers.ScoreSemanticSimilarity]
		hasRef := strings.HasPrefix(res.CaseID, "ref")
		if ok != hasRef || sim < 0 || sim > 1 {
			t.Errorf("%s: semantic_similarity %v (present %v); want it in 0..1 exactly for the cases with a reference", res.CaseID, sim, ok)
		}
	}
	m := readManifest(t, out)
	if m.Status != results.StatusComplete || m.Judge == nil || m.Judge.Digest == "" || m.Judge.NumCtx <= 0 || m.Embed == nil || m.Embed.Name != "supportbench-tiny" {
		t.Errorf("manifest: status %q, judge %+v, embed %+v", m.Status, m.Judge, m.Embed)
	}
	j := readSummary(t, out).Models[0].Judge
	if j == nil || j.N != len(rs) || j.Errors != 0 || j.PromptVersion != scorers.JudgePromptVersion ||
		j.Correct.N != len(rs) || j.Escalated.N != len(rs) || j.Hallucinated.N != len(rs) {
		t.Fatalf("summary judge %+v; want agreement over n = %d", j, len(rs))
	}
	if data, _ := os.ReadFile(filepath.Join(out, results.MarkdownFile)); !strings.Contains(string(data), "Judge (supportbench-tiny, judge-v1) agrees with the deterministic verdicts on") {
		t.Errorf("report.md lacks the judge line")
	}

	// Resuming the complete run keeps the judge (from the manifest) and judges nothing again.
	r = invoke(t, t.Context(), nil, "run", "--resume", out, "--ollama", addr)
	if r.code != exitOK && r.code != exitGate {
		t.Fatalf("resume: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "grading") {
		t.Errorf("resume graded again:\n%s", r.stderr)
	}
	again, _, _ := results.ReadFile(filepath.Join(out, results.ResultsFile))
	for i := range again {
		if again[i].Judge == nil || again[i].Judge.Reason != rs[i].Judge.Reason {
			t.Errorf("%s: judge verdict changed on resume", again[i].CaseID)
		}
	}
}

func TestScoreInterruptDuringJudgingKeepsEveryResult(t *testing.T) {
	t.Parallel()
	suite := writeSuite(t, 3) // concurrency 2
	answers := filepath.Join(t.TempDir(), "answers.jsonl")
	var b strings.Builder
	for i := range 3 {
		fmt.Fprintf(&b, `{"id": "c%03d", "model": "bot", "answer": "Returns are free within 30 days."}`+"\n", i)
	}
	os.WriteFile(answers, []byte(b.String()), 0o644)
	graded, release := make(chan struct{}, 3), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/version":
			fmt.Fprint(w, `{"version": "0.17.4"}`)
		case "/api/show":
			fmt.Fprint(w, `{"model_info": {"llama.context_length": 8192}}`)
		case "/api/tags":
			fmt.Fprint(w, `{"models": [{"name": "judge:latest", "digest": "sha256:j"}]}`)
		case "/api/chat":
			var req struct {
				Options map[string]any `json:"options"`
			}
			json.NewDecoder(r.Body).Decode(&req)
			if req.Options["num_predict"] != 1.0 { // not the warm-up: hold it until released
				graded <- struct{}{}
				<-release
			}
			fmt.Fprint(w, `{"message": {"role": "assistant", "content": "{\"correct\": true, \"reason\": \"ok\", \"escalated\": false, \"claims\": []}"}, "done": true, "done_reason": "stop"}`)
		}
	}))
	t.Cleanup(srv.Close)
	sigs := make(chan os.Signal, 1)
	go func() {
		<-graded
		sigs <- os.Interrupt
		time.Sleep(200 * time.Millisecond) // let the pass see the stop before the requests in flight return
		close(release)
	}()
	out := filepath.Join(t.TempDir(), "run")
	r := invoke(t, t.Context(), sigs, "score", "--suite", suite, "--answers", answers, "--out", out, "--judge", "judge", "--judge-ollama", srv.URL)
	if r.code != exitRuntime || !strings.Contains(r.stderr, "not graded") {
		t.Fatalf("exit %d, want 3 and a note of what was not graded; stderr:\n%s", r.code, r.stderr)
	}
	rs, _, err := results.ReadFile(filepath.Join(out, results.ResultsFile))
	if err != nil || len(rs) != 3 {
		t.Fatalf("%d results (%v); an interrupted judge pass must keep all 3", len(rs), err)
	}
	judgedN := 0
	for _, res := range rs {
		if res.Judge != nil {
			judgedN++
			if res.Judge.Error != "" || !res.Judge.Correct {
				t.Errorf("%s: judge %+v", res.CaseID, res.Judge)
			}
		}
	}
	if judgedN == 0 || judgedN == 3 {
		t.Errorf("%d of 3 judged; want the requests in flight finished and the rest left", judgedN)
	}
}

// constEmbedder embeds every text as the same vector: every similarity is 1.
type constEmbedder struct{}

func (constEmbedder) Embed(_ context.Context, _ string, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = []float32{1, 0}
	}
	return out, nil
}

// Resuming a run with another embedding model drops the old model's similarities and
// computes them again: the scores of two models are never mixed in one run.
func TestResumeWithAnotherEmbeddingModelRecomputesSimilarity(t *testing.T) {
	t.Parallel()
	suiteDir := writeSuite(t, 2)
	s, err := loadSuite(suiteDir, &env{stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	s.Cases[0].Reference = "Returns are free within 30 days."
	dir := t.TempDir()
	old := []eval.Result{
		{CaseID: s.Cases[0].ID, Model: "bot", Trial: 1, Answer: "Free within 30 days.", Verdict: eval.Verdict{Scores: map[string]float64{scorers.ScoreSemanticSimilarity: 0.25}}},
		{CaseID: s.Cases[1].ID, Model: "bot", Trial: 1, Answer: "Let me get a colleague.", Verdict: eval.Verdict{Scores: map[string]float64{scorers.ScoreSemanticSimilarity: 0.5}}},
	}
	if err := results.Rewrite(filepath.Join(dir, results.ResultsFile), old); err != nil {
		t.Fatal(err)
	}
	embed := func(name string) *results.ScoringModel {
		return &results.ScoringModel{Name: name, Digest: "sha256:" + name, Endpoint: "http://x"}
	}
	for _, tc := range []struct {
		prior      *results.ScoringModel
		want0      float64
		want1Kept  bool
		wantChange string
	}{
		{prior: embed("new"), want0: 0.25, want1Kept: true, wantChange: "same model: nothing recomputed"},
		{prior: embed("old"), want0: 1, want1Kept: false, wantChange: "other model: recomputed, and dropped where there is no reference"},
	} {
		if err := results.Rewrite(filepath.Join(dir, results.ResultsFile), old); err != nil {
			t.Fatal(err)
		}
		g := &graders{sim: scorers.NewSimilarity(s, constEmbedder{}, "new"), embedInfo: embed("new"), prior: &results.Manifest{Embed: tc.prior}}
		if _, err := g.grade(t.Context(), nil, dir, 1, &env{stderr: io.Discard}); err != nil {
			t.Fatal(err)
		}
		rs, _, err := results.ReadFile(filepath.Join(dir, results.ResultsFile))
		if err != nil {
			t.Fatal(err)
		}
		got0 := rs[0].Scores[scorers.ScoreSemanticSimilarity]
		_, kept1 := rs[1].Scores[scorers.ScoreSemanticSimilarity]
		if got0 != tc.want0 || kept1 != tc.want1Kept {
			t.Errorf("%s: similarity %v (want %v), second kept %v (want %v)", tc.wantChange, got0, tc.want0, kept1, tc.want1Kept)
		}
	}
}
