package results

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/supportbench/supportbench/eval"
)

// SummaryDocument is what summary.json holds: the summary and, when the run was
// compared with a baseline run, that comparison under "baseline".
type SummaryDocument struct {
	*Summary
	Baseline *Comparison `json:"baseline,omitempty"`
}

// WriteSummaryDocument writes dir/summary.json atomically. Without a baseline it
// writes exactly what WriteSummary writes.
func WriteSummaryDocument(dir string, s *Summary, baseline *Comparison) error {
	if baseline == nil {
		return WriteSummary(dir, s)
	}
	data, err := json.MarshalIndent(SummaryDocument{Summary: s, Baseline: baseline}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	return eval.WriteFileAtomic(filepath.Join(dir, SummaryFile), append(data, '\n'))
}

// Run is a finished run directory as read back: its manifest and its compacted
// results (one per case, model and trial).
type Run struct {
	Dir      string
	Manifest *Manifest
	Results  []eval.Result
	// Damage lists lines of results.jsonl that could not be read and were skipped.
	Damage Damage
}

// ReadRun reads the manifest and results of the run in dir.
func ReadRun(dir string) (*Run, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("%s is not a run directory: %w", dir, err)
	}
	rs, damage, err := ReadFile(filepath.Join(dir, ResultsFile))
	if err != nil {
		return nil, fmt.Errorf("read results of %s: %w", dir, err)
	}
	return &Run{Dir: dir, Manifest: m, Results: Compact(rs), Damage: damage}, nil
}

// CompareWith compares results cur with the baseline run base and records which run
// the baseline was.
func CompareWith(base *Run, cur []eval.Result, opt CompareOptions) Comparison {
	c := Compare(base.Results, cur, opt)
	c.Dir = base.Dir
	c.Run = filepath.Base(base.Dir)
	if resolved, err := filepath.EvalSymlinks(base.Dir); err == nil {
		c.Run = filepath.Base(resolved)
	}
	c.Started = base.Manifest.Started
	c.SuiteHash = base.Manifest.Suite.Hash
	return c
}
