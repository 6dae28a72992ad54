package main

import (
	"encoding/json"
	"fmt"

	"github.com/supportbench/supportbench/results"
)

const compareUsage = `Usage: supportbench compare RUN_A RUN_B [--json]

Compares run B with run A (the baseline), answer by answer, without any model calls.
Per model it prints each measure in A and in B, the change in percentage points, its
95% interval and McNemar's p for accuracy, and whether the change is significant;
then accuracy per category, and the cases whose verdict flipped:

  metric                A       B       delta      95% interval    p       change
  accuracy              91.3%   56.5%   -34.8 pts  [-58.3, -9.1]   0.0215  ▼ significant (worse)
  hallucination_rate    0.0%    13.0%   +13.0 pts  [+0.0, +26.1]           – not significant

Only the (case, trial) answers both runs have are compared; cases only one run has are
listed, not compared. Models are matched by name, or paired when each run has one.
Accuracy is significant when McNemar's exact test on the flipped answers gives
p < 0.05; the other measures when the 95% paired-bootstrap interval of the change
(2,000 resamples over cases, fixed seed, so the same runs always give the same
intervals) excludes zero. B regressed when its accuracy or escalation recall dropped,
or its hallucination rate rose, significantly.

--json prints the comparison as JSON: the same object as "baseline" in summary.json.

Exit codes: 0 B did not regress, 1 B regressed against A, 2 bad input (not run
directories, or no model in common).

Examples:
  supportbench compare runs/baseline runs/demo-20261124T020000Z
  supportbench compare runs/llama runs/qwen --json | jq '.models[0].metrics'
`

func cmdCompare(args []string, e *env) error {
	fs := newFlagSet("compare", compareUsage, e)
	jsonOut := fs.Bool("json", false, "print the comparison as JSON on stdout")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return usageErr("compare: name two run directories, RUN_A (the baseline) and RUN_B")
	}
	var runs [2]*results.Run
	for i, dir := range pos {
		r, err := results.ReadRun(dir)
		if err != nil {
			return usageErr("compare: %v", err)
		}
		if n := len(r.Damage.Lines); n > 0 {
			fmt.Fprintf(e.stderr, "warning: %s: %d unreadable line(s) in %s skipped\n", dir, n, results.ResultsFile)
		}
		runs[i] = r
	}
	a, b := runs[0], runs[1]
	if a.Manifest.Suite.Name != b.Manifest.Suite.Name {
		fmt.Fprintf(e.stderr, "warning: A ran suite %q, B suite %q: cases are matched by id\n", a.Manifest.Suite.Name, b.Manifest.Suite.Name)
	}
	c := results.CompareWith(a, b.Results, results.CompareOptions{})
	if len(c.Models) == 0 {
		return usageErr("compare: nothing to compare: %s and %s have no model in common", a.Dir, b.Dir)
	}
	if *jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(&c); err != nil {
			return runtimeErr(err)
		}
	} else if err := results.WriteComparisonText(e.stdout, &c, runLabel(a), runLabel(b)); err != nil {
		return runtimeErr(err)
	}
	if c.Regressed {
		return &exitError{exitGate, fmt.Errorf("%s regressed against %s", b.Dir, a.Dir)}
	}
	return nil
}

// runLabel names a run for the comparison's header: its directory, suite, start and status.
func runLabel(r *results.Run) string {
	m := r.Manifest
	return fmt.Sprintf("%s (suite %s, started %s, %s)", r.Dir, m.Suite.Name, m.Started.UTC().Format("2006-01-02 15:04 UTC"), m.Status)
}
