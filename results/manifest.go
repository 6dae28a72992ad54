package results

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/supportbench/supportbench/eval"
)

// Run statuses recorded in the manifest.
const (
	StatusRunning     = "running"
	StatusComplete    = "complete"
	StatusInterrupted = "interrupted"
	StatusFailed      = "failed"
)

// Manifest is manifest.json: what ran, how, and how it ended.
type Manifest struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	// Command is run or score.
	Command string      `json:"command"`
	Suite   SuiteInfo   `json:"suite"`
	Models  []ModelInfo `json:"models"`
	// Options are the generation options every request carried.
	Options     eval.Options `json:"options"`
	Trials      int          `json:"trials"`
	Concurrency int          `json:"concurrency"`
	Timeout     string       `json:"timeout,omitempty"`
	Retries     int          `json:"retries"`
	Endpoints   []string     `json:"endpoints,omitempty"`
	// Shard is "k/n" when this run holds one shard of the suite.
	Shard   string    `json:"shard,omitempty"`
	Started time.Time `json:"started"`
	Ended   time.Time `json:"ended,omitzero"`
	Status  string    `json:"status"`
	Error   string    `json:"error,omitempty"`
	// Redacted is true when the outputs mask personal data (--redact).
	Redacted bool   `json:"redacted,omitempty"`
	Counts   Counts `json:"counts"`
	// Judge and Embed are the models that graded the answers beside the scorers, if any.
	Judge *ScoringModel `json:"judge,omitempty"`
	Embed *ScoringModel `json:"embed,omitempty"`
}

// SuiteInfo identifies the suite a run used.
type SuiteInfo struct {
	Name  string `json:"name"`
	Dir   string `json:"dir"`
	Hash  string `json:"hash"`
	Cases int    `json:"cases"`
}

// ModelInfo is one model as the run used it.
type ModelInfo struct {
	eval.ModelInfo
	// Mode is the response mode used (tools or structured).
	Mode string `json:"mode"`
	// NumCtx is the context window sent with every request.
	NumCtx int `json:"num_ctx"`
	// LongestPromptTokens is the longest prompt of the suite, measured by the server.
	LongestPromptTokens int `json:"longest_prompt_tokens,omitempty"`
	// WarmupMS is the warm-up request's wall time, kept out of latency statistics.
	WarmupMS float64 `json:"warmup_ms,omitempty"`
	// LoadMS is the time the server spent loading the model during warm-up.
	LoadMS float64 `json:"load_ms,omitempty"`
}

// Counts summarises what a run did.
type Counts struct {
	Planned int `json:"planned"`
	Results int `json:"results"`
	Errors  int `json:"errors"`
	Cached  int `json:"cached"`
	// ModelCalls counts requests sent to model servers in this invocation, retries included.
	ModelCalls int64 `json:"model_calls"`
}

// WriteManifest writes dir/manifest.json atomically.
func WriteManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	return eval.WriteFileAtomic(filepath.Join(dir, ManifestFile), append(data, '\n'))
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}
