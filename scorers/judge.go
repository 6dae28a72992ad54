package scorers

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/supportbench/supportbench/eval"
)

// Judge grades answers with a judge model served by Ollama (--judge). Its verdict is
// recorded beside the deterministic one, never in its place. Set the exported fields
// before the first Grade; a Judge is then safe for concurrent use.
type Judge struct {
	// Server answers the judge's requests (an *eval.Ollama).
	Server eval.Model
	// Name is the judge model.
	Name string
	// Digest is the judge model's digest; with Cache set, grades are cached under it.
	Digest string
	// NumCtx is the judge's context window; 0 lets GradeAll size it from the longest
	// judge prompt, within ContextLength (the model's maximum, 0 when unknown).
	NumCtx, ContextLength int
	KeepAlive             eval.Duration
	// Retries, Timeout and Backoff are as in eval.Runner: errors that eval.Retryable
	// accepts are retried with exponential backoff; Timeout bounds one attempt.
	Retries int
	Timeout time.Duration
	Backoff time.Duration
	// Cache, when set, keeps the judge's replies, so an unchanged answer is not judged twice.
	Cache eval.Cache
	// DownAfter is how many requests in a row may fail before the judge is given up on
	// and the remaining answers are recorded as not graded, without a call (default 5),
	// so that a server that is down or wedged costs seconds, not a timeout per answer.
	DownAfter int

	suite *eval.Suite
	cases map[string]*eval.Case

	mu    sync.Mutex
	fails int   // requests in a row that failed
	down  error // why the judge was given up on
}

// NewJudge returns a judge of the answers to the cases of s, by the model name on server.
func NewJudge(s *eval.Suite, server eval.Model, name string) *Judge {
	j := &Judge{Server: server, Name: name, suite: s, cases: make(map[string]*eval.Case, len(s.Cases))}
	for i := range s.Cases {
		j.cases[s.Cases[i].ID] = &s.Cases[i]
	}
	return j
}

// Pending reports whether r needs this judge's verdict: it has an answer and no verdict
// of this judge model, digest and prompt version yet (a failed grade is tried again).
func (j *Judge) Pending(r *eval.Result) bool {
	if r.Error != "" {
		return false
	}
	jd := r.Judge
	return jd == nil || jd.Error != "" || jd.Model != j.Name || jd.Digest != j.Digest || jd.PromptVersion != JudgePromptVersion
}

// Request is the judge's request for the answer r to case c.
func (j *Judge) Request(c *eval.Case, r *eval.Result) *eval.Request {
	return &eval.Request{
		Model: j.Name, Mode: eval.ModeStructured, Format: judgeSchema, System: judgeInstructions,
		Messages: []eval.Message{{Role: eval.RoleCustomer, Content: judgeMaterial(j.suite, c, r)}},
		Options:  eval.Options{Temperature: 0, Seed: judgeSeed, NumPredict: judgeNumPredict},
		NumCtx:   j.NumCtx, KeepAlive: j.KeepAlive,
	}
}

// Grade asks the judge about result r. Failures are the judgement's Error; nil means
// ctx ended first, and r is left for a later pass.
func (j *Judge) Grade(ctx context.Context, r *eval.Result) *eval.Judgement {
	jd := &eval.Judgement{Model: j.Name, Digest: j.Digest, PromptVersion: JudgePromptVersion, UnsupportedClaims: []string{}}
	c, ok := j.cases[r.CaseID]
	if !ok {
		jd.Error = fmt.Sprintf("case %q is not in the suite", r.CaseID)
		return jd
	}
	if err := j.isDown(); err != nil {
		jd.Error = err.Error()
		return jd
	}
	req := j.Request(c, r)
	key := ""
	if j.Cache != nil && j.Digest != "" {
		// Without num_ctx, which follows the longest prompt of each pass, not this one.
		kreq := *req
		kreq.NumCtx = 0
		key = "judge-" + kreq.Key(j.Digest, 0)
		if a, ok := j.Cache.Get(key); ok && parseJudgement(a.Text, jd) == nil {
			return jd
		}
	}
	a, err := retry(ctx, j.Retries, j.Backoff, func(ctx context.Context) (*eval.Answer, error) {
		if j.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, j.Timeout)
			defer cancel()
		}
		return j.Server.Chat(ctx, req)
	})
	switch {
	case ctx.Err() != nil:
		return nil
	case err != nil:
		jd.Error = err.Error()
		j.record(err)
	default:
		j.record(nil)
		if perr := parseJudgement(a.Text, jd); perr != nil {
			jd.Error = perr.Error()
		} else if key != "" {
			// A cache write failure costs a future judge call, not this grade.
			_ = j.Cache.Put(key, &eval.Answer{Model: j.Name, Text: a.Text})
		}
	}
	return jd
}

