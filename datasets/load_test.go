package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/supportbench/supportbench/eval"
)

const minimalCase = `{"id":"r1","category":"returns","question":"How long can I return things?","knowledge":["returns"],"facts":["14 days"],"should_escalate":false}` + "\n"

// TestMinimalSuiteDefaults checks that a suite.yaml with only a name runs with every default.
func TestMinimalSuiteDefaults(t *testing.T) {
	t.Parallel()
	fsys := baseSuite()
	fsys["cases/c.jsonl"] = mapFile([]byte(minimalCase))
	s := mustLoad(t, fsys)
	want := eval.Config{
		Name:         "t",
		SystemPrompt: DefaultSystemPrompt,
		Languages:    []string{"en"},
		Models:       []string{"supportbench-tiny"},
		Mode:         "auto",
		Options:      eval.Options{Temperature: 0, Seed: 42, NumPredict: 256, NumCtx: 0},
		Trials:       1,
		Concurrency:  4,
		Timeout:      eval.Duration(60 * time.Second),
		Retries:      3,
		KeepAlive:    eval.Duration(30 * time.Minute),
	}
	if !reflect.DeepEqual(s.Config, want) {
		t.Errorf("config:\n%+v\nwant:\n%+v", s.Config, want)
	}
	if s.Dir != "s" || len(s.Hash) != 64 || len(s.Knowledge) != 2 || len(s.Cases) != 1 {
		t.Errorf("dir %q, hash %q, %d articles, %d cases", s.Dir, s.Hash, len(s.Knowledge), len(s.Cases))
	}
	c := s.Cases[0]
	if c.Source != "cases/c.jsonl:1" || c.Question == "" || len(c.Facts) != 1 || c.Facts[0][0] != "14 days" {
		t.Errorf("case: %+v", c)
	}
}

// TestConfigOverrides checks that written keys override defaults and others keep theirs,
// including an explicit zero.
func TestConfigOverrides(t *testing.T) {
	t.Parallel()
	fsys := baseSuite()
	fsys["suite.yaml"] = mapFile([]byte(`name: nightly
description: Nightly regression.
models: [llama3.2:1b, qwen2.5:0.5b]
mode: structured
options:
  seed: 0
  num_ctx: 8192
  top_p: 0.9
trials: 3
timeout: 2m
languages: [EN, de]
gates:
  min_accuracy: 0.8
  categories:
    returns:
      max_hallucination_rate: 0.05
`))
	fsys["cases/c.jsonl"] = mapFile([]byte(minimalCase))
	c := mustLoad(t, fsys).Config
	if c.Mode != "structured" || c.Options.Seed != 0 || c.Options.NumPredict != 256 || c.Options.NumCtx != 8192 ||
		c.Trials != 3 || c.Concurrency != 4 || time.Duration(c.Timeout) != 2*time.Minute || len(c.Models) != 2 ||
		*c.Options.TopP != 0.9 || *c.Gates.MinAccuracy != 0.8 || *c.Gates.Categories["returns"].MaxHallucination != 0.05 {
		t.Errorf("config: %+v", c)
	}
	if strings.Join(c.Languages, ",") != "en,de" {
		t.Errorf("languages %v, want canonical [en de]", c.Languages)
	}
}

// TestConfigProblems checks suite.yaml validation, each problem at its line.
func TestConfigProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"no name", "description: x\n", []string{"s/suite.yaml: name: missing; suite.yaml needs a name (it names the run folders and reports)"}},
		{"empty file", "", []string{"s/suite.yaml: name: missing; suite.yaml needs at least a name"}},
		{"bad name", "name: a/b\n", []string{`s/suite.yaml:1: name: "a/b" cannot be used in a folder name; use letters, digits, dashes or underscores`}},
		{"not yaml", "name: [x\n", []string{"s/suite.yaml:1: invalid YAML: did not find expected ',' or ']'"}},
		{"types", "name: t\ntrials: three\ntimeout: soon\noptions:\n  temperature: hot\n  sed: 1\n", []string{
			`s/suite.yaml:2: trials: must be a whole number, got "three"`,
			`s/suite.yaml:3: timeout: invalid duration "soon" (write e.g. 30s, 2m, 1h)`,
			`s/suite.yaml:5: options.temperature: must be a number, got "hot"`,
			`s/suite.yaml:6: options.sed: unknown key (did you mean "seed"?)`,
		}},
		{"values", "name: t\nmodels: []\nconcurrency: 0\noptions:\n  temperature: 2.5\n  num_predict: 0\nlanguages: [klingon-x]\n", []string{
			"s/suite.yaml:2: models: is empty; list at least one Ollama model, or remove the key to use supportbench-tiny",
			"s/suite.yaml:3: concurrency: must be at least 1, got 0",
			"s/suite.yaml:5: options.temperature: must be between 0 and 2, got 2.5",
			"s/suite.yaml:6: options.num_predict: must be a positive number of tokens, or -1 for no limit, got 0",
			`s/suite.yaml:7: languages: "klingon-x" is not a BCP-47 language tag (write e.g. en, de, pt-BR)`,
		}},
		{"gates", "name: t\ngates:\n  max_hallucination_rate: -0.1\n  categories:\n    returns:\n      categories:\n        returns: {}\n", []string{
			"s/suite.yaml:3: gates.max_hallucination_rate: is a rate and must be between 0 and 1 (0.9 for 90%), got -0.1",
			"s/suite.yaml:6: gates.categories.returns.categories: categories cannot be nested inside a category",
		}},
		{"repeated key", "name: t\ntrials: 2\ntrials: 3\n", []string{"s/suite.yaml:3: trials: key repeated (first at line 2); keep one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := baseSuite()
			fsys["suite.yaml"] = mapFile([]byte(tt.yaml))
			fsys["cases/c.jsonl"] = mapFile([]byte(minimalCase))
			assertLines(t, problemsOf(t, fsys), tt.want)
		})
	}
}

