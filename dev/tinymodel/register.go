package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/supportbench/supportbench/dev/gguf"
)

// model is one model to register.
type model struct {
	name    string
	options gguf.TinyOptions
}

// models returns the models the command registers, in order.
func models(seed uint64) []model {
	return []model{
		{name: "supportbench-tiny", options: gguf.TinyOptions{Seed: seed, Variant: gguf.VariantDefault}},
		{name: "supportbench-tiny-repeat", options: gguf.TinyOptions{Seed: seed, Variant: gguf.VariantRepeat}},
	}
}

// parameters are the tiny model's default options. One thread: on a 2-core machine
// two threads made latency jump from milliseconds to hundreds of milliseconds.
func parameters() map[string]any {
	return map[string]any{
		"num_thread":  1,
		"num_ctx":     4096,
		"num_predict": 64,
		"stop":        []string{gguf.ImEnd},
		"temperature": 0,
	}
}

// register makes sure the server at base has m: it generates the GGUF and, unless the
// server already has the model with these weights, template and parameters, uploads
// the file and creates the model.
func register(ctx context.Context, base *url.URL, m model, stderr io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	start := time.Now()
	client := api.NewClient(base, http.DefaultClient)
	data := gguf.Tiny(m.options)
	sum := sha256.Sum256(data)
	digest := "sha256:" + hex.EncodeToString(sum[:])

	show, err := client.Show(ctx, &api.ShowRequest{Model: m.name})
	var notFound api.StatusError
	switch {
	case err == nil && upToDate(show, digest):
		fmt.Fprintf(stderr, "%s: up to date (%s)\n", m.name, digest[:19])
		return nil
	case err != nil && !(errors.As(err, &notFound) && notFound.StatusCode == http.StatusNotFound):
		return fmt.Errorf("show %s: %w", m.name, err)
	}

	// Uploading a blob the server already has is harmless, and at 3 MB over loopback
	// it costs less than asking first.
	if err := client.CreateBlob(ctx, digest, bytes.NewReader(data)); err != nil {
		return fmt.Errorf("upload %s: %w", m.name, err)
	}
	stream := false
	req := &api.CreateRequest{
		Model:      m.name,
		Stream:     &stream,
		Files:      map[string]string{"tiny.gguf": digest},
		Template:   chatTemplate,
		Parameters: parameters(),
	}
	var status string
	err = client.Create(ctx, req, func(p api.ProgressResponse) error {
		status = p.Status
		return nil
	})
	if err != nil {
		return fmt.Errorf("create %s: %w", m.name, err)
	}
	if status != "success" {
		return fmt.Errorf("create %s: server said %q", m.name, status)
	}
	fmt.Fprintf(stderr, "%s: created from %s (%.1f MB) in %v\n",
		m.name, digest[:19], float64(len(data))/1e6, time.Since(start).Round(time.Millisecond))
	return nil
}

// upToDate reports whether a shown model is built from the blob digest with our
// template and parameters. Ollama names the blob in the Modelfile's FROM line
// (…/blobs/sha256-<hex>) and lists the parameters one "name value" per line, in no
// particular order.
func upToDate(show *api.ShowResponse, digest string) bool {
	blob := strings.Replace(digest, ":", "-", 1)
	if !strings.Contains(show.Modelfile, blob) || show.Template != chatTemplate {
		return false
	}
	var got []string
	for line := range strings.SplitSeq(show.Parameters, "\n") {
		name, value, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			return false
		}
		value = strings.TrimSpace(value)
		if s, err := strconv.Unquote(value); err == nil {
			value = s
		}
		got = append(got, name+" "+value)
	}
	var want []string
	for name, v := range parameters() {
		if list, ok := v.([]string); ok {
			for _, s := range list {
				want = append(want, name+" "+s)
			}
			continue
		}
		want = append(want, fmt.Sprint(name, " ", v))
	}
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}