// JudgeStats counts what a judge pass did.
type JudgeStats struct {
	// Judged is the number of answers graded, Errors of them with an error.
	Judged, Errors int
	// Left is the number of answers left without a verdict because the pass was stopped.
	Left int
}

// Size returns how many results are Pending and, when NumCtx is 0, sets it from the
// longest of their judge prompts (see JudgeNumCtx).
func (j *Judge) Size(rs []eval.Result) int {
	n, longest := 0, 0
	for i := range rs {
		if !j.Pending(&rs[i]) {
			continue
		}
		n++
		if c, ok := j.cases[rs[i].CaseID]; ok {
			longest = max(longest, j.Request(c, &rs[i]).Size())
		}
	}
	if j.NumCtx == 0 {
		j.NumCtx = JudgeNumCtx(longest, j.ContextLength)
	}
	return n
}

// Warm loads the judge model with the pass's context window (call Size first), so that
// loading a large model does not eat the first requests' timeouts. If it fails, the
// judge is given up on: GradeAll records the error on every answer without a call.
func (j *Judge) Warm(ctx context.Context) error {
	req := j.Request(&eval.Case{}, &eval.Result{})
	req.Messages = []eval.Message{{Role: eval.RoleCustomer, Content: "Grade an empty answer."}}
	req.Options.NumPredict = 1
	if _, err := j.Server.Chat(ctx, req); err != nil {
		err = fmt.Errorf("warm up the judge %s: %w", j.Name, err)
		j.mu.Lock()
		j.down = fmt.Errorf("not graded: %w", err)
		j.mu.Unlock()
		return err
	}
	return nil
}

// record counts a request that failed (err != nil) or got an answer, and gives the
// judge up after DownAfter failures in a row.
func (j *Judge) record(err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err == nil {
		j.fails = 0
		return
	}
	j.fails++
	limit := j.DownAfter
	if limit <= 0 {
		limit = 5
	}
	if j.fails >= limit && j.down == nil {
		j.down = fmt.Errorf("not graded: the judge failed %d requests in a row (the last: %v)", j.fails, err)
	}
}

// isDown returns why the judge was given up on, or nil.
func (j *Judge) isDown() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.down
}

// GradeAll grades every result that is Pending, with workers requests in flight, and
// records each verdict in its result's Judge. Closing stop or ending ctx stops sending
// requests (ctx also aborts those in flight); what was not graded is counted in Left.
func (j *Judge) GradeAll(ctx context.Context, stop <-chan struct{}, rs []eval.Result, workers int) JudgeStats {
	j.Size(rs)
	var todo []int
	for i := range rs {
		if j.Pending(&rs[i]) {
			todo = append(todo, i)
		}
	}
	var st JudgeStats
	var mu sync.Mutex
	queue := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for i := range queue {
				jd := j.Grade(ctx, &rs[i])
				if jd == nil {
					continue
				}
				rs[i].Judge = jd // each index is graded by one worker only
				mu.Lock()
				st.Judged++
				if jd.Error != "" {
					st.Errors++
				}
				mu.Unlock()
			}
		})
	}
loop:
	for _, i := range todo {
		select { // a stop takes precedence over a free worker
		case <-stop:
			break loop
		case <-ctx.Done():
			break loop
		default:
		}
		select {
		case queue <- i:
		case <-stop:
			break loop
		case <-ctx.Done():
			break loop
		}
	}
	close(queue)
	wg.Wait()
	st.Left = len(todo) - st.Judged
	return st
}

// JudgeNumCtx is the judge's context window for a longest prompt of size bytes: two
// bytes per token is more than common tokenizers need, plus the reply, rounded up, at
// least 4096 and at most maxCtx (when known). One size for the whole pass, because
// Ollama reloads a model whose num_ctx changes.
func JudgeNumCtx(size, maxCtx int) int {
	n := max((size/2+judgeNumPredict+1023)/1024*1024, judgeMinCtx)
	if maxCtx > 0 {
		n = min(n, maxCtx)
	}
	return n
}

// retry calls fn until it succeeds, fails with an error eval.Retryable rejects, or has
// been retried retries times, waiting an exponential backoff with jitter in between.
func retry[T any](ctx context.Context, retries int, backoff time.Duration, fn func(context.Context) (T, error)) (T, error) {
	if backoff <= 0 {
		backoff = 250 * time.Millisecond
	}
	for attempt := 0; ; attempt++ {
		v, err := fn(ctx)
		if err == nil || !eval.Retryable(err) || ctx.Err() != nil || attempt >= retries {
			return v, err
		}
		d := min(backoff<<attempt, 10*time.Second)
		t := time.NewTimer(d/2 + rand.N(d/2+1))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return v, errors.Join(err, ctx.Err())
		}
	}
}
