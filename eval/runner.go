package eval

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Model answers chat requests. *Ollama is the real one; tests use fakes.
type Model interface {
	Chat(ctx context.Context, req *Request) (*Answer, error)
}

// Endpoint is one model server and how many requests it serves at once.
type Endpoint struct {
	Name        string
	Model       Model
	Concurrency int
}

// Job is one (case, model, trial) to answer.
type Job struct {
	Case    *Case
	Trial   int
	Request *Request
	// Key identifies the request for the answer cache (see Request.Key).
	Key string
}

// Cache stores answers by request key.
type Cache interface {
	Get(key string) (*Answer, bool)
	Put(key string, a *Answer) error
}

// ErrUnreachable reports that every endpoint failed repeatedly with connection errors,
// so the run stopped rather than record every remaining case as failed.
var ErrUnreachable = errors.New("model server unreachable")

// Runner replays jobs through endpoints: one worker pool per endpoint pulling from one
// queue, so a faster or less loaded server takes more of the work. Failed requests are
// retried with exponential backoff and jitter, then recorded as the result's error.
type Runner struct {
	Endpoints []Endpoint
	Scorer    Scorer
	// Cache, when set, answers repeated requests without a model call.
	Cache Cache
	// Retries is the number of retries after a failed attempt.
	Retries int
	// Timeout bounds one attempt.
	Timeout time.Duration
	// Backoff is the first retry's delay; it doubles per retry up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// DownAfter is how many jobs in a row may fail on an endpoint before it is taken
	// out of the pool (default 5).
	DownAfter int
	// Stop, when closed, stops dispatching: in-flight requests finish and are recorded.
	Stop <-chan struct{}
	// OnResult receives each result, one at a time, as it finishes. An error (a full
	// disk) stops the run after the requests in flight; their answers are still cached
	// (so --resume gets them without a model call) but not passed to OnResult.
	OnResult func(Result) error

	calls atomic.Int64
}

// Stats counts what a run did.
type Stats struct {
	Done, Errors, Cached int
	// Calls is the number of model requests sent, retries included.
	Calls int64
	// Interrupted is true when Stop or ctx ended dispatching before every job ran.
	Interrupted bool
}

// Run answers every job, or as many as it can before Stop is closed or ctx is done.
// Cancelling ctx also aborts requests in flight; their jobs are not recorded.
func (r *Runner) Run(ctx context.Context, jobs []Job) (Stats, error) {
	if len(r.Endpoints) == 0 {
		return Stats{}, errors.New("run: no endpoints")
	}
	queue := make(chan Job)
	workers := 0
	for _, ep := range r.Endpoints {
		workers += max(ep.Concurrency, 1)
	}
	finished := make(chan finishedJob, workers)
	dispatch, stopDispatch := context.WithCancel(ctx)
	defer stopDispatch()
	stop := r.Stop
	if stop == nil {
		stop = make(chan struct{})
	}

	var st Stats
	var sinkErr error
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		st, sinkErr = r.collect(finished, stopDispatch)
	}()

	downAfter := r.DownAfter
	if downAfter <= 0 {
		downAfter = 5
	}
	var down atomic.Int32
	var pool sync.WaitGroup
	for i := range r.Endpoints {
		ep := &r.Endpoints[i]
		h := &health{limit: downAfter}
		for range max(ep.Concurrency, 1) {
			pool.Go(func() {
				if r.work(ctx, ep, h, queue, finished) && int(down.Add(1)) == len(r.Endpoints) {
					stopDispatch()
				}
			})
		}
	}

	sent := r.dispatch(dispatch, stop, jobs, queue, finished)
	close(queue)
	pool.Wait()
	close(finished)
	<-collected
	st.Calls = r.calls.Load()
	st.Interrupted = sent < len(jobs) || ctx.Err() != nil
	switch {
	case sinkErr != nil:
		return st, fmt.Errorf("record result: %w", sinkErr)
	case int(down.Load()) == len(r.Endpoints) && sent < len(jobs):
		return st, fmt.Errorf("%w: every endpoint failed %d requests in a row", ErrUnreachable, downAfter)
	case ctx.Err() != nil:
		return st, ctx.Err()
	}
	return st, nil
}

// dispatch hands the jobs to the workers, answering cached ones itself, until every
// job is sent, stop is closed or ctx is done. It returns how many jobs it sent.
func (r *Runner) dispatch(ctx context.Context, stop <-chan struct{}, jobs []Job, queue chan<- Job, finished chan<- finishedJob) int {
	for sent, job := range jobs {
		select { // a cached rerun must stop too, though its sends rarely block
		case <-stop:
			return sent
		default:
		}
		if r.Cache != nil && job.Key != "" {
			if a, ok := r.Cache.Get(job.Key); ok {
				select {
				case finished <- finishedJob{job: job, answer: a, cached: true}:
					continue
				case <-ctx.Done():
					return sent
				}
			}
		}
		select {
		case queue <- job:
		case <-stop:
			return sent
		case <-ctx.Done():
			return sent
		}
	}
	return len(jobs)
}

