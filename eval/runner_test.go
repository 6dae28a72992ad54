package eval

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

// fakeModel answers from a function; it counts calls.
type fakeModel struct {
	calls atomic.Int64
	fn    func(ctx context.Context, req *Request, call int64) (*Answer, error)
}

func (f *fakeModel) Chat(ctx context.Context, req *Request) (*Answer, error) {
	n := f.calls.Add(1)
	return f.fn(ctx, req, n)
}

func echo(_ context.Context, req *Request, _ int64) (*Answer, error) {
	return &Answer{Model: req.Model, Mode: req.Mode, Text: "answer to " + req.Messages[0].Content}, nil
}

// mapCache is an in-memory Cache.
type mapCache struct {
	mu sync.Mutex
	m  map[string]*Answer
}

func (c *mapCache) Get(k string) (*Answer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.m[k]
	return a, ok
}

func (c *mapCache) Put(k string, a *Answer) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = a
	return nil
}

func testJobs(n int) []Job {
	jobs := make([]Job, n)
	for i := range jobs {
		c := &Case{ID: fmt.Sprintf("c%03d", i), Category: "shipping", Question: fmt.Sprintf("q%d", i)}
		jobs[i] = Job{Case: c, Trial: 1, Key: fmt.Sprintf("key-%d", i),
			Request: &Request{Model: "m", Mode: ModeTools, Messages: c.Conversation()}}
	}
	return jobs
}

// collect runs r over jobs and returns the results by case id.
func collect(t *testing.T, ctx context.Context, r *Runner, jobs []Job) (map[string]Result, Stats, error) {
	t.Helper()
	got := map[string]Result{}
	r.OnResult = func(res Result) error {
		if _, dup := got[res.CaseID]; dup {
			t.Errorf("duplicate result for %s", res.CaseID)
		}
		got[res.CaseID] = res
		return nil
	}
	st, err := r.Run(ctx, jobs)
	return got, st, err
}

func TestRunnerAnswersEveryJobOnce(t *testing.T) {
	t.Parallel()
	m1, m2 := &fakeModel{fn: echo}, &fakeModel{fn: echo}
	r := &Runner{Endpoints: []Endpoint{{Model: m1, Concurrency: 3}, {Model: m2, Concurrency: 2}}}
	got, st, err := collect(t, t.Context(), r, testJobs(200))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 200 || st.Done != 200 || st.Errors != 0 || st.Interrupted {
		t.Fatalf("got %d results, stats %+v", len(got), st)
	}
	if m1.calls.Load()+m2.calls.Load() != 200 || st.Calls != 200 {
		t.Errorf("calls: %d + %d, stats %d; want 200", m1.calls.Load(), m2.calls.Load(), st.Calls)
	}
	if got["c007"].Answer != "answer to q7" {
		t.Errorf("c007 answered %q", got["c007"].Answer)
	}
}

func TestRunnerRetriesTransientErrors(t *testing.T) {
	t.Parallel()
	m := &fakeModel{fn: func(ctx context.Context, req *Request, n int64) (*Answer, error) {
		if n%3 != 0 { // two failures, then success, for each job when sequential
			return nil, api.StatusError{StatusCode: http.StatusServiceUnavailable, ErrorMessage: "server busy"}
		}
		return echo(ctx, req, n)
	}}
	r := &Runner{Endpoints: []Endpoint{{Model: m, Concurrency: 1}}, Retries: 3, Backoff: time.Millisecond}
	got, st, err := collect(t, t.Context(), r, testJobs(5))
	if err != nil {
		t.Fatal(err)
	}
	for id, res := range got {
		if res.Error != "" || res.Attempts != 3 {
			t.Errorf("%s: error %q after %d attempts; want success on attempt 3", id, res.Error, res.Attempts)
		}
	}
	if st.Calls != 15 {
		t.Errorf("calls %d; want 15", st.Calls)
	}
}

func TestRunnerRecordsPermanentErrorsAndGoesOn(t *testing.T) {
	t.Parallel()
	m := &fakeModel{fn: func(ctx context.Context, req *Request, n int64) (*Answer, error) {
		if req.Messages[0].Content == "q2" {
			return nil, api.StatusError{StatusCode: http.StatusBadRequest, ErrorMessage: "bad request"}
		}
		if req.Messages[0].Content == "q3" {
			return nil, ErrTruncated
		}
		return echo(ctx, req, n)
	}}
	r := &Runner{Endpoints: []Endpoint{{Model: m, Concurrency: 2}}, Retries: 2, Backoff: time.Millisecond}
	got, st, err := collect(t, t.Context(), r, testJobs(6))
	if err != nil {
		t.Fatal(err)
	}
	if got["c002"].Error == "" || got["c002"].Attempts != 1 {
		t.Errorf("400: error %q after %d attempts; want recorded after 1", got["c002"].Error, got["c002"].Attempts)
	}
	if got["c003"].Error == "" || got["c003"].Attempts != 3 {
		t.Errorf("truncated: error %q after %d attempts; want recorded after 3", got["c003"].Error, got["c003"].Attempts)
	}
	if st.Errors != 2 || len(got) != 6 {
		t.Errorf("stats %+v, %d results", st, len(got))
	}
}

