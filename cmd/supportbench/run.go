package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
)

const runUsage = `Usage: supportbench run [--suite DIR] [--model NAME]... [--ollama URL]... [flags]

Replays every case of the suite through each model, scores every answer, and writes a
run directory (default runs/<suite>-<UTC time>/): manifest.json, results.jsonl (one line
per case, model and trial, appended as each finishes), summary.json, junit.xml,
scorecard.xlsx and report.md.

With --baseline RUN_DIR the run is compared with an earlier run of the suite, case by
case: the change of every measure with its significance goes into summary.json
("baseline"), the scorecard's Summary sheet and report.md, and a significant drop in
accuracy or escalation recall, or rise in hallucination, exits 1 like a failed gate.
With --history DIR the scorecard gets a Trend sheet of the earlier complete runs of
the suite kept in DIR (the last 30).

Optional model-based grading, off by default, recorded beside the deterministic
verdicts and never replacing them: --judge MODEL grades every answer with a judge model
(correct, escalated, unsupported claims, a one-line reason) into the "judge" field of
results.jsonl, and summary.json, report.md and the scorecard say how often it agrees
with the deterministic verdicts; --embed-model MODEL adds the score
semantic_similarity (answer vs. the case's reference). Both run through the Ollama at
--judge-ollama URL (default: the first --ollama), after the answers, with the run's
--timeout and --retries. A failed grade is recorded, not fatal; --resume grades what
is missing.

With --redact, personal data is masked in every output ("[name 1]", "[email]",
"[phone]", "[card]", "[iban]", ...): the values of each case's customer and
other_records, and e-mail addresses, phone, card and IBAN numbers anywhere. Answers are
scored before they are masked; manifest.json records "redacted": true, and a resumed
run stays redacted. The answer cache (outside the run directory) keeps the answers as
the model gave them.

Models and generation options come from suite.yaml; flags override them. num_ctx is
measured from the suite's longest prompt unless set. Every request pins temperature,
seed, num_predict and num_ctx, and answers are cached by (model digest, request, trial),
so an unchanged case is never sent twice (--no-cache to force).

The first Ctrl-C stops sending new requests, waits for those in flight and writes the
outputs marked "interrupted" (exit 3); a second Ctrl-C aborts at once. Either way,
'supportbench run --resume DIR' runs only what is missing or failed.

Examples:
  supportbench run                                   # demo suite, supportbench-tiny
  supportbench run --suite ./my-suite --model llama3.2:3b --model qwen2.5:7b
  supportbench run --ollama gpu1:11434 --ollama gpu2:11434 --concurrency 4
  supportbench run --shard 2/4 --out runs/shard-2    # one job of a CI matrix
  supportbench run --resume runs/demo-20261123T101500Z
  supportbench run --baseline runs/baseline --history runs   # nightly: compare and trend
  supportbench run --model llama3.2:3b --judge qwen2.5:14b --embed-model nomic-embed-text
`

// runSettings are the run's choices after suite.yaml, the manifest (on resume) and flags.
type runSettings struct {
	suiteDir    string
	models      []string
	endpoints   []string
	out         string
	resume      string
	trials      int
	concurrency int
	mode        string
	timeout     time.Duration
	retries     int
	options     eval.Options
	shardK      int
	shardN      int
	noCache     bool
	cacheDir    string
	jsonOut     bool
	redact      bool
	reports     reportOptions
	graders     graderOptions
}

