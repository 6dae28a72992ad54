package main

import (
	"bytes"
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

// finish reads the run's results and writes summary.json, junit.xml, scorecard.xlsx and
// the final manifest, prints the headline, and turns the outcome into an exit code.
func finish(dir string, s *eval.Suite, man *results.Manifest, jsonOut bool, runErr error, e *env) error {
	rs, damage, err := results.ReadFile(filepath.Join(dir, results.ResultsFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return runtimeErr(err)
	}
	if len(damage.Lines) > 0 {
		fmt.Fprintf(e.stderr, "warning: %d unreadable line(s) in %s skipped (lines %v)\n", len(damage.Lines), results.ResultsFile, damage.Lines)
	}
	rs = results.Compact(rs)
	man.Counts.Results, man.Counts.Errors, man.Counts.Cached = len(rs), 0, 0
	for _, r := range rs {
		if r.Error != "" {
			man.Counts.Errors++
		}
		if r.Cached {
			man.Counts.Cached++
		}
	}
	sum := &results.Summary{Suite: s.Name, Hash: s.Hash, Status: man.Status, Models: results.Summarize(rs)}
	sum.Gates = results.CheckGates(s.Gates, sum.Models)
	sum.Passed = results.AllPassed(sum.Gates)
	man.Ended = time.Now()

	var werr error
	werr = errors.Join(werr, results.WriteSummary(dir, sum))
	var junit bytes.Buffer
	if err := results.WriteJUnit(&junit, s.Name, rs); err != nil {
		werr = errors.Join(werr, err)
	} else {
		werr = errors.Join(werr, eval.WriteFileAtomic(filepath.Join(dir, results.JUnitFile), junit.Bytes()))
	}
	werr = errors.Join(werr, writeScorecard(dir, &results.Report{Suite: s, Manifest: man, Summary: sum, Results: rs, Now: man.Ended}))
	werr = errors.Join(werr, results.WriteManifest(dir, man))
	if werr != nil {
		return runtimeErr(fmt.Errorf("write outputs in %s: %w", dir, werr))
	}
	printHeadline(dir, sum, man, jsonOut, e)

	switch {
	case errors.Is(runErr, errInterrupted):
		return runtimeErr(fmt.Errorf("interrupted: %d of %d results on disk; continue with: supportbench run --resume %s", len(rs), man.Counts.Planned, dir))
	case runErr != nil:
		return runtimeErr(fmt.Errorf("%w; what finished is in %s; continue with: supportbench run --resume %s", runErr, dir, dir))
	case man.Counts.Errors > 0:
		return runtimeErr(fmt.Errorf("%d request(s) failed after retries (see the error field in %s); retry them with: supportbench run --resume %s",
			man.Counts.Errors, filepath.Join(dir, results.ResultsFile), dir))
	case !sum.Passed:
		for _, g := range sum.Gates {
			if !g.Passed {
				fmt.Fprintln(e.stderr, "gate failed:", g)
			}
		}
		return &exitError{exitGate, errors.New("quality gates failed (NO-GO); see summary.json")}
	}
	return nil
}

// writeScorecard writes scorecard.xlsx atomically.
func writeScorecard(dir string, rep *results.Report) error {
	var buf bytes.Buffer
	if err := results.WriteXLSX(&buf, rep); err != nil {
		return err
	}
	return eval.WriteFileAtomic(filepath.Join(dir, results.XLSXFile), buf.Bytes())
}

// printHeadline prints the run directory and per-model headline numbers on stdout (or
// the summary as JSON).
func printHeadline(dir string, sum *results.Summary, man *results.Manifest, jsonOut bool, e *env) {
	if jsonOut {
		out := struct {
			Dir      string            `json:"dir"`
			Manifest *results.Manifest `json:"manifest"`
			Summary  *results.Summary  `json:"summary"`
		}{dir, man, sum}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
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
	verdict := "GO: every gate passed"
	if !sum.Passed {
		verdict = "NO-GO: a gate failed"
	}
	if len(sum.Gates) == 0 {
		verdict = "no gates set"
	}
	fmt.Fprintf(e.stdout, "status %s, %s\n", man.Status, verdict)
}
