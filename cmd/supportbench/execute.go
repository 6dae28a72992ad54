package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
	"github.com/supportbench/supportbench/scorers"
)

// execute runs a resolved run: it prepares the run directory and the models, replays
// the jobs, and writes the outputs.
func execute(ctx context.Context, s *eval.Suite, st *runSettings, prior *results.Manifest, e *env) error {
	now := time.Now()
	if st.out == "" {
		st.out = defaultOut(s.Name, now)
	}
	unlock, err := openRunDir(st.out, prior != nil)
	if err != nil {
		return err
	}
	defer unlock()

	var cache eval.Cache
	if !st.noCache {
		cache = eval.DirCache{Dir: cacheDir(st.cacheDir, e)}
	}
	servers := make([]*eval.Ollama, 0, len(st.endpoints))
	for _, ep := range st.endpoints {
		u, err := eval.ParseEndpoint(ep)
		if err != nil {
			return usageErr("run: %w", err)
		}
		srv := eval.NewOllama(u, nil)
		if _, err := srv.Version(ctx); err != nil {
			return runtimeErr(fmt.Errorf("no Ollama server answers at %s (%v): start one (ollama serve, or dev/ollama.sh up in this repository) or pass --ollama URL", u, err))
		}
		servers = append(servers, srv)
	}
	g, err := prepareGraders(ctx, s, st.graders, st.endpoints[0], graderSettings{retries: st.retries, timeout: st.timeout, cache: cache})
	if err != nil {
		return err
	}
	if g != nil {
		g.prior = prior
	}

	longestCase := longest(s)
	man := &results.Manifest{
		Tool: "supportbench", Version: toolVersion(), Command: "run",
		Suite:   results.SuiteInfo{Name: s.Name, Dir: s.Dir, Hash: s.Hash, Cases: len(s.Cases)},
		Options: st.options, Trials: st.trials, Concurrency: st.concurrency,
		Timeout: st.timeout.String(), Retries: st.retries, Started: now, Status: results.StatusRunning,
		Redacted: st.redact,
	}
	if prior != nil {
		man.Started = prior.Started
	}
	for _, srv := range servers {
		man.Endpoints = append(man.Endpoints, srv.URL)
	}
	if st.shardN > 1 {
		man.Shard = fmt.Sprintf("%d/%d", st.shardK, st.shardN)
	}
	g.record(man)
	prepared := make([]eval.Prepared, 0, len(st.models))
	for _, model := range st.models {
		// Loading a large model can take minutes; a wedged server must not hang the run.
		pctx, cancel := context.WithTimeout(ctx, max(st.timeout, 5*time.Minute))
		p, err := eval.Prepare(pctx, servers, model, st.mode, st.options.NumCtx, func(mode string) *eval.Request {
			r := eval.BuildRequest(s, longestCase, model, mode, 0)
			r.Options = st.options
			return r
		}, cache)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return runtimeErr(errInterrupted)
			}
			return runtimeErr(err)
		}
		prepared = append(prepared, p)
		man.Models = append(man.Models, results.ModelInfo{ModelInfo: p.Info, Mode: p.Mode, NumCtx: p.NumCtx, LongestPromptTokens: p.LongestPromptTokens})
	}

	resultsPath := filepath.Join(st.out, results.ResultsFile)
	done, err := keepFinished(resultsPath)
	if err != nil {
		return runtimeErr(err)
	}
	jobs, planned := planJobs(s, st, man.Models, done)
	man.Counts.Planned = planned
	for i := range prepared {
		p, mi := &prepared[i], &man.Models[i]
		if !needsModel(jobs, p.Info.Name, cache) {
			fmt.Fprintf(e.stderr, "%s: every answer is cached; no model call needed\n", p.Info.Name)
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, max(st.timeout, 5*time.Minute))
		err := p.Warm(wctx, servers)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return runtimeErr(errInterrupted)
			}
			return runtimeErr(err)
		}
		mi.WarmupMS, mi.LoadMS, mi.LongestPromptTokens = p.WarmupMS, p.LoadMS, p.LongestPromptTokens
		longest := ""
		if p.LongestPromptTokens > 0 {
			longest = fmt.Sprintf(" (longest prompt %d tokens)", p.LongestPromptTokens)
		}
		warm := "already loaded"
		if p.WarmupMS > 0 {
			warm = fmt.Sprintf("warm-up %.0f ms (load %.0f ms)", p.WarmupMS, p.LoadMS)
		}
		fmt.Fprintf(e.stderr, "%s: mode %s, num_ctx %d%s, digest %.12s, %s\n", p.Info.Name, p.Mode, p.NumCtx, longest, p.Info.Digest, warm)
	}
	if err := results.WriteManifest(st.out, man); err != nil {
		return runtimeErr(err)
	}
	w, err := results.Append(resultsPath)
	if err != nil {
		return runtimeErr(err)
	}
	if len(done) > 0 {
		fmt.Fprintf(e.stderr, "resuming %s: %d result(s) kept, %d to run\n", st.out, len(done), len(jobs))
	}

	runner := &eval.Runner{Scorer: scorers.New(s), Retries: st.retries, Timeout: st.timeout, Cache: cache}
	for _, srv := range servers {
		runner.Endpoints = append(runner.Endpoints, eval.Endpoint{Name: srv.URL, Model: srv, Concurrency: st.concurrency})
	}
	prog := newProgress(e, st.models, jobs)
	red := redactorFor(man, s) // scored already: the written copy is masked
	runner.OnResult = func(r eval.Result) error {
		if err := w.Write(red.Result(r)); err != nil {
			return err
		}
		prog.add(r)
		return nil
	}
	stop := make(chan struct{})
	runner.Stop = stop
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-e.interrupts:
			fmt.Fprintln(e.stderr, "\ninterrupt: finishing the requests in flight (Ctrl-C again to abort them)")
			close(stop)
		case <-runCtx.Done():
			return
		}
		select {
		case <-e.interrupts:
			cancel()
		case <-runCtx.Done():
		}
	}()
	stats, runErr := runner.Run(runCtx, jobs)
	prog.finish()
	if cerr := w.Close(); runErr == nil && cerr != nil {
		runErr = cerr
	}
	man.Counts.ModelCalls = stats.Calls
	man.Status = results.StatusComplete
	switch {
	case runErr != nil && !errors.Is(runErr, context.Canceled):
		man.Status, man.Error = results.StatusFailed, runErr.Error()
	case stats.Interrupted:
		man.Status, runErr = results.StatusInterrupted, errInterrupted
	}
	if g != nil && man.Status == results.StatusComplete {
		interrupted, gerr := g.grade(runCtx, stop, st.out, st.concurrency, e)
		switch {
		case gerr != nil:
			man.Status, man.Error, runErr = results.StatusFailed, gerr.Error(), gerr
		case interrupted:
			man.Status, runErr = results.StatusInterrupted, errInterrupted
		}
	}
	return finish(st.out, s, man, st.reports, st.jsonOut, runErr, e)
}

