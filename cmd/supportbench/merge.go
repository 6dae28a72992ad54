package main

import (
	"path/filepath"
	"slices"

	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
)

const mergeUsage = `Usage: supportbench merge --out DIR [--suite DIR] RUN_DIR...

Merges runs of the same suite — typically the shards of one run ('supportbench run
--shard k/n' in a CI matrix or a Kubernetes Indexed Job) — into one run directory with
one record per case, model and trial, then writes its summary, junit.xml and scorecard.
Runs must share the suite (same content hash), models must have the same digests, and
runs graded by a judge or an embedding model must all use the same one.

Examples:
  supportbench merge --out runs/nightly runs/shard-1 runs/shard-2 runs/shard-3
`

func cmdMerge(args []string, e *env) error {
	fs := newFlagSet("merge", mergeUsage, e)
	out := fs.String("out", "", "merged run `DIR` to write (required)")
	suiteDir := fs.String("suite", "", "suite `DIR` (default: the one recorded in the first run)")
	jsonOut := fs.Bool("json", false, "print the summary as JSON on stdout")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return usageErr("merge: --out DIR and at least one RUN_DIR are required")
	}
	var mans []*results.Manifest
	for _, dir := range fs.Args() {
		m, err := results.ReadManifest(dir)
		if err != nil {
			return usageErr("merge: %s is not a run directory: %v", dir, err)
		}
		mans = append(mans, m)
	}
	merged, err := mergeManifests(mans, fs.Args())
	if err != nil {
		return err
	}
	if *suiteDir == "" && merged.Suite.Dir != "(demo)" {
		*suiteDir = merged.Suite.Dir
	}
	s, err := loadSuite(*suiteDir, e)
	if err != nil {
		return err
	}
	if s.Hash != merged.Suite.Hash {
		return usageErr("merge: the suite at %s changed since these runs (hash %.12s, runs %.12s); pass --suite with the suite they used", suiteLabel(*suiteDir), s.Hash, merged.Suite.Hash)
	}
	var all []eval.Result
	for _, dir := range fs.Args() {
		rs, _, err := results.ReadFile(filepath.Join(dir, results.ResultsFile))
		if err != nil {
			return runtimeErr(err)
		}
		all = append(all, rs...)
	}
	unlock, err := openRunDir(*out, false)
	if err != nil {
		return err
	}
	defer unlock()
	if err := results.Rewrite(filepath.Join(*out, results.ResultsFile), results.Compact(all)); err != nil {
		return runtimeErr(err)
	}
	return finish(*out, s, merged, reportOptions{}, *jsonOut, nil, e)
}

// mergeManifests combines the manifests of runs of one suite.
func mergeManifests(mans []*results.Manifest, dirs []string) (*results.Manifest, error) {
	m := *mans[0]
	m.Models = slices.Clone(m.Models)
	m.Endpoints = slices.Clone(m.Endpoints)
	m.Shard = ""
	m.Counts = results.Counts{}
	for i, o := range mans {
		if o.Suite.Hash != m.Suite.Hash {
			return nil, usageErr("merge: %s ran suite %q (hash %.12s), %s ran %q (hash %.12s): only runs of the same suite merge",
				dirs[0], m.Suite.Name, m.Suite.Hash, dirs[i], o.Suite.Name, o.Suite.Hash)
		}
		if o.Started.Before(m.Started) {
			m.Started = o.Started
		}
		if o.Status != results.StatusComplete {
			m.Status = o.Status
		}
		if !sameGrader(o.Judge, m.Judge) || !sameGrader(o.Embed, m.Embed) {
			return nil, usageErr("merge: %s was graded by %s, %s by %s: merge runs graded alike (resume the others with the same --judge and --embed-model)",
				dirs[0], graderLabel(m.Judge, m.Embed), dirs[i], graderLabel(o.Judge, o.Embed))
		}
		m.Redacted = m.Redacted || o.Redacted
		m.Counts.Planned += o.Counts.Planned
		m.Counts.ModelCalls += o.Counts.ModelCalls
		for _, mi := range o.Models {
			j := slices.IndexFunc(m.Models, func(x results.ModelInfo) bool { return x.Name == mi.Name })
			switch {
			case j < 0:
				m.Models = append(m.Models, mi)
			case m.Models[j].Digest != mi.Digest:
				return nil, usageErr("merge: model %s has digest %.12s in %s but %.12s in %s", mi.Name, m.Models[j].Digest, dirs[0], mi.Digest, dirs[i])
			}
		}
		for _, ep := range o.Endpoints {
			if !slices.Contains(m.Endpoints, ep) {
				m.Endpoints = append(m.Endpoints, ep)
			}
		}
	}
	if m.Status == results.StatusRunning {
		m.Status = results.StatusInterrupted
	}
	return &m, nil
}
