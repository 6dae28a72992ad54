package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/supportbench/supportbench/datasets"
	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
)

const reportUsage = `Usage: supportbench report RUN_DIR [--baseline RUN_DIR] [--suite DIR] [--history DIR] [--json]

Re-renders every output of a run — summary.json, junit.xml, scorecard.xlsx and
report.md — from its results.jsonl, without calling any model and without a model
server: to add a comparison with a baseline or a Trend sheet afterwards, to render a
run with a newer supportbench, or to render a run copied from another machine.
manifest.json and results.jsonl are left as they are. With --redact (implied for a run
made with --redact) the reports mask personal data, as 'supportbench run --redact' does;
results.jsonl is not rewritten.

The suite (questions, expected answers, gates) is the one recorded in the run's
manifest, or --suite DIR; it must be the suite the run used (the same content hash).

Exit codes are those of the run: 0 every gate passed (and nothing regressed against
--baseline), 1 a gate failed or quality regressed, 2 bad input (not a run directory,
another suite), 3 the run did not complete or has failed requests.

Examples:
  supportbench report runs/demo-20261123T101500Z
  supportbench report runs/demo-20261124T020000Z --baseline runs/baseline --history runs
  supportbench report runs/prod-nov --suite ./my-suite
`

// reportOptions are the optional inputs of a run's reports.
type reportOptions struct {
	// baseline is a run directory to compare with.
	baseline string
	// history is a folder of earlier run directories for the Trend sheet.
	history string
}

// flags declares --baseline and --history on fs.
func (o *reportOptions) flags(fs *flag.FlagSet) {
	fs.StringVar(&o.baseline, "baseline", "", "compare with the run in `RUN_DIR`; a significant regression exits 1")
	fs.StringVar(&o.history, "history", "", "add a Trend sheet of the earlier complete runs of the suite in `DIR` (the last 30)")
}

// check validates the options before anything runs: the baseline must be a run of the
// same suite, the history a directory.
func (o *reportOptions) check(command string, s *eval.Suite) error {
	if o.baseline != "" {
		m, err := results.ReadManifest(o.baseline)
		if err != nil {
			return usageErr("%s --baseline %s: not a run directory (%v)", command, o.baseline, err)
		}
		if _, err := os.Stat(filepath.Join(o.baseline, results.ResultsFile)); err != nil {
			return usageErr("%s --baseline %s: no %s there (%v)", command, o.baseline, results.ResultsFile, err)
		}
		if m.Suite.Name != s.Name {
			return usageErr("%s --baseline %s: that is a run of suite %q, not %q", command, o.baseline, m.Suite.Name, s.Name)
		}
	}
	if o.history != "" {
		if info, err := os.Stat(o.history); err != nil || !info.IsDir() {
			return usageErr("%s --history %s: not a directory", command, o.history)
		}
	}
	return nil
}

// reports is what writeReports computed.
type reports struct {
	sum      *results.Summary
	baseline *results.Comparison
	// baselineErr is why the baseline could not be compared; the other outputs are
	// written without it.
	baselineErr error
}

// writeReports computes the summary (and the comparison with the baseline) of a run's
// results and writes summary.json, junit.xml, scorecard.xlsx and report.md.
func writeReports(dir string, s *eval.Suite, man *results.Manifest, rs []eval.Result, opts reportOptions, e *env) (*reports, error) {
	if red := redactorFor(man, s); red != nil {
		s, rs = red.Suite(s), red.Results(rs)
	}
	out := &reports{sum: summarize(s, man, rs)}
	if opts.baseline != "" {
		out.baseline, out.baselineErr = compareBaseline(opts.baseline, s, rs, e)
	}
	rep := &results.Report{Suite: s, Manifest: man, Summary: out.sum, Results: rs, Now: man.Ended, Baseline: out.baseline}
	if opts.history != "" {
		rep.History = readHistory(opts.history, dir, s, man, out.sum, e)
	}
	var werr error
	werr = errors.Join(werr, results.WriteSummaryDocument(dir, out.sum, out.baseline))
	werr = errors.Join(werr, eval.WriteAtomic(filepath.Join(dir, results.JUnitFile), func(w io.Writer) error {
		return results.WriteJUnit(w, s.Name, rs)
	}))
	werr = errors.Join(werr, eval.WriteAtomic(filepath.Join(dir, results.XLSXFile), func(w io.Writer) error {
		return results.WriteXLSX(w, rep)
	}))
	werr = errors.Join(werr, eval.WriteAtomic(filepath.Join(dir, results.MarkdownFile), func(w io.Writer) error {
		return results.WriteMarkdown(w, rep)
	}))
	return out, werr
}