func cmdRun(ctx context.Context, args []string, e *env) error {
	fs := newFlagSet("run", runUsage, e)
	var st runSettings
	var models, endpoints listFlag
	fs.StringVar(&st.suiteDir, "suite", "", "suite `DIR` (default: the bundled demo suite)")
	fs.Var(&models, "model", "Ollama model `NAME` to run; repeat for several (default: suite.yaml models)")
	fs.Var(&endpoints, "ollama", "Ollama server `URL`; repeat to spread the work over several (default: $OLLAMA_HOST or 127.0.0.1:11434)")
	fs.StringVar(&st.out, "out", "", "run `DIR` to write (default: runs/<suite>-<UTC time>)")
	fs.StringVar(&st.resume, "resume", "", "continue the run in `DIR`: run only what is missing or failed")
	trials := fs.Int("trials", 0, "times each case is asked of each model (default: suite.yaml, else 1)")
	concurrency := fs.Int("concurrency", 0, "requests in flight per server (default: suite.yaml, else 4)")
	mode := fs.String("mode", "", "response `mode`: auto, tools or structured (default: suite.yaml, else auto)")
	timeout := fs.Duration("timeout", 0, "time limit per request attempt (default: suite.yaml, else 60s)")
	retries := fs.Int("retries", -1, "retries per failed request (default: suite.yaml, else 3)")
	seed := fs.Int("seed", 0, "sampling seed (default: suite.yaml, else 42)")
	temperature := fs.Float64("temperature", 0, "sampling temperature (default: suite.yaml, else 0)")
	numPredict := fs.Int("num-predict", 0, "maximum tokens per answer (default: suite.yaml, else 256)")
	numCtx := fs.Int("num-ctx", 0, "context window (default: measured from the longest prompt)")
	shard := fs.String("shard", "", "run only shard `k/n` of the cases (1 <= k <= n); merge shards with 'supportbench merge'")
	fs.BoolVar(&st.noCache, "no-cache", false, "ask the model even when a cached answer exists")
	fs.StringVar(&st.cacheDir, "cache-dir", "", "answer cache `DIR` (default: the user cache folder/supportbench/answers)")
	fs.BoolVar(&st.jsonOut, "json", false, "print the run's summary as JSON on stdout")
	fs.BoolVar(&st.redact, "redact", false, redactHelp)
	st.reports.flags(fs)
	st.graders.flags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("run: unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	var prior *results.Manifest
	if st.resume != "" {
		if st.out != "" && filepath.Clean(st.out) != filepath.Clean(st.resume) {
			return usageErr("run: --out and --resume name different directories")
		}
		m, err := results.ReadManifest(st.resume)
		if err != nil {
			return usageErr("run --resume %s: no run to resume there (%v)", st.resume, err)
		}
		if m.Command != "run" {
			return usageErr("run --resume %s: that directory holds a %q run, not a model run", st.resume, m.Command)
		}
		prior = m
		st.out = st.resume
		st.redact = st.redact || m.Redacted // a redacted run stays redacted
		st.graders.resume(m, set)
		if !set["suite"] && m.Suite.Dir != "(demo)" {
			st.suiteDir = m.Suite.Dir
		}
	}
	s, err := loadSuite(st.suiteDir, e)
	if err != nil {
		return err
	}
	if err := st.resolve(s, prior, set, models, endpoints); err != nil {
		return err
	}
	st.options.Seed = pick(set["seed"], *seed, st.options.Seed)
	st.options.Temperature = pick(set["temperature"], *temperature, st.options.Temperature)
	st.options.NumPredict = pick(set["num-predict"], *numPredict, st.options.NumPredict)
	st.options.NumCtx = pick(set["num-ctx"], *numCtx, st.options.NumCtx)
	st.trials = pick(set["trials"], *trials, st.trials)
	st.concurrency = pick(set["concurrency"], *concurrency, st.concurrency)
	st.mode = pick(set["mode"], *mode, st.mode)
	st.timeout = pick(set["timeout"], *timeout, st.timeout)
	st.retries = pick(set["retries"], *retries, st.retries)
	if set["shard"] || prior == nil {
		if st.shardK, st.shardN, err = parseShard(*shard); err != nil {
			return err
		}
	}
	if err := st.check(); err != nil {
		return err
	}
	if prior != nil && prior.Suite.Hash != s.Hash {
		return usageErr("run --resume %s: the suite changed since the run started (hash %.12s, now %.12s); start a new run", st.resume, prior.Suite.Hash, s.Hash)
	}
	if err := st.reports.check("run", s); err != nil {
		return err
	}
	return execute(ctx, s, &st, prior, e)
}

// resolve fills settings from the manifest being resumed, else the suite, then flags.
func (st *runSettings) resolve(s *eval.Suite, prior *results.Manifest, set map[string]bool, models, endpoints []string) error {
	st.models, st.trials, st.concurrency, st.mode = s.Models, s.Trials, s.Concurrency, s.Mode
	st.timeout, st.retries, st.options = time.Duration(s.Timeout), s.Retries, s.Options
	st.shardK, st.shardN = 1, 1
	if prior != nil {
		st.models = nil
		for _, m := range prior.Models {
			st.models = append(st.models, m.Name)
		}
		st.trials, st.concurrency, st.retries, st.options = prior.Trials, prior.Concurrency, prior.Retries, prior.Options
		if d, err := time.ParseDuration(prior.Timeout); err == nil {
			st.timeout = d
		}
		st.endpoints = prior.Endpoints
		if prior.Shard != "" {
			st.shardK, st.shardN, _ = parseShard(prior.Shard)
		}
		if len(prior.Models) > 0 && prior.Models[0].Mode != "" && !set["mode"] {
			st.mode = prior.Models[0].Mode
		}
	}
	if len(models) > 0 {
		if prior != nil {
			return usageErr("run --resume: the models are those of the run being resumed; start a new run to change them")
		}
		st.models = models
	}
	if len(endpoints) > 0 {
		st.endpoints = endpoints
	}
	if len(st.endpoints) == 0 {
		st.endpoints = []string{os.Getenv("OLLAMA_HOST")}
	}
	return nil
}

func (st *runSettings) check() error {
	switch {
	case len(st.models) == 0:
		return usageErr("run: no model: pass --model NAME or list models in suite.yaml")
	case st.trials < 1:
		return usageErr("run: --trials must be at least 1")
	case st.concurrency < 1:
		return usageErr("run: --concurrency must be at least 1")
	case st.retries < 0:
		return usageErr("run: --retries must not be negative")
	case st.options.Temperature < 0 || st.options.Temperature > 2:
		return usageErr("run: --temperature must be between 0 and 2")
	case st.options.NumCtx < 0 || st.options.NumPredict < 0:
		return usageErr("run: --num-ctx and --num-predict must not be negative")
	}
	switch st.mode {
	case eval.ModeAuto, eval.ModeTools, eval.ModeStructured:
	default:
		return usageErr("run: --mode must be auto, tools or structured, not %q", st.mode)
	}
	seen := map[string]bool{}
	for _, m := range st.models {
		if seen[m] {
			return usageErr("run: model %q is listed twice", m)
		}
		seen[m] = true
	}
	return nil
}

func pick[T any](isSet bool, flagValue, current T) T {
	if isSet {
		return flagValue
	}
	return current
}

// parseShard parses "k/n"; "" is the whole suite (1/1).
func parseShard(s string) (int, int, error) {
	if s == "" {
		return 1, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return 0, 0, usageErr("run: --shard must be k/n with 1 <= k <= n, e.g. 2/4, not %q", s)
	}
	return k, n, nil
}

// inShard reports whether a case belongs to shard k of n. Cases are assigned by a hash
// of their id, so adding a case does not move the others between shards.
func inShard(id string, k, n int) bool {
	if n <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32()%uint32(n)) == k-1
}

// defaultOut is runs/<suite>-<UTC time>.
func defaultOut(suite string, now time.Time) string {
	return filepath.Join("runs", fmt.Sprintf("%s-%s", safeName(suite), now.UTC().Format("20060102T150405Z")))
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, s)
}

// errInterrupted marks a run stopped by Ctrl-C.
var errInterrupted = errors.New("interrupted")