func TestRunnerTimesOutSlowRequests(t *testing.T) {
	t.Parallel()
	m := &fakeModel{fn: func(ctx context.Context, req *Request, n int64) (*Answer, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	r := &Runner{Endpoints: []Endpoint{{Model: m, Concurrency: 1}}, Timeout: 5 * time.Millisecond, Retries: 1, Backoff: time.Millisecond}
	got, _, err := collect(t, t.Context(), r, testJobs(2))
	if err != nil {
		t.Fatal(err)
	}
	for id, res := range got {
		if !strings.Contains(res.Error, "deadline exceeded after 5ms") {
			t.Errorf("%s: error %q; want the timeout named", id, res.Error)
		}
		if res.Attempts != 2 {
			t.Errorf("%s: %d attempts; want 2", id, res.Attempts)
		}
	}
}

func TestRunnerCacheAvoidsModelCalls(t *testing.T) {
	t.Parallel()
	cache := &mapCache{m: map[string]*Answer{}}
	m := &fakeModel{fn: echo}
	r := &Runner{Endpoints: []Endpoint{{Model: m, Concurrency: 2}}, Cache: cache}
	if _, _, err := collect(t, t.Context(), r, testJobs(10)); err != nil {
		t.Fatal(err)
	}
	got, st, err := collect(t, t.Context(), r, testJobs(10))
	if err != nil {
		t.Fatal(err)
	}
	if m.calls.Load() != 10 || st.Cached != 10 || st.Calls != 10 {
		t.Errorf("model calls %d (want 10 in all), cached %d (want 10)", m.calls.Load(), st.Cached)
	}
	if !got["c004"].Cached || got["c004"].Answer != "answer to q4" {
		t.Errorf("cached result %+v", got["c004"])
	}
}

func TestRunnerStopFinishesInFlight(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	m := &fakeModel{fn: func(ctx context.Context, req *Request, n int64) (*Answer, error) {
		if n == 3 {
			once.Do(func() { close(stop) })
			close(release)
		}
		<-release
		return echo(ctx, req, n)
	}}
	r := &Runner{Endpoints: []Endpoint{{Model: m, Concurrency: 3}}, Stop: stop}
	got, st, err := collect(t, t.Context(), r, testJobs(50))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Interrupted {
		t.Error("not marked interrupted")
	}
	if len(got) < 3 || len(got) >= 50 {
		t.Errorf("%d results; want the 3+ in flight and not all 50", len(got))
	}
	for id, res := range got {
		if res.Error != "" {
			t.Errorf("%s: in-flight request recorded as failed: %s", id, res.Error)
		}
	}
}

func TestRunnerCancelDropsInFlight(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	m := &fakeModel{fn: func(c context.Context, req *Request, n int64) (*Answer, error) {
		if n == 5 {
			cancel()
		}
		if n >= 5 {
			<-c.Done()
			return nil, c.Err()
		}
		return echo(c, req, n)
	}}
	r := &Runner{Endpoints: []Endpoint{{Model: m, Concurrency: 1}}}
	got, st, err := collect(t, ctx, r, testJobs(20))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
	if len(got) != 4 || !st.Interrupted {
		t.Errorf("%d results, interrupted %v; want the 4 finished ones, interrupted", len(got), st.Interrupted)
	}
}

func TestRunnerStopsWhenEveryServerIsDown(t *testing.T) {
	t.Parallel()
	refused := &fakeModel{fn: func(context.Context, *Request, int64) (*Answer, error) {
		return nil, fmt.Errorf("dial: %w", syscall.ECONNREFUSED)
	}}
	r := &Runner{Endpoints: []Endpoint{{Model: refused, Concurrency: 1}}, Retries: 1, Backoff: time.Millisecond, DownAfter: 3}
	got, st, err := collect(t, t.Context(), r, testJobs(100))
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v; want ErrUnreachable", err)
	}
	if len(got) != 3 || !st.Interrupted {
		t.Errorf("%d results recorded, interrupted %v; want 3 and true", len(got), st.Interrupted)
	}
}

func TestRunnerSinkErrorStopsRun(t *testing.T) {
	t.Parallel()
	m := &fakeModel{fn: echo}
	r := &Runner{Endpoints: []Endpoint{{Model: m, Concurrency: 1}}}
	n := 0
	r.OnResult = func(Result) error {
		n++
		if n == 2 {
			return errors.New("no space left on device")
		}
		return nil
	}
	_, err := r.Run(t.Context(), testJobs(50))
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("err = %v; want the sink's error", err)
	}
	if m.calls.Load() > 5 {
		t.Errorf("%d calls after the sink failed; want the run to stop", m.calls.Load())
	}
}

// A rerun whose answers all come from the cache stops at Stop as a live run does:
// its sends into the results buffer rarely block, so Stop is checked before each job.
func TestRunnerStopHaltsACachedRerun(t *testing.T) {
	t.Parallel()
	cache := &mapCache{m: map[string]*Answer{}}
	m := &fakeModel{fn: echo}
	r := &Runner{Endpoints: []Endpoint{{Model: m, Concurrency: 1}}, Cache: cache}
	if _, _, err := collect(t, t.Context(), r, testJobs(500)); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	r.Stop = stop
	n := 0
	r.OnResult = func(Result) error {
		if n++; n == 10 {
			close(stop)
		}
		return nil
	}
	st, err := r.Run(t.Context(), testJobs(500))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Interrupted || st.Done >= 500 || st.Done < 10 || st.Cached != st.Done || m.calls.Load() != 500 {
		t.Errorf("stats %+v; want interrupted after about 10 cached results, no model calls", st)
	}
}
