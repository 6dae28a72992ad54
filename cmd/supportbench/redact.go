package main

import (
	"flag"
	"path/filepath"
	"reflect"

	"github.com/supportbench/supportbench/eval"
	"github.com/supportbench/supportbench/results"
)

// redactHelp documents --redact for run, score and report.
const redactHelp = "mask personal data in the outputs: names, e-mail addresses, phone, card and IBAN numbers and the other values of the cases' customer and other_records (see docs/reliability.md)"

// redactFlag declares --redact on fs.
func redactFlag(fs *flag.FlagSet) *bool { return fs.Bool("redact", false, redactHelp) }

// redactorFor returns the redactor of a run whose manifest asks for redaction, else nil
// (a nil *results.Redactor masks nothing).
func redactorFor(man *results.Manifest, s *eval.Suite) *results.Redactor {
	if !man.Redacted {
		return nil
	}
	return results.NewRedactor(s)
}

// maskResultsFile masks the results of a redacted run and, when results.jsonl holds text
// not masked yet (a judge's reasons are added after the answers were masked as they
// were written), rewrites it atomically. It returns the masked results.
func maskResultsFile(dir string, s *eval.Suite, man *results.Manifest, rs []eval.Result) ([]eval.Result, error) {
	red := redactorFor(man, s)
	if red == nil {
		return rs, nil
	}
	masked := red.Results(rs)
	if reflect.DeepEqual(masked, rs) {
		return masked, nil
	}
	return masked, results.Rewrite(filepath.Join(dir, results.ResultsFile), masked)
}
