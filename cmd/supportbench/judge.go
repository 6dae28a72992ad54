package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
	"github.com/supportbench/supportbench/scorers"
)

// graderOptions are the optional model-based graders of run and score: a judge model
// and an embedding model, both off by default.
type graderOptions struct {
	judge, embed, url string
}

// flags declares --judge, --embed-model and --judge-ollama on fs.
func (o *graderOptions) flags(fs *flag.FlagSet) {
	fs.StringVar(&o.judge, "judge", "", "also grade every answer with the judge `MODEL` through Ollama, recorded beside the deterministic verdict (off by default)")
	fs.StringVar(&o.embed, "embed-model", "", "add the score semantic_similarity (answer vs. the case's reference) with the embedding `MODEL` through Ollama")
	fs.StringVar(&o.url, "judge-ollama", "", "Ollama server `URL` of --judge and --embed-model (default: the first --ollama of the run, else $OLLAMA_HOST)")
}

// resume takes the graders of the run being resumed unless flags name others.
func (o *graderOptions) resume(prior *results.Manifest, set map[string]bool) {
	for _, m := range []struct {
		info *results.ScoringModel
		name *string
		flag string
	}{{prior.Judge, &o.judge, "judge"}, {prior.Embed, &o.embed, "embed-model"}} {
		if m.info != nil && !set[m.flag] {
			*m.name = m.info.Name
			if !set["judge-ollama"] {
				o.url = m.info.Endpoint
			}
		}
	}
}

// graders are the judge and the embedder of a run, ready to grade.
type graders struct {
	judge *scorers.Judge
	sim   *scorers.Similarity
	// judgeInfo and embedInfo are what the manifest records of them.
	judgeInfo, embedInfo *results.ScoringModel
	// prior is the manifest of the run being resumed, if any: similarities of another
	// embedding model are dropped and computed again, never mixed.
	prior *results.Manifest
	// timeout bounds the judge's warm-up.
	timeout time.Duration
}

// graderSettings are the run's settings the graders share.
type graderSettings struct {
	retries int
	timeout time.Duration
	cache   eval.Cache
}

// prepareGraders reaches the graders' server and checks that it has their models, before
// anything runs. It returns nil when none is asked for.
func prepareGraders(ctx context.Context, s *eval.Suite, o graderOptions, defaultURL string, set graderSettings) (*graders, error) {
	if o.judge == "" && o.embed == "" {
		return nil, nil
	}
	url := o.url
	if url == "" {
		url = defaultURL
	}
	u, err := eval.ParseEndpoint(url)
	if err != nil {
		return nil, usageErr("--judge-ollama: %w", err)
	}
	srv := eval.NewOllama(u, nil)
	if _, err := srv.Version(ctx); err != nil {
		return nil, runtimeErr(fmt.Errorf("no Ollama server answers at %s for --judge/--embed-model (%v): start one or pass --judge-ollama URL", u, err))
	}
	g := &graders{timeout: max(set.timeout, 5*time.Minute)}
	if o.judge != "" {
		info, err := srv.Show(ctx, o.judge)
		if err != nil {
			return nil, runtimeErr(fmt.Errorf("--judge: %w", err))
		}
		j := scorers.NewJudge(s, srv, o.judge)
		j.Digest, j.ContextLength, j.KeepAlive = info.Digest, info.ContextLength, s.KeepAlive
		j.Retries, j.Timeout, j.Cache = set.retries, set.timeout, set.cache
		g.judge = j
		g.judgeInfo = &results.ScoringModel{Name: o.judge, Digest: info.Digest, Endpoint: srv.URL, PromptVersion: scorers.JudgePromptVersion}
	}
	if o.embed != "" {
		info, err := srv.Show(ctx, o.embed)
		if err != nil {
			return nil, runtimeErr(fmt.Errorf("--embed-model: %w", err))
		}
		g.sim = scorers.NewSimilarity(s, srv, o.embed)
		g.sim.Retries, g.sim.Timeout = set.retries, set.timeout
		g.embedInfo = &results.ScoringModel{Name: o.embed, Digest: info.Digest, Endpoint: srv.URL}
	}
	return g, nil
}

// record writes the graders into the manifest; g may be nil.
func (g *graders) record(man *results.Manifest) {
	if g != nil {
		man.Judge, man.Embed = g.judgeInfo, g.embedInfo
	}
}

