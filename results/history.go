package results

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// MaxHistoryRuns is the number of runs the Trend sheet shows, the current one included.
const MaxHistoryRuns = 30

// HistoryPoint is one model's headline numbers in one run, for the Trend sheet.
type HistoryPoint struct {
	// Run is the run directory's name; Started its start time.
	Run              string    `json:"run"`
	Started          time.Time `json:"started"`
	Model            string    `json:"model"`
	Accuracy         Rate      `json:"accuracy"`
	Hallucination    Rate      `json:"hallucination_rate"`
	EscalationRecall Rate      `json:"escalation_recall"`
	// LatencyP50MS is the median response time; LatencyN the answers it was measured
	// over (0 for recorded or cached answers: nothing to time).
	LatencyP50MS float64 `json:"latency_p50_ms"`
	LatencyN     int     `json:"latency_n"`
}

// HistoryOf returns a run's points, one per model of its summary.
func HistoryOf(run string, m *Manifest, s *Summary) []HistoryPoint {
	out := make([]HistoryPoint, 0, len(s.Models))
	for _, ms := range s.Models {
		out = append(out, HistoryPoint{
			Run: run, Started: m.Started, Model: ms.Model,
			Accuracy: ms.Accuracy, Hallucination: ms.Hallucination, EscalationRecall: ms.Escalation.Recall,
			LatencyP50MS: ms.LatencyMS.P50, LatencyN: ms.LatencyMS.N,
		})
	}
	return out
}

// ReadHistory reads the earlier runs of a suite kept in dir: every subdirectory whose
// manifest.json names the suite and says complete, with its summary.json. It returns
// the points of the last limit runs by start time, oldest first. Directories in
// exclude (the current run) are left out, and a symbolic link to a run already read
// (runs/baseline) counts once. Subdirectories that are not runs, or runs of other
// suites or that did not complete, are ignored; a complete run of the suite whose
// summary cannot be read is named in skipped.
func ReadHistory(dir, suite string, limit int, exclude ...string) (points []HistoryPoint, skipped []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read history: %w", err)
	}
	seen := map[string]bool{}
	for _, ex := range exclude {
		seen[resolvePath(ex)] = true
	}
	type run struct {
		name    string
		started time.Time
		points  []HistoryPoint
	}
	var runs []run
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		real := resolvePath(path)
		if seen[real] {
			continue
		}
		if info, err := os.Stat(path); err != nil || !info.IsDir() {
			continue
		}
		m, err := ReadManifest(path)
		if err != nil || m.Suite.Name != suite || m.Status != StatusComplete {
			continue
		}
		seen[real] = true
		s, err := readSummary(path)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		name := filepath.Base(real)
		runs = append(runs, run{name, m.Started, HistoryOf(name, m, s)})
	}
	slices.SortFunc(runs, func(a, b run) int { return cmp.Or(a.started.Compare(b.started), cmp.Compare(a.name, b.name)) })
	if limit >= 0 && len(runs) > limit {
		runs = runs[len(runs)-limit:]
	}
	for _, r := range runs {
		points = append(points, r.points...)
	}
	return points, skipped, nil
}

// resolvePath is path with symbolic links resolved, made absolute; path itself when
// it cannot be resolved.
func resolvePath(path string) string {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		path = p
	}
	if p, err := filepath.Abs(path); err == nil {
		path = p
	}
	return path
}

// readSummary reads dir/summary.json.
func readSummary(dir string) (*Summary, error) {
	data, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", SummaryFile, err)
	}
	return &s, nil
}
