package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportbench/supportbench/results"
)

// Two shards scored separately and merged equal the same answers scored in one run:
// one record per (case, model, trial), the same summary numbers.
func TestMergeShardsEqualsOneRun(t *testing.T) {
	t.Parallel()
	suite := writeSuite(t, 9)
	all := recordedAnswers(t, 9, "Returns are free within 30 days of delivery.")
	data, err := os.ReadFile(all)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSpace(string(data)), "\n")
	tmp := t.TempDir()
	score := func(name string, answers []string) string {
		t.Helper()
		file, out := filepath.Join(tmp, name+".jsonl"), filepath.Join(tmp, name)
		if err := os.WriteFile(file, []byte(strings.Join(answers, "")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := invoke(t, t.Context(), nil, "score", "--suite", suite, "--answers", file, "--out", out); r.code > exitGate {
			t.Fatalf("score %s: exit %d; stderr:\n%s", name, r.code, r.stderr)
		}
		return out
	}
	whole := score("whole", lines)
	a, b := score("shard-1", lines[:4]), score("shard-2", lines[4:])
	merged := filepath.Join(tmp, "merged")
	r := invoke(t, t.Context(), nil, "merge", "--out", merged, "--suite", suite, a, b)
	if r.code > exitGate {
		t.Fatalf("merge: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	rs, damage, err := results.ReadFile(filepath.Join(merged, results.ResultsFile))
	if err != nil || len(damage.Lines) > 0 {
		t.Fatalf("read merged results: %v, damaged %v", err, damage.Lines)
	}
	seen := map[results.ID]bool{}
	for _, res := range rs {
		id := results.IDOf(&res)
		if seen[id] {
			t.Errorf("duplicate record %v", id)
		}
		seen[id] = true
	}
	if len(seen) != 9 {
		t.Errorf("%d distinct records; want 9", len(seen))
	}
	headline := func(dir string) string {
		t.Helper()
		var doc struct {
			Models []struct {
				Model    string
				Results  int
				Accuracy struct{ Value float64 }
			}
			Passed bool
		}
		data, err := os.ReadFile(filepath.Join(dir, results.SummaryFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(doc)
		return string(out)
	}
	if got, want := headline(merged), headline(whole); got != want || !strings.Contains(want, `"Results":9`) {
		t.Errorf("merged summary %s\nwant (one run) %s", got, want)
	}
	man, err := results.ReadManifest(merged)
	if err != nil {
		t.Fatal(err)
	}
	if man.Counts.Results != 9 || man.Counts.Planned != 9 || man.Status != results.StatusComplete || man.Shard != "" {
		t.Errorf("merged manifest: counts %+v, status %s, shard %q", man.Counts, man.Status, man.Shard)
	}
}

func TestMergeRefusesRunsGradedDifferently(t *testing.T) {
	t.Parallel()
	judge := func(name, digest string) *results.ScoringModel {
		return &results.ScoringModel{Name: name, Digest: digest, Endpoint: "http://a", PromptVersion: "1"}
	}
	base := results.Manifest{Suite: results.SuiteInfo{Name: "s", Hash: "h"}, Status: results.StatusComplete}
	for _, tc := range []struct {
		name   string
		a, b   *results.ScoringModel
		refuse bool
	}{
		{"neither", nil, nil, false},
		{"same judge, other endpoint", judge("j", "d1"), &results.ScoringModel{Name: "j", Digest: "d1", Endpoint: "http://b", PromptVersion: "1"}, false},
		{"one judged", judge("j", "d1"), nil, true},
		{"other digest", judge("j", "d1"), judge("j", "d2"), true},
		{"other judge", judge("j", "d1"), judge("k", "d1"), true},
	} {
		a, b := base, base
		a.Judge, b.Judge = tc.a, tc.b
		_, err := mergeManifests([]*results.Manifest{&a, &b}, []string{"runs/one", "runs/two"})
		if (err != nil) != tc.refuse {
			t.Errorf("%s: err %v; refuse %v", tc.name, err, tc.refuse)
			continue
		}
		if err != nil && (exitCode(err) != exitUsage || !strings.Contains(err.Error(), "runs/two") || !strings.Contains(err.Error(), "--judge")) {
			t.Errorf("%s: error %q (exit %d) should name the run, say what to do and exit 2", tc.name, err, exitCode(err))
		}
	}
	a, b := base, base
	b.Suite.Hash = "other"
	if _, err := mergeManifests([]*results.Manifest{&a, &b}, []string{"runs/one", "runs/two"}); err == nil || exitCode(err) != exitUsage {
		t.Errorf("runs of different suites merged: %v", err)
	}
}