// work is one worker of ep: it answers jobs from the queue until the queue closes or
// the endpoint goes down. It reports whether this worker took the endpoint down.
func (r *Runner) work(ctx context.Context, ep *Endpoint, h *health, queue <-chan Job, finished chan<- finishedJob) (wentDown bool) {
	for job := range queue {
		f, ok := r.answer(ctx, ep, job)
		if ok {
			finished <- f
		}
		if h.record(ok && unreachable(f.err)) {
			wentDown = true
		}
		if h.isDown() {
			return wentDown
		}
	}
	return wentDown
}

// collect caches, scores and records each finished job, one at a time, while the
// workers already wait on their next answers. A recording error (a full disk) stops
// dispatching; the jobs in flight are still counted.
func (r *Runner) collect(finished <-chan finishedJob, stopDispatch func()) (st Stats, sinkErr error) {
	for f := range finished {
		res := r.result(f)
		switch {
		case res.Error != "":
			st.Errors++
		case res.Cached:
			st.Cached++
		}
		st.Done++
		if sinkErr != nil {
			continue
		}
		if sinkErr = r.OnResult(res); sinkErr != nil {
			stopDispatch()
		}
	}
	return st, sinkErr
}

// finishedJob is a job's outcome: its answer, or the last error after retries.
type finishedJob struct {
	job      Job
	answer   *Answer
	err      error
	attempts int
	cached   bool
}

// answer runs one job with retries. ok is false when ctx was cancelled mid-request:
// such a job is left for --resume rather than recorded as failed.
func (r *Runner) answer(ctx context.Context, ep *Endpoint, job Job) (f finishedJob, ok bool) {
	f.job = job
	for attempt := 0; attempt <= r.Retries; attempt++ {
		f.attempts++
		f.answer, f.err = r.attempt(ctx, ep, job)
		if f.err == nil || !Retryable(f.err) || ctx.Err() != nil || attempt == r.Retries {
			break
		}
		if sleep(ctx, r.backoff(attempt)) != nil {
			break
		}
	}
	return f, ctx.Err() == nil
}

// result turns a finished job into its result: an answer is cached (unless it came
// from the cache) and scored; a failure keeps its error.
func (r *Runner) result(f finishedJob) Result {
	job := f.job
	if f.err != nil {
		res := NewResult(job.Case, &Answer{Model: job.Request.Model, Mode: job.Request.Mode}, job.Trial)
		res.Error = f.err.Error()
		res.Attempts = f.attempts
		res.Key = job.Key
		res.Flags = []string{}
		return res
	}
	if r.Cache != nil && job.Key != "" && !f.cached {
		// A cache write failure costs a future model call, not this result.
		_ = r.Cache.Put(job.Key, f.answer)
	}
	res := r.score(job, f.answer)
	res.Attempts = f.attempts
	res.Cached = f.cached
	return res
}

func (r *Runner) attempt(ctx context.Context, ep *Endpoint, job Job) (*Answer, error) {
	actx := ctx
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	r.calls.Add(1)
	a, err := ep.Model.Chat(actx, job.Request)
	if err != nil && actx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		err = fmt.Errorf("%w after %s (%s)", context.DeadlineExceeded, r.Timeout, err)
	}
	return a, err
}

func (r *Runner) score(job Job, a *Answer) Result {
	res := NewResult(job.Case, a, job.Trial)
	res.Key = job.Key
	if r.Scorer != nil {
		res.Verdict = r.Scorer.Score(job.Case, a)
	}
	if res.Flags == nil {
		res.Flags = []string{}
	}
	if a.FormatError != "" {
		res.Flags = append(res.Flags, "invalid-structured-output")
	}
	return res
}

// backoff is the delay before retry n+1: exponential with full jitter.
func (r *Runner) backoff(n int) time.Duration {
	base, limit := r.Backoff, r.MaxBackoff
	if base <= 0 {
		base = 250 * time.Millisecond
	}
	if limit <= 0 {
		limit = 10 * time.Second
	}
	d := min(base<<n, limit)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// health tracks consecutive failed jobs on one endpoint.
type health struct {
	mu          sync.Mutex
	limit, fail int
	down        bool
}

// record notes a job's outcome and reports whether the endpoint just went down.
func (h *health) record(failed bool) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !failed {
		h.fail = 0
		return false
	}
	h.fail++
	if h.fail >= h.limit && !h.down {
		h.down = true
		return true
	}
	return false
}

func (h *health) isDown() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down
}
