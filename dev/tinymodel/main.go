// Command tinymodel generates the project's tiny test model and registers it in an
// Ollama server.
//
// No real model can be downloaded on our machines, so the project makes its own: a
// two-layer llama-architecture GGUF with seeded random weights (package dev/gguf). It
// answers gibberish in a few milliseconds through Ollama's real inference engine. It is
// for plumbing tests, the demo and benchmarks of our own overhead; it is not an
// assistant.
//
// Usage:
//
//	go run ./dev/tinymodel [-host URL] [-seed N]
//	go run ./dev/tinymodel -out FILE [-variant default|repeat] [-seed N]
//
// By default it registers two models: supportbench-tiny, whose greedy answers are
// streams of word pieces that end by themselves, and supportbench-tiny-repeat, which
// repeats one token until Ollama gives up (done: false), for tests of truncated
// answers. For each it uploads the GGUF as a blob and creates the model with a ChatML
// template that supports tools and the parameters num_thread 1, num_ctx 4096,
// num_predict 64, stop <|im_end|> and temperature 0. A model that the server already
// has with the same weights, template and parameters is left alone, so a second run
// takes a fraction of a second. It prints one line per model to stderr.
//
// The flags are:
//
//	-host URL
//		the Ollama server (default $OLLAMA_HOST, else http://127.0.0.1:11434)
//	-seed N
//		the seed of the weights (default 42)
//	-out FILE
//		write the GGUF of -variant to FILE and exit, without a server
//	-variant NAME
//		the variant -out writes: default or repeat (default "default")
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/supportbench/supportbench/dev/gguf"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv("OLLAMA_HOST"), os.Stderr)
	stop()
	var usage usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &usage):
		os.Exit(2) // the flag package has printed the error and the usage
	case err != nil:
		fmt.Fprintf(os.Stderr, "tinymodel: %v\n", err)
		os.Exit(1)
	}
}

// usageError is a bad command line, which the flag package has already reported.
type usageError struct{ error }

// run is the whole command; envHost is $OLLAMA_HOST.
func run(ctx context.Context, args []string, envHost string, stderr io.Writer) error {
	fs := flag.NewFlagSet("tinymodel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defaultHost := envHost
	if defaultHost == "" {
		defaultHost = "http://127.0.0.1:11434"
	}
	host := fs.String("host", defaultHost, "the Ollama server")
	seed := fs.Uint64("seed", 42, "the seed of the weights")
	out := fs.String("out", "", "write the GGUF of -variant to this file and exit")
	variant := fs.String("variant", string(gguf.VariantDefault), "the variant -out writes: default or repeat")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}

	if *out != "" {
		v := gguf.Variant(*variant)
		if !slices.Contains(gguf.Variants(), v) {
			return fmt.Errorf("unknown variant %q (want default or repeat)", *variant)
		}
		if err := os.WriteFile(*out, gguf.Tiny(gguf.TinyOptions{Seed: *seed, Variant: v}), 0o644); err != nil {
			return fmt.Errorf("write model: %w", err)
		}
		return nil
	}

	base, err := hostURL(*host)
	if err != nil {
		return err
	}
	for _, m := range models(*seed) {
		if err := register(ctx, base, m, stderr); err != nil {
			return err
		}
	}
	return nil
}

// hostURL accepts what OLLAMA_HOST accepts: a URL, or host[:port] without a scheme.
func hostURL(host string) (*url.URL, error) {
	if !strings.Contains(host, "://") {
		host = "http://" + host
	}
	u, err := url.Parse(strings.TrimRight(host, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("bad -host %q", host)
	}
	if u.Port() == "" {
		u.Host += ":11434"
	}
	return u, nil
}
