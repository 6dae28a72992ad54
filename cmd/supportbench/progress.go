package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/supportbench/supportbench/eval"
)

// progress reports a run on stderr: one bar per model on a terminal, or a plain log line
// every few seconds when stderr is a file or a pipe (cron), with no carriage returns.
// All methods are called from one goroutine (the runner's result callback).
type progress struct {
	w        io.Writer
	tty      bool
	models   []string
	total    map[string]int
	done     map[string]int
	errs     map[string]int
	bars     map[string]*progressbar.ProgressBar
	start    time.Time
	last     time.Time
	every    time.Duration
	drawn    int
	anything bool
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func newProgress(e *env, models []string, jobs []eval.Job) *progress {
	p := &progress{w: e.stderr, tty: e.isTerminal, models: models, total: map[string]int{}, done: map[string]int{},
		errs: map[string]int{}, bars: map[string]*progressbar.ProgressBar{}, start: time.Now(), every: 5 * time.Second}
	for _, j := range jobs {
		p.total[j.Request.Model]++
	}
	if p.tty {
		p.every = 150 * time.Millisecond
		for _, m := range models {
			// The bars render into strings that draw composes, one line per model.
			p.bars[m] = progressbar.NewOptions(max(p.total[m], 1),
				progressbar.OptionSetWriter(io.Discard), progressbar.OptionSetDescription(m),
				progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("answers"),
				progressbar.OptionSetPredictTime(true), progressbar.OptionSetElapsedTime(true),
				progressbar.OptionSetWidth(30), progressbar.OptionThrottle(0))
		}
	}
	return p
}

func (p *progress) add(r eval.Result) {
	p.done[r.Model]++
	if r.Error != "" {
		p.errs[r.Model]++
	}
	if bar := p.bars[r.Model]; bar != nil {
		if r.Error != "" {
			bar.Describe(fmt.Sprintf("%s (%d errors)", r.Model, p.errs[r.Model]))
		}
		bar.Add(1)
	}
	if time.Since(p.last) >= p.every {
		p.draw()
	}
}

func (p *progress) draw() {
	p.last = time.Now()
	p.anything = true
	if !p.tty {
		var parts []string
		for _, m := range p.models {
			parts = append(parts, fmt.Sprintf("%s %d/%d (%d errors)", m, p.done[m], p.total[m], p.errs[m]))
		}
		fmt.Fprintf(p.w, "%s progress: %s, elapsed %s\n", time.Now().UTC().Format(time.RFC3339), strings.Join(parts, ", "), time.Since(p.start).Round(time.Second))
		return
	}
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, m := range p.models {
		b.WriteString("\r\x1b[K")
		b.WriteString(strings.TrimLeft(p.bars[m].String(), "\r"))
		b.WriteString("\n")
	}
	p.drawn = len(p.models)
	io.WriteString(p.w, b.String())
}

// finish draws the final state.
func (p *progress) finish() {
	total := 0
	for _, n := range p.total {
		total += n
	}
	if total == 0 && !p.anything {
		return
	}
	p.draw()
}