// needsModel reports whether some job for model has no cached answer.
func needsModel(jobs []eval.Job, model string, cache eval.Cache) bool {
	for _, j := range jobs {
		if j.Request.Model != model {
			continue
		}
		if cache == nil {
			return true
		}
		if _, ok := cache.Get(j.Key); !ok {
			return true
		}
	}
	return false
}

// longest returns the case with the longest prompt material.
func longest(s *eval.Suite) *eval.Case {
	best, size := &s.Cases[0], -1
	for i := range s.Cases {
		c := &s.Cases[i]
		n := len(eval.SystemMessage(s, c, eval.ModeStructured))
		for _, m := range c.Conversation() {
			n += len(m.Content)
		}
		if n > size {
			best, size = c, n
		}
	}
	return best
}

// planJobs lists the (case, model, trial) jobs of this shard that have no successful
// result yet, and the number planned in all.
func planJobs(s *eval.Suite, st *runSettings, models []results.ModelInfo, done map[results.ID]bool) ([]eval.Job, int) {
	var jobs []eval.Job
	planned := 0
	// Cases that cite the same articles and record share one system message: keep one
	// copy of each (10,000 cases x 2 models held 50 MB of identical strings).
	systems := map[string]string{}
	for trial := 1; trial <= st.trials; trial++ {
		for i := range s.Cases {
			c := &s.Cases[i]
			if !inShard(c.ID, st.shardK, st.shardN) {
				continue
			}
			for _, m := range models {
				planned++
				if done[results.ID{Case: c.ID, Model: m.Name, Trial: trial}] {
					continue
				}
				req := eval.BuildRequest(s, c, m.Name, m.Mode, m.NumCtx)
				if sys, ok := systems[req.System]; ok {
					req.System = sys
				} else {
					systems[req.System] = req.System
				}
				req.Options = st.options
				req.Options.NumCtx = m.NumCtx
				jobs = append(jobs, eval.Job{Case: c, Trial: trial, Request: req, Key: req.Key(m.Digest, trial)})
			}
		}
	}
	// One model at a time, and cases with the same system message (prompt, knowledge,
	// record) next to each other: Ollama reuses a slot's evaluated prompt prefix, and a
	// server that must hold one model at a time does not reload between requests.
	rank := make(map[string]int, len(models))
	for i, m := range models {
		rank[m.Name] = i
	}
	slices.SortStableFunc(jobs, func(a, b eval.Job) int {
		return cmp.Or(cmp.Compare(rank[a.Request.Model], rank[b.Request.Model]), strings.Compare(a.Request.System, b.Request.System))
	})
	return jobs, planned
}

// keepFinished reads an existing results.jsonl, keeps one successful result per
// (case, model, trial) and drops failed and damaged lines, rewriting the file so a
// resumed run never duplicates a record. It returns the identities kept.
func keepFinished(path string) (map[results.ID]bool, error) {
	done := map[results.ID]bool{}
	rs, damage, err := results.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return done, nil
	}
	if err != nil {
		return nil, err
	}
	kept := rs[:0]
	for _, r := range results.Compact(rs) {
		if r.Error == "" {
			kept = append(kept, r)
			done[results.IDOf(&r)] = true
		}
	}
	if len(kept) != len(rs) || len(damage.Lines) > 0 || !endsWithNewline(path) {
		if err := results.Rewrite(path, kept); err != nil {
			return nil, err
		}
	}
	return done, nil
}

// cacheDir is --cache-dir, else $SUPPORTBENCH_CACHE, else <user cache dir>/supportbench/answers.
func cacheDir(flagValue string, e *env) string {
	if flagValue != "" {
		return flagValue
	}
	if d := e.getenv("SUPPORTBENCH_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "supportbench", "answers")
	}
	return filepath.Join(os.TempDir(), "supportbench-answers")
}

// endsWithNewline reports whether the file is empty or ends with a newline: a write cut
// short just before its newline would otherwise glue the next appended line to it.
func endsWithNewline(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return err == nil
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, info.Size()-1); err != nil {
		return false
	}
	return b[0] == '\n'
}
