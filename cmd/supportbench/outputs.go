package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
)

// openRunDir creates the run directory and takes its lock, so two runs never write into
// one directory at once. A directory that already holds results is only reopened to
// resume. An unwritable place fails here, before any model call.
func openRunDir(dir string, resuming bool) (unlock func(), err error) {
	if !resuming {
		if _, err := os.Stat(filepath.Join(dir, results.ResultsFile)); err == nil {
			return nil, usageErr("%s already holds a run: resume it with --resume %s, or choose another --out", dir, dir)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, runtimeErr(fmt.Errorf("create run directory: %w", err))
	}
	lock := filepath.Join(dir, results.LockFile)
	for range 2 {
		f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			if cerr := f.Close(); cerr != nil {
				return nil, runtimeErr(fmt.Errorf("lock %s: %w", dir, cerr))
			}
			return func() { os.Remove(lock) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, runtimeErr(fmt.Errorf("lock %s: %w", dir, err))
		}
		data, _ := os.ReadFile(lock)
		pid, perr := strconv.Atoi(strings.TrimSpace(string(data)))
		if perr == nil && pid > 0 && syscall.Kill(pid, 0) == nil {
			return nil, usageErr("another supportbench (pid %d) is writing to %s; wait for it or choose another --out", pid, dir)
		}
		os.Remove(lock) // left by a process that is gone
	}
	return nil, runtimeErr(fmt.Errorf("lock %s: could not take the lock", dir))
}

// finish reads the run's results and writes summary.json, junit.xml, scorecard.xlsx,
// report.md and the final manifest, prints the headline, and turns the outcome into
// an exit code. ro holds the optional baseline and history of the reports.
func finish(dir string, s *eval.Suite, man *results.Manifest, ro reportOptions, jsonOut bool, runErr error, e *env) error {
	rs, err := readResults(dir, e)
	if err != nil {
		return runtimeErr(err)
	}
	rs, rerr := maskResultsFile(dir, s, man, rs)
	countResults(man, rs)
	man.Ended = time.Now()
	out, werr := writeReports(dir, s, man, rs, ro, e)
	werr = errors.Join(rerr, werr)
	werr = errors.Join(werr, results.WriteManifest(dir, man))
	if werr != nil {
		return runtimeErr(fmt.Errorf("write outputs in %s: %w", dir, werr))
	}
	printHeadline(dir, out, man, jsonOut, e)
	return outcome(dir, man, out, len(rs), runErr, e)
}

// readResults reads the run's results.jsonl (none yet is no error), warns about
// damaged lines, and compacts the results.
func readResults(dir string, e *env) ([]eval.Result, error) {
	rs, damage, err := results.ReadFile(filepath.Join(dir, results.ResultsFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if len(damage.Lines) > 0 {
		fmt.Fprintf(e.stderr, "warning: %d unreadable line(s) in %s skipped (lines %v)\n", len(damage.Lines), results.ResultsFile, damage.Lines)
	}
	return results.Compact(rs), nil
}

// countResults sets the manifest's result counts from the compacted results.
func countResults(man *results.Manifest, rs []eval.Result) {
	man.Counts.Results, man.Counts.Errors, man.Counts.Cached = len(rs), 0, 0
	for _, r := range rs {
		if r.Error != "" {
			man.Counts.Errors++
		}
		if r.Cached {
			man.Counts.Cached++
		}
	}
}

// summarize aggregates the results and checks the suite's gates.
func summarize(s *eval.Suite, man *results.Manifest, rs []eval.Result) *results.Summary {
	sum := &results.Summary{Suite: s.Name, Hash: s.Hash, Status: man.Status, Models: results.SummarizeWith(rs, results.SuiteSettings(s))}
	sum.Gates = results.CheckGates(s.Gates, sum.Models)
	sum.Passed = results.AllPassed(sum.Gates)
	return sum
}

// outcome turns a finished run into its exit code: 3 when it could not complete, 1
// when a gate failed or quality regressed against the baseline, else 0.
func outcome(dir string, man *results.Manifest, out *reports, n int, runErr error, e *env) error {
	switch {
	case errors.Is(runErr, errInterrupted):
		return runtimeErr(fmt.Errorf("interrupted: %d of %d results on disk; continue with: supportbench run --resume %s", n, man.Counts.Planned, dir))
	case runErr != nil:
		return runtimeErr(fmt.Errorf("%w; what finished is in %s; continue with: supportbench run --resume %s", runErr, dir, dir))
	case man.Counts.Errors > 0:
		return runtimeErr(fmt.Errorf("%d request(s) failed after retries (see the error field in %s); retry them with: supportbench run --resume %s",
			man.Counts.Errors, filepath.Join(dir, results.ResultsFile), dir))
	case out.baselineErr != nil:
		return runtimeErr(fmt.Errorf("compare with the baseline: %w; the other outputs are written: compare again with: supportbench report %s --baseline DIR", out.baselineErr, dir))
	}
	var why []string
	if !out.sum.Passed {
		for _, g := range out.sum.Gates {
			if !g.Passed {
				fmt.Fprintln(e.stderr, "gate failed:", g)
			}
		}
		why = append(why, "quality gates failed")
	}
	if c := out.baseline; c != nil && c.Regressed {
		for _, m := range c.Models {
			if m.Regressed {
				fmt.Fprintf(e.stderr, "regressed against the baseline: %s\n", results.RegressionSummary(&m))
			}
		}
		why = append(why, "quality regressed against the baseline "+c.Dir)
	}
	if len(why) > 0 {
		return &exitError{exitGate, fmt.Errorf("%s (NO-GO); see %s", strings.Join(why, " and "), filepath.Join(dir, results.MarkdownFile))}
	}
	return nil
}

// printHeadline prints the run directory, per-model headline numbers and the change
// against the baseline on stdout (or the summary as JSON).
func printHeadline(dir string, out *reports, man *results.Manifest, jsonOut bool, e *env) {
	sum := out.sum
	if jsonOut {
		doc := struct {
			Dir      string                  `json:"dir"`
			Manifest *results.Manifest       `json:"manifest"`
			Summary  results.SummaryDocument `json:"summary"`
		}{dir, man, results.SummaryDocument{Summary: sum, Baseline: out.baseline}}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(doc)
		return
	}
	fmt.Fprintln(e.stdout, dir)
	for _, m := range sum.Models {
		latency := ""
		if m.LatencyMS.N > 0 {
			latency = fmt.Sprintf(", p50 %.0f ms", m.LatencyMS.P50)
		}
		fmt.Fprintf(e.stdout, "%s: accuracy %.1f%% [%.1f–%.1f], hallucination %.1f%%, escalation recall %.1f%% precision %.1f%%, %d answers, %d errors%s\n",
			m.Model, 100*m.Accuracy.Value, 100*m.Accuracy.Low, 100*m.Accuracy.High, 100*m.Hallucination.Value,
			100*m.Escalation.Recall.Value, 100*m.Escalation.Precision.Value, m.Results-m.Errors, m.Errors, latency)
	}
	if c := out.baseline; c != nil {
		for _, m := range c.Models {
			fmt.Fprintf(e.stdout, "%s against the baseline %s: %s\n", m.Model, c.Dir, results.ChangeSummary(&m))
		}
	}
	verdict := "GO: every gate passed"
	if !sum.Passed {
		verdict = "NO-GO: a gate failed"
	}
	if len(sum.Gates) == 0 {
		verdict = "no gates set"
	}
	if c := out.baseline; c != nil && c.Regressed {
		verdict = "NO-GO: quality regressed against the baseline"
		if !sum.Passed {
			verdict = "NO-GO: a gate failed and quality regressed against the baseline"
		}
	}
	fmt.Fprintf(e.stdout, "status %s, %s\n", man.Status, verdict)
}
