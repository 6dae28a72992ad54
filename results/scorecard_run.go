package results

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// writeRun writes what was tested and how: the suite, the tool, the models with
// their digests and settings, the generation options, times, status and counts.
func (sc *scorecard) writeRun() error {
	g, st := sc.grid(sheetRun), sc.st
	g.widths(30, 74, 12, 14, 14, 12, 10, 12, 12, 12)
	g.text(1, 1, "About this run", st.title)
	g.text(1, 2, "For the engineers: exactly what was tested and how, so that the run can be repeated and compared.", st.subtitle)
	man := sc.rep.Manifest
	row := 4
	kv := func(key, value string) {
		g.text(1, row, key, st.bold)
		g.text(2, row, value, st.wrap)
		g.fit(row, cellText(value), 74)
		row++
	}
	heading := func(s string) {
		row++
		g.text(1, row, s, st.heading)
		row++
	}
	g.text(1, row, "Suite", st.heading)
	row++
	s := sc.suite
	kv("Name", s.Name)
	if s.Description != "" {
		kv("Description", s.Description)
	}
	hash, cases, dir := s.Hash, len(s.Cases), s.Dir
	if man != nil {
		hash, dir = cmp.Or(man.Suite.Hash, hash), cmp.Or(man.Suite.Dir, dir)
		cases = cmp.Or(man.Suite.Cases, cases)
	}
	kv("Folder", dir)
	kv("Content hash", hash)
	kv("Cases", count(cases))
	if man == nil {
		heading("Run")
		kv("Details", "No manifest was given, so how the run was made is unknown.")
		return g.err
	}
	heading("Run")
	kv("Tool", strings.TrimSpace(cmp.Or(man.Tool, "supportbench")+" "+man.Version))
	kv("Command", man.Command)
	kv("Started", timeWords(man.Started))
	kv("Ended", timeWords(man.Ended))
	if !man.Started.IsZero() && !man.Ended.IsZero() {
		kv("Duration", man.Ended.Sub(man.Started).Round(time.Second).String())
	}
	kv("Status", statusWords(man.Status))
	if man.Error != "" {
		kv("Error", man.Error)
	}
	kv("Trials (times each case was asked)", strconv.Itoa(man.Trials))
	kv("Concurrency (requests at once per server)", strconv.Itoa(man.Concurrency))
	kv("Timeout per request", cmp.Or(man.Timeout, "none"))
	kv("Retries", strconv.Itoa(man.Retries))
	if man.Shard != "" {
		kv("Shard", man.Shard)
	}
	kv("Model servers", cmp.Or(strings.Join(man.Endpoints, "\n"), "—"))

	heading("Counts")
	kv("Planned answers", count(man.Counts.Planned))
	kv("Results", count(man.Counts.Results))
	kv("Failed requests", count(man.Counts.Errors))
	kv("Answers reused from the cache", count(man.Counts.Cached))
	kv("Model calls (retries included)", count(int(man.Counts.ModelCalls)))

	heading("Generation options")
	o := man.Options
	kv("Temperature", strconv.FormatFloat(o.Temperature, 'f', -1, 64))
	kv("Seed", strconv.Itoa(o.Seed))
	kv("Longest answer (num_predict, tokens)", numOrDefault(o.NumPredict, "the server's default"))
	if o.TopP != nil {
		kv("top_p", strconv.FormatFloat(*o.TopP, 'f', -1, 64))
	}
	if o.TopK != nil {
		kv("top_k", strconv.Itoa(*o.TopK))
	}
	kv("Context window (num_ctx, tokens)", numOrDefault(o.NumCtx, "computed per model from the suite's longest prompt (see below)"))

	heading("Models")
	g.headers(1, row, st.header, "Model", "Digest (exact version)", "Mode", "Context window (num_ctx)", "Longest prompt (tokens)",
		"Family", "Size", "Quantization", "Warm-up (s)", "Load (s)")
	g.height(row, 32)
	row++
	for _, m := range man.Models {
		g.text(1, row, m.Name, st.bold)
		g.text(2, row, cmp.Or(m.Digest, "—"), st.text)
		g.text(3, row, m.Mode, st.text)
		g.integer(4, row, m.NumCtx, st.integer)
		g.integer(5, row, m.LongestPromptTokens, st.integer)
		g.text(6, row, m.Family, st.text)
		g.text(7, row, m.ParameterSize, st.text)
		g.text(8, row, m.Quantization, st.text)
		g.number(9, row, m.WarmupMS/1000, st.decimal)
		g.number(10, row, m.LoadMS/1000, st.decimal)
		row++
	}
	return g.err
}

// timeWords writes a time in UTC, or a dash when unset.
func timeWords(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func numOrDefault(n int, def string) string {
	if n == 0 {
		return def
	}
	return fmt.Sprint(n)
}
