package main

import (
	"errors"
	"fmt"

	"github.com/supportbench/supportbench/datasets"
	"github.com/supportbench/supportbench/eval"
)

const validateUsage = `Usage: supportbench validate [--suite DIR]

Loads a suite (suite.yaml, knowledge/, cases/), reports every problem at once as
file:line: field: message, and prints an inventory: cases per category, the share
that should escalate, escalation reasons, languages and tags.

Examples:
  supportbench validate                      # the bundled demo suite
  supportbench validate --suite ./my-suite

Exit code 0 when the suite is valid, 2 when it has problems.
`

func cmdValidate(args []string, e *env) error {
	fs := newFlagSet("validate", validateUsage, e)
	dir := fs.String("suite", "", "suite `DIR` (default: the bundled demo suite)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("validate: unexpected argument %q (use --suite DIR)", fs.Arg(0))
	}
	s, err := loadSuite(*dir, e)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "valid: no problems found")
	return datasets.Summarize(s).WriteText(e.stdout)
}

// loadSuite loads the suite at dir, or the demo suite when dir is empty. Validation
// problems are printed to stderr, one per line, and become exit code 2.
func loadSuite(dir string, e *env) (*eval.Suite, error) {
	var s *eval.Suite
	var err error
	if dir == "" {
		s, err = datasets.Demo()
	} else {
		s, err = datasets.Load(dir)
	}
	if err == nil {
		return s, nil
	}
	var pe *datasets.ProblemsError
	if errors.As(err, &pe) {
		for _, p := range pe.Problems {
			fmt.Fprintln(e.stderr, p)
		}
		return nil, usageErr("%d problem(s) in suite %s: nothing was run", len(pe.Problems), suiteLabel(dir))
	}
	return nil, usageErr("%w", err)
}

func suiteLabel(dir string) string {
	if dir == "" {
		return "(demo)"
	}
	return dir
}
