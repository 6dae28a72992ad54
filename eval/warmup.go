package eval

import (
	"context"
	"fmt"
	"time"
)

// Prepared is a model made ready for a run on every server.
type Prepared struct {
	Info ModelInfo
	// Mode is the response mode the run uses for this model.
	Mode string
	// NumCtx is the context window every request carries.
	NumCtx int
	// LongestPromptTokens is the longest prompt of the suite as the server counted it.
	LongestPromptTokens int
	// WarmupMS and LoadMS are the slowest server's warm-up time and model load time.
	WarmupMS, LoadMS float64

	warm Request
}

// Prepare checks that every server has the model (with the same digest), picks the
// response mode and sizes num_ctx from the suite's longest prompt unless numCtx is fixed.
// longest builds the suite's longest request in a given mode. The measured prompt size
// is kept in cache (when not nil) under the request's key, so an unchanged suite needs
// no measuring call. Call Warm before sending requests.
func Prepare(ctx context.Context, servers []*Ollama, model, mode string, numCtx int, longest func(mode string) *Request, cache Cache) (Prepared, error) {
	var p Prepared
	for i, srv := range servers {
		info, err := srv.Show(ctx, model)
		if err != nil {
			return p, err
		}
		if i == 0 {
			p.Info = info
		} else if info.Digest != p.Info.Digest {
			return p, fmt.Errorf("model %s differs between servers: %s has digest %.12s, %s has %.12s (pull the same version everywhere)",
				model, servers[0].URL, p.Info.Digest, srv.URL, info.Digest)
		}
	}
	switch mode {
	case ModeAuto:
		mode = ModeStructured
		if p.Info.HasTools() {
			mode = ModeTools
		}
	case ModeTools:
		if !p.Info.HasTools() {
			return p, fmt.Errorf("model %s does not support tools (its capabilities: %v); use mode: structured", model, p.Info.Capabilities)
		}
	}
	p.Mode = mode
	req := *longest(mode)
	req.Logprobs = false
	maxCtx := p.Info.ContextLength
	if maxCtx <= 0 {
		maxCtx = 1 << 17
	}
	if numCtx == 0 {
		key := "prompt-size-" + req.Key(p.Info.Digest, 0)
		tokens := 0
		if cache != nil {
			if a, ok := cache.Get(key); ok {
				tokens = a.PromptTokens
			}
		}
		if tokens == 0 {
			var err error
			if tokens, err = measurePrompt(ctx, servers[0], req, maxCtx); err != nil {
				return p, err
			}
			if cache != nil {
				_ = cache.Put(key, &Answer{Model: model, PromptTokens: tokens})
			}
		}
		p.LongestPromptTokens = tokens
		// The measuring request loaded the model with the guessed context; keeping the
		// guess when it is big enough saves a reload (minutes for large models), and a
		// reload while other clients use the model can stall Ollama 0.17's scheduler.
		numCtx = roundUp(tokens+tokens/10+req.Options.NumPredict+32, 256)
		if guess := ctxGuess(req, maxCtx); numCtx <= guess {
			numCtx = guess
		}
		if numCtx > maxCtx {
			return p, fmt.Errorf("model %s: the suite's longest prompt takes %d tokens plus %d to answer, more than the model's context length %d",
				model, tokens, req.Options.NumPredict, maxCtx)
		}
	}
	p.NumCtx = numCtx
	p.warm = req
	p.warm.NumCtx = numCtx
	p.warm.Options.NumPredict = 1
	return p, nil
}

// Warm loads the model on every server with the run's context size, so that load time
// stays out of the run's latencies, and records how long that took.
// A server that already holds the model with that context is left as it is.
func (p *Prepared) Warm(ctx context.Context, servers []*Ollama) error {
	for _, srv := range servers {
		if n, ok := srv.loadedContext(ctx, p.Info.Name); ok && n == p.NumCtx {
			continue
		}
		start := time.Now()
		a, err := srv.Chat(ctx, &p.warm)
		if err != nil {
			return fmt.Errorf("warm up %s: %w", p.Info.Name, err)
		}
		p.WarmupMS = max(p.WarmupMS, float64(time.Since(start).Microseconds())/1000)
		p.LoadMS = max(p.LoadMS, a.LoadMS)
		if p.LongestPromptTokens == 0 {
			p.LongestPromptTokens = a.PromptTokens
		}
	}
	return nil
}

// measurePrompt asks the server to evaluate req with a generous context and one output
// token, and returns the prompt's size in tokens. If the prompt filled the context (the
// server truncated it), it tries again with twice the room.
func measurePrompt(ctx context.Context, srv *Ollama, req Request, maxCtx int) (int, error) {
	guess := ctxGuess(req, maxCtx)
	req.Options.NumPredict = 1
	for {
		req.NumCtx = guess
		a, err := srv.Chat(ctx, &req)
		if err != nil {
			return 0, fmt.Errorf("measure the longest prompt for %s: %w", req.Model, err)
		}
		if a.PromptTokens < guess-16 || guess >= maxCtx {
			return a.PromptTokens, nil
		}
		guess = min(guess*2, maxCtx)
	}
}

// ctxGuess is a generous first context size for req: two bytes per token is more than
// any common tokenizer needs for text, and the answer must fit too.
func ctxGuess(req Request, maxCtx int) int {
	return min(max(roundUp(req.Size()/2+req.Options.NumPredict, 512), 2048), maxCtx)
}

func roundUp(n, to int) int { return (n + to - 1) / to * to }