// TestSuiteLayout checks problems with the suite's files rather than their contents.
func TestSuiteLayout(t *testing.T) {
	t.Parallel()
	t.Run("no suite.yaml and no cases", func(t *testing.T) {
		t.Parallel()
		fsys := baseSuite()
		delete(fsys, "suite.yaml")
		assertLines(t, problemsOf(t, fsys), []string{
			"s/cases: the suite has no cases; put case files (.jsonl, .yaml, .yml, .csv or .xlsx) in cases/",
			"s/suite.yaml: missing; a suite needs a suite.yaml with at least a name",
		})
	})
	t.Run("subfolders, json, empty files", func(t *testing.T) {
		t.Parallel()
		fsys := baseSuite()
		fsys["cases/old/c.jsonl"] = mapFile([]byte(minimalCase))
		fsys["cases/c.json"] = mapFile([]byte("[]"))
		fsys["cases/empty.yaml"] = mapFile([]byte("# nothing yet\n"))
		fsys["cases/empty.jsonl"] = mapFile([]byte("\n\n"))
		fsys["knowledge/returns.txt"] = mapFile([]byte("dup"))
		assertLines(t, problemsOf(t, fsys), []string{
			"s/cases/c.json: unsupported case file type .json; write one case object per line and name the file .jsonl",
			"s/cases/empty.jsonl: the file has no cases; write one JSON object per line",
			`s/cases/empty.yaml: the file has no cases; write a list of cases, each starting with "- id:"`,
			"s/cases/old/c.jsonl: subfolders of cases/ are not read; move the file up to cases/",
			"s/knowledge/returns.txt: article id returns is also used by knowledge/returns.md; ids are file names without the extension, so rename one",
		})
	})
	t.Run("yaml that is not a list", func(t *testing.T) {
		t.Parallel()
		fsys := baseSuite()
		fsys["cases/c.yaml"] = mapFile([]byte("cases:\n  - id: a\n"))
		assertLines(t, problemsOf(t, fsys), []string{
			`s/cases/c.yaml:1: a case file must be a top-level list of cases, each starting with "- id:"; remove the "cases:" key and un-indent the list`,
		})
	})
}

// TestHash checks that the hash covers every file's path and content, and ignores
// hidden and lock files.
func TestHash(t *testing.T) {
	t.Parallel()
	load := func(edit func(m map[string]string)) string {
		fsys := baseSuite()
		fsys["cases/c.jsonl"] = mapFile([]byte(minimalCase))
		files := map[string]string{}
		edit(files)
		for p, c := range files {
			fsys[p] = mapFile([]byte(c))
		}
		return mustLoad(t, fsys).Hash
	}
	base := load(func(map[string]string) {})
	if again := load(func(map[string]string) {}); again != base {
		t.Errorf("hash not deterministic: %s, %s", base, again)
	}
	if h := load(func(m map[string]string) { m[".DS_Store"] = "x"; m["cases/~$c.xlsx"] = "lock" }); h != base {
		t.Errorf("hidden and lock files changed the hash")
	}
	if h := load(func(m map[string]string) { m["README.md"] = "notes" }); h == base {
		t.Errorf("a new file did not change the hash")
	}
	if h := load(func(m map[string]string) { m["knowledge/returns.md"] = returnsArticle + " " }); h == base {
		t.Errorf("an edit did not change the hash")
	}
}

// TestLoadDir checks loading from disk: messages carry the directory as given.
func TestLoadDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("suite.yaml", "name: disk\n")
	write("knowledge/returns.md", returnsArticle)
	write("cases/c.jsonl", minimalCase)
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "disk" || s.Dir != dir || len(s.Cases) != 1 {
		t.Errorf("suite %q from %q with %d cases", s.Name, s.Dir, len(s.Cases))
	}

	write("cases/d.jsonl", `{"id":"r1"}`)
	_, err = Load(dir)
	var pe *ProblemsError
	if !errors.As(err, &pe) || pe.Problems[0].Pos != dir+"/cases/d.jsonl:1" {
		t.Errorf("Load: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil || errors.As(err, &pe) {
		t.Errorf("Load of a missing directory: %v, want a plain error", err)
	}
}