// compareBaseline compares the results with the baseline run in dir, warning about
// what may make the comparison weaker than it looks.
func compareBaseline(dir string, s *eval.Suite, rs []eval.Result, e *env) (*results.Comparison, error) {
	base, err := results.ReadRun(dir)
	if err != nil {
		return nil, err
	}
	if n := len(base.Damage.Lines); n > 0 {
		fmt.Fprintf(e.stderr, "warning: baseline %s: %d unreadable line(s) in %s skipped\n", dir, n, results.ResultsFile)
	}
	if base.Manifest.Status != results.StatusComplete {
		fmt.Fprintf(e.stderr, "warning: baseline %s is %s, not complete: compared on the answers it has\n", dir, base.Manifest.Status)
	}
	if base.Manifest.Suite.Hash != s.Hash {
		fmt.Fprintf(e.stderr, "note: baseline %s ran another version of suite %s (hash %.12s, now %.12s): cases are matched by id, and cases only one run has are not compared\n",
			dir, s.Name, base.Manifest.Suite.Hash, s.Hash)
	}
	c := results.CompareWith(base, rs, results.CompareOptions{})
	if len(c.Models) == 0 {
		fmt.Fprintf(e.stderr, "warning: baseline %s has none of this run's models: nothing compared\n", dir)
	}
	return &c, nil
}

// readHistory reads the earlier runs of the suite in dir and adds this run as the last
// point. Problems only cost the Trend sheet a run, so they are warnings.
func readHistory(dir, runDir string, s *eval.Suite, man *results.Manifest, sum *results.Summary, e *env) []results.HistoryPoint {
	pts, skipped, err := results.ReadHistory(dir, s.Name, results.MaxHistoryRuns-1, runDir)
	if err != nil {
		fmt.Fprintf(e.stderr, "warning: --history: %v\n", err)
	}
	for _, sk := range skipped {
		fmt.Fprintf(e.stderr, "warning: --history: run skipped: %s\n", sk)
	}
	name := runDir
	if abs, err := filepath.Abs(runDir); err == nil {
		name = abs
	}
	return append(pts, results.HistoryOf(filepath.Base(name), man, sum)...)
}

func cmdReport(args []string, e *env) error {
	fs := newFlagSet("report", reportUsage, e)
	suiteDir := fs.String("suite", "", "suite `DIR` (default: the one recorded in the run's manifest)")
	jsonOut := fs.Bool("json", false, "print the summary as JSON on stdout")
	redact := redactFlag(fs)
	var ro reportOptions
	ro.flags(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return usageErr("report: name one RUN_DIR")
	}
	dir := pos[0]
	man, err := results.ReadManifest(dir)
	if err != nil {
		return usageErr("report: %s is not a run directory (%v)", dir, err)
	}
	man.Redacted = man.Redacted || *redact // the reports of a redacted run stay redacted
	if *suiteDir == "" && man.Suite.Dir != datasets.DemoDir {
		*suiteDir = man.Suite.Dir
	}
	s, err := loadSuite(*suiteDir, e)
	if err != nil {
		return err
	}
	if s.Hash != man.Suite.Hash {
		return usageErr("report: the suite at %s is not the one %s used (hash %.12s, the run's %.12s); pass --suite with the suite it ran",
			suiteLabel(*suiteDir), dir, s.Hash, man.Suite.Hash)
	}
	if err := ro.check("report", s); err != nil {
		return err
	}
	unlock, err := openRunDir(dir, true) // never while a run is writing there
	if err != nil {
		return err
	}
	defer unlock()
	rs, err := readResults(dir, e)
	if err != nil {
		return runtimeErr(err)
	}
	countResults(man, rs) // for the exit code; manifest.json is not rewritten
	out, err := writeReports(dir, s, man, rs, ro, e)
	if err != nil {
		return runtimeErr(fmt.Errorf("write outputs in %s: %w", dir, err))
	}
	printHeadline(dir, out, man, *jsonOut, e)
	return outcome(dir, man, out, len(rs), statusErr(man), e)
}

// statusErr is how a recorded run ended, as the error finish was given then.
func statusErr(m *results.Manifest) error {
	switch m.Status {
	case results.StatusComplete:
		return nil
	case results.StatusFailed:
		return errors.New(cmp.Or(m.Error, "the run failed"))
	}
	return errInterrupted // interrupted, or still "running": stopped without a word
}

// parseArgs parses flags that may come before, between or after the positional
// arguments ("report RUN_DIR --baseline DIR") and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