// grade runs the graders over the results in dir that lack their grades and rewrites
// results.jsonl atomically with the grades added. A failed grade is recorded (the
// judge's error) or left out (the similarity) and warned about; it never fails the run.
// interrupted is true when stop closed before every answer was graded; err is a
// results.jsonl that could not be read or rewritten, and leaves it as it was.
func (g *graders) grade(ctx context.Context, stop <-chan struct{}, dir string, workers int, e *env) (interrupted bool, err error) {
	path := filepath.Join(dir, results.ResultsFile)
	rs, damage, err := results.ReadFile(path)
	if err != nil {
		return false, err
	}
	rs = results.Compact(rs)
	changed := 0
	if g.sim != nil && g.prior != nil && !sameGrader(g.prior.Embed, g.embedInfo) {
		for i := range rs {
			if _, ok := rs[i].Scores[scorers.ScoreSemanticSimilarity]; ok {
				delete(rs[i].Scores, scorers.ScoreSemanticSimilarity)
				changed++
			}
		}
	}
	if g.sim != nil {
		n, err := g.sim.ScoreAll(ctx, rs)
		changed += n
		if err != nil {
			fmt.Fprintf(e.stderr, "warning: --embed-model %s: semantic_similarity left out of some answers: %v\n", g.sim.Model, err)
		}
	}
	if j := g.judge; j != nil {
		if n := j.Size(rs); n > 0 {
			fmt.Fprintf(e.stderr, "judge %s: grading %d answer(s), num_ctx %d\n", j.Name, n, j.NumCtx)
			wctx, cancel := context.WithTimeout(ctx, g.timeout)
			werr := j.Warm(wctx)
			cancel()
			if werr != nil {
				fmt.Fprintf(e.stderr, "warning: %v\n", werr) // the pass records it on every answer
			}
			st := j.GradeAll(ctx, stop, rs, workers)
			changed += st.Judged
			interrupted = st.Left > 0
			if st.Errors > 0 {
				fmt.Fprintf(e.stderr, "warning: judge %s could not grade %d answer(s) (see judge.error in %s)\n", j.Name, st.Errors, path)
			}
			if st.Left > 0 {
				fmt.Fprintf(e.stderr, "judge %s: stopped with %d answer(s) not graded\n", j.Name, st.Left)
			}
			g.judgeInfo.NumCtx = j.NumCtx
		}
	}
	if changed == 0 {
		return interrupted, nil
	}
	if len(damage.Lines) > 0 {
		fmt.Fprintf(e.stderr, "warning: %d unreadable line(s) in %s dropped (lines %v)\n", len(damage.Lines), results.ResultsFile, damage.Lines)
	}
	return interrupted, results.Rewrite(path, rs)
}

// stopOnInterrupt returns a channel closed at the first interrupt, for a command that
// does not otherwise listen to interrupts; release stops listening.
func stopOnInterrupt(e *env) (stop <-chan struct{}, release func()) {
	ch, done := make(chan struct{}), make(chan struct{})
	go func() {
		select {
		case <-e.interrupts:
			fmt.Fprintln(e.stderr, "\ninterrupt: finishing the judge's requests in flight")
			close(ch)
		case <-done:
		}
	}()
	return ch, func() { close(done) }
}

// sameGrader reports whether two runs used the same judge (or embedding) model: name,
// digest and prompt version. The endpoint may differ.
func sameGrader(a, b *results.ScoringModel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name == b.Name && a.Digest == b.Digest && a.PromptVersion == b.PromptVersion
}

func graderLabel(judge, embed *results.ScoringModel) string {
	var parts []string
	for _, g := range []struct {
		what string
		m    *results.ScoringModel
	}{{"judge", judge}, {"embedding model", embed}} {
		if g.m != nil {
			label := fmt.Sprintf("%s %s (digest %.12s", g.what, g.m.Name, cmp.Or(g.m.Digest, "unknown"))
			if g.m.PromptVersion != "" {
				label += ", prompt " + g.m.PromptVersion
			}
			parts = append(parts, label+")")
		}
	}
	if len(parts) == 0 {
		return "no judge or embedding model"
	}
	return strings.Join(parts, " and ")
}
