package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/supportbench/supportbench/datasets"
	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
	"github.com/supportbench/supportbench/scorers"
)

const scoreUsage = `Usage: supportbench score [--suite DIR] --answers FILE [--out DIR] [--baseline RUN_DIR] [--history DIR]
                          [--judge MODEL] [--embed-model MODEL] [--judge-ollama URL] [--json]

Scores answers produced elsewhere (a hosted bot, production logs) against the suite's
labels, with no model server: the same verdicts, summary, scorecard and exit codes as
'supportbench run'. FILE is JSONL, one object per answer:

  {"id": "ret-001", "model": "prod-bot", "answer": "...", "tool_calls": [...], "confidence": 0.8}

id and model and answer are required; tool_calls ({name, arguments}) and confidence
(0..1) are optional. Several answers for the same id and model are trials 1, 2, ...

--redact masks personal data in every output, as 'supportbench run --redact' does.

--baseline RUN_DIR compares the answers with an earlier run (exit 1 when quality
regressed significantly); --history DIR adds a Trend sheet of the earlier runs in DIR.

--judge MODEL also grades every answer with a judge model served by Ollama, recorded
beside the deterministic verdict ("judge" in results.jsonl; its agreement with the
verdicts in summary.json, report.md and the scorecard); --embed-model MODEL adds the
score semantic_similarity (answer vs. the case's reference). Both use the Ollama at
--judge-ollama URL (default $OLLAMA_HOST, else 127.0.0.1:11434) and are off by default;
a failed grade is recorded, not fatal.

Examples:
  supportbench score --answers datasets/demo-answers/careful-bot.jsonl
  supportbench score --suite ./my-suite --answers prod-2026-11.jsonl --out runs/prod-nov
  supportbench score --suite ./my-suite --answers prod-2026-12.jsonl --baseline runs/prod-nov
  supportbench score --answers prod-2026-12.jsonl --judge qwen2.5:14b --embed-model nomic-embed-text
`

func cmdScore(ctx context.Context, args []string, e *env) error {
	fs := newFlagSet("score", scoreUsage, e)
	dir := fs.String("suite", "", "suite `DIR` (default: the bundled demo suite)")
	answers := fs.String("answers", "", "recorded answers `FILE` (JSONL)")
	out := fs.String("out", "", "run `DIR` to write (default: runs/<suite>-<UTC time>)")
	jsonOut := fs.Bool("json", false, "print the summary as JSON on stdout")
	redact := redactFlag(fs)
	var ro reportOptions
	ro.flags(fs)
	var gr graderOptions
	gr.flags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *answers == "" {
		fs.Usage()
		return usageErr("score: --answers FILE is required")
	}
	if fs.NArg() > 0 {
		return usageErr("score: unexpected argument %q", fs.Arg(0))
	}
	s, err := loadSuite(*dir, e)
	if err != nil {
		return err
	}
	recs, err := datasets.LoadAnswers(*answers, s)
	if err != nil {
		return reportProblems(err, *answers, e)
	}
	if err := ro.check("score", s); err != nil {
		return err
	}
	g, err := prepareGraders(ctx, s, gr, e.getenv("OLLAMA_HOST"), graderSettings{retries: s.Retries, timeout: time.Duration(s.Timeout)})
	if err != nil {
		return err
	}
	now := time.Now()
	if *out == "" {
		*out = defaultOut(s.Name, now)
	}
	unlock, err := openRunDir(*out, false)
	if err != nil {
		return err
	}
	defer unlock()

	man := &results.Manifest{Tool: "supportbench", Version: toolVersion(), Command: "score", Started: now,
		Suite: results.SuiteInfo{Name: s.Name, Dir: s.Dir, Hash: s.Hash, Cases: len(s.Cases)}, Status: results.StatusRunning, Trials: 1}
	man.Counts.Planned = len(recs)
	man.Redacted = *redact
	g.record(man)
	seen := map[string]bool{}
	for _, r := range recs {
		if !seen[r.Answer.Model] {
			seen[r.Answer.Model] = true
			man.Models = append(man.Models, results.ModelInfo{ModelInfo: eval.ModelInfo{Name: r.Answer.Model}, Mode: eval.ModeRecorded})
		}
		man.Trials = max(man.Trials, r.Trial)
	}
	if err := results.WriteManifest(*out, man); err != nil {
		return runtimeErr(err)
	}
	w, err := results.Append(filepath.Join(*out, results.ResultsFile))
	if err != nil {
		return runtimeErr(err)
	}
	sc := scorers.New(s)
	red := redactorFor(man, s)
	byID := make(map[string]*eval.Case, len(s.Cases))
	for i := range s.Cases {
		byID[s.Cases[i].ID] = &s.Cases[i]
	}
	var runErr error
	for _, r := range recs {
		if ctx.Err() != nil {
			runErr = errInterrupted
			break
		}
		c := byID[r.CaseID]
		a := r.Answer
		a.Mode = eval.ModeRecorded
		res := eval.NewResult(c, &a, r.Trial)
		res.Verdict = sc.Score(c, &a)
		if err := w.Write(red.Result(res)); err != nil {
			runErr = err
			break
		}
	}
	if cerr := w.Close(); runErr == nil {
		runErr = cerr
	}
	if g != nil && runErr == nil {
		stop, release := stopOnInterrupt(e)
		interrupted, gerr := g.grade(ctx, stop, *out, s.Concurrency, e)
		release()
		if runErr = gerr; interrupted && gerr == nil {
			runErr = errInterrupted
		}
	}
	man.Status = results.StatusComplete
	if runErr != nil {
		man.Status = results.StatusFailed
	}
	return finish(*out, s, man, ro, *jsonOut, runErr, e)
}

// reportProblems prints validation problems of an input file and maps them to exit 2.
func reportProblems(err error, file string, e *env) error {
	if pe, ok := err.(*datasets.ProblemsError); ok {
		for _, p := range pe.Problems {
			fmt.Fprintln(e.stderr, p)
		}
		return usageErr("%d problem(s) in %s: nothing was scored", len(pe.Problems), file)
	}
	return usageErr("%s: %w", file, err)
}
