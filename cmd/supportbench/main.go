// Command supportbench replays labelled customer-support questions through local models
// served by Ollama, scores every answer for accuracy, hallucination and escalation
// correctness, and writes scorecards for people and machine-readable results for CI.
//
// Usage:
//
//	supportbench run      [--suite DIR] [--model NAME]... [--ollama URL]... [--out DIR] [flags]
//	supportbench score    [--suite DIR] --answers FILE [--out DIR]
//	supportbench report   RUN_DIR [--baseline RUN_DIR] [--suite DIR] [--history DIR]
//	supportbench compare  RUN_A RUN_B [--json]
//	supportbench validate [--suite DIR]
//	supportbench merge    --out DIR RUN_DIR...
//	supportbench version
//
// run, score and report take --baseline RUN_DIR (compare with an earlier run; a
// significant regression exits 1) and --history DIR (a Trend sheet of the earlier
// runs kept in DIR).
//
// Without --suite, the bundled demo suite is used. Run `supportbench COMMAND --help`
// for each command's flags and examples.
//
// Exit codes:
//
//	0  the run completed and every gate passed
//	1  the run completed and a gate failed (or quality regressed against the baseline)
//	2  bad usage or invalid input (suite, case files, flags) — nothing was run
//	3  the run could not complete (server unreachable, model missing, interrupted, disk);
//	   what finished is on disk and `supportbench run --resume DIR` continues it
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// version is set at link time (-ldflags "-X main.version=v1.2.3"); otherwise the
// module version from the build info is used.
var version = ""

// Exit codes, as documented in the package comment.
const (
	exitOK      = 0
	exitGate    = 1
	exitUsage   = 2
	exitRuntime = 3
)

// exitError carries an exit code with its message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, a ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, a...)}
}

func runtimeErr(err error) error { return &exitError{exitRuntime, err} }

// env is what a command needs from the process: its streams and its interrupts. Tests
// build their own.
type env struct {
	stdout, stderr io.Writer
	// interrupts delivers Ctrl-C: the first stops dispatching, the second aborts.
	interrupts <-chan os.Signal
	// isTerminal reports whether stderr is a terminal (progress bars) or not (log lines).
	isTerminal bool
	getenv     func(string) string
}

const mainUsage = `supportbench — can we trust this model with our customers?

Usage:
  supportbench run      [--suite DIR] [--model NAME]... [--ollama URL]... [flags]
                        replay the suite's cases through models served by Ollama
  supportbench score    [--suite DIR] --answers FILE
                        score recorded answers (JSONL), no model server needed
  supportbench report   RUN_DIR [--baseline RUN_DIR] [--history DIR]
                        re-render a run's outputs from its results, no model calls
  supportbench compare  RUN_A RUN_B [--json]
                        what changed from run A to run B, with significance
  supportbench validate [--suite DIR]
                        check a suite and print its inventory
  supportbench merge    --out DIR RUN_DIR...
                        merge shard runs into one run
  supportbench version  print the version

Without --suite the bundled demo suite is used.
Run 'supportbench COMMAND --help' for a command's flags and examples.

run, score and report take --baseline RUN_DIR to compare with an earlier run.

Exit codes: 0 passed, 1 a gate failed or quality regressed against the baseline,
2 invalid input (nothing ran), 3 the run could not complete (resume it with
'supportbench run --resume DIR').
`

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: large runs collect garbage sooner instead of growing the heap.
		debug.SetMemoryLimit(256 << 20)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	e := &env{stdout: os.Stdout, stderr: os.Stderr, interrupts: sigs, isTerminal: isTerminal(os.Stderr), getenv: os.Getenv}
	os.Exit(Main(ctx, os.Args[1:], e))
}

// Main runs one command and returns its exit code.
func Main(ctx context.Context, args []string, e *env) int {
	err := dispatch(ctx, args, e)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(e.stderr, "supportbench:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(e.stderr, "supportbench:", err)
	return exitRuntime
}

func dispatch(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, mainUsage)
		return &exitError{exitUsage, errors.New("")}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return cmdRun(ctx, rest, e)
	case "score":
		return cmdScore(ctx, rest, e)
	case "report":
		return cmdReport(rest, e)
	case "compare":
		return cmdCompare(rest, e)
	case "validate":
		return cmdValidate(rest, e)
	case "merge":
		return cmdMerge(rest, e)
	case "version", "--version", "-version":
		fmt.Fprintln(e.stdout, "supportbench", toolVersion())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, mainUsage)
		return nil
	}
	fmt.Fprint(e.stderr, mainUsage)
	return usageErr("unknown command %q", cmd)
}

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		if v != "" {
			return v
		}
	}
	return "(devel)"
}

// newFlagSet returns a flag set that prints usage to stderr and returns errors.
func newFlagSet(name, usage string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, usage)
		fmt.Fprintln(e.stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and maps parse errors to exit code 2.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{exitUsage, errors.New("")}
	}
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return fmt.Sprint([]string(*l)) }
func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}
