package results

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/supportbench/supportbench/eval"
)

// Report is everything a scorecard shows.
type Report struct {
	Suite    *eval.Suite // for questions, categories, expected facts, reference answers
	Manifest *Manifest
	Summary  *Summary
	Results  []eval.Result // compacted: one per (case, model, trial)
	Now      time.Time     // for document properties; injected for golden tests
	// Baseline is the comparison with a baseline run, if one was given.
	Baseline *Comparison
	// History are earlier runs of the suite, oldest first, for the Trend sheet.
	History []HistoryPoint
}

// Sheet names of the scorecard, in workbook order.
const (
	sheetVerdict     = "Verdict"
	sheetSummary     = "Summary"
	sheetCategories  = "Categories"
	sheetEscalation  = "Escalation"
	sheetCases       = "Cases"
	sheetFailures    = "Failures"
	sheetTrust       = "Trust"
	sheetCalibration = "Calibration"
	sheetRun         = "Run"
)

// defaultAccuracyBar is the accuracy a category needs to count as ready when the
// suite sets no accuracy gate.
const defaultAccuracyBar = 0.90

// scorecard is one workbook being written, with the report indexed for its sheets.
type scorecard struct {
	rep    *Report
	f      *excelize.File
	st     *styles
	sum    *Summary
	suite  *eval.Suite
	models []string
	// cases maps a case id to its suite case; caseIndex to its position in the suite.
	cases     map[string]*eval.Case
	caseIndex map[string]int
	// byModel holds each model's results in results order.
	byModel map[string][]*eval.Result
	// now is rep.Now, or the wall clock when the report has none.
	now time.Time
}

// WriteXLSX writes the scorecard workbook for rep to w: a Verdict sheet in plain
// words for the person who decides GO / NO-GO, then Summary, Categories, Escalation,
// Cases, Failures, Trust, Calibration and Run. Model output is untrusted: it is only
// ever written as text cells, cleaned of characters XML cannot carry and cut at
// Excel's cell limit.
func WriteXLSX(w io.Writer, rep *Report) (err error) {
	if rep == nil {
		return errors.New("scorecard: no report")
	}
	f := newWorkbook()
	defer func() {
		// Close removes the stream writer's temporary files.
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("scorecard: %w", cerr)
		}
	}()
	sc := newScorecard(f, rep)
	if err := sc.write(); err != nil {
		return fmt.Errorf("scorecard: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("scorecard: write workbook: %w", err)
	}
	return nil
}

// newWorkbook returns an empty workbook that deflates at the fastest level: the
// Cases sheet of a large run is mostly text, and deflating it at the default level
// takes longer than everything else together, for a file only somewhat smaller.
func newWorkbook() *excelize.File {
	f := excelize.NewFile()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	return f
}

// write adds the sheets in order, fills them and sets the document properties.
func (sc *scorecard) write() error {
	sheets := []struct {
		name  string
		write func() error
	}{
		{sheetVerdict, sc.writeVerdict},
		{sheetSummary, sc.writeSummary},
		{sheetCategories, sc.writeCategories},
		{sheetEscalation, sc.writeEscalation},
		{sheetCases, sc.writeCases},
		{sheetFailures, sc.writeFailures},
		{sheetTrust, sc.writeTrust},
		{sheetCalibration, sc.writeCalibration},
		{sheetRun, sc.writeRun},
	}
	if len(sc.rep.History) > 0 { // before Run, the technical appendix
		sheets = slices.Insert(sheets, len(sheets)-1, struct {
			name  string
			write func() error
		}{sheetTrend, sc.writeTrend})
	}
	for i, s := range sheets {
		var err error
		if i == 0 {
			err = sc.f.SetSheetName(sc.f.GetSheetName(0), s.name)
		} else {
			_, err = sc.f.NewSheet(s.name)
		}
		if err != nil {
			return fmt.Errorf("add sheet %s: %w", s.name, err)
		}
	}
	// Before any sheet is written: SetActiveSheet reads every worksheet back into
	// memory, which for the streamed Cases sheet costs ~3.5 KB per case row.
	sc.f.SetActiveSheet(0)
	var err error
	if sc.st, err = newStyles(sc.f); err != nil {
		return err
	}
	for _, s := range sheets {
		if err := s.write(); err != nil {
			return err
		}
		if s.name == sheetCases {
			continue // set up before streaming
		}
		headerRow := 0
		if s.name == sheetFailures {
			headerRow = failHeaderRow
		}
		if err := printSetup(sc.f, s.name, true, headerRow); err != nil {
			return err
		}
	}
	return sc.setProperties()
}

// newScorecard indexes rep. A report without a summary is summarised here (gates
// from the suite); a report without a suite shows no questions or expectations.
func newScorecard(f *excelize.File, rep *Report) *scorecard {
	sc := &scorecard{rep: rep, f: f, suite: rep.Suite, sum: rep.Summary, now: rep.Now}
	if sc.now.IsZero() {
		sc.now = time.Now()
	}
	if sc.suite == nil {
		sc.suite = &eval.Suite{}
		switch {
		case rep.Summary != nil:
			sc.suite.Name = rep.Summary.Suite
		case rep.Manifest != nil:
			sc.suite.Name = rep.Manifest.Suite.Name
		}
	}
	if sc.sum == nil {
		ms := Summarize(rep.Results)
		gates := CheckGates(sc.suite.Gates, ms)
		sc.sum = &Summary{Suite: sc.suite.Name, Hash: sc.suite.Hash, Models: ms, Gates: gates, Passed: AllPassed(gates)}
		if rep.Manifest != nil {
			sc.sum.Status = rep.Manifest.Status
		}
	}
	sc.cases = make(map[string]*eval.Case, len(sc.suite.Cases))
	sc.caseIndex = make(map[string]int, len(sc.suite.Cases))
	for i := range sc.suite.Cases {
		c := &sc.suite.Cases[i]
		sc.cases[c.ID] = c
		sc.caseIndex[c.ID] = i
	}
	sc.byModel = map[string][]*eval.Result{}
	seen := map[string]bool{}
	for i := range sc.sum.Models {
		sc.models = append(sc.models, sc.sum.Models[i].Model)
		seen[sc.sum.Models[i].Model] = true
	}
	for i := range rep.Results {
		r := &rep.Results[i]
		if !seen[r.Model] {
			seen[r.Model] = true
			sc.models = append(sc.models, r.Model)
		}
		sc.byModel[r.Model] = append(sc.byModel[r.Model], r)
	}
	return sc
}

// grid returns a writer for an ordinary sheet.
func (sc *scorecard) grid(sheet string) *grid { return &grid{f: sc.f, sheet: sheet} }

// modelSummary returns a model's metrics, or empty metrics for a model the summary lacks.
func (sc *scorecard) modelSummary(model string) *ModelSummary {
	for i := range sc.sum.Models {
		if sc.sum.Models[i].Model == model {
			return &sc.sum.Models[i]
		}
	}
	return &ModelSummary{Model: model}
}

// metrics returns a model's metrics in scope ("overall" or a category), nil if none.
func (sc *scorecard) metrics(model, scope string) *Metrics {
	ms := sc.modelSummary(model)
	if scope == "overall" {
		return &ms.Metrics
	}
	for i := range ms.Categories {
		if ms.Categories[i].Category == scope {
			return &ms.Categories[i].Metrics
		}
	}
	return nil
}

// gates returns the gate results of a model in scope, in summary order.
func (sc *scorecard) gates(model, scope string) []GateResult {
	var out []GateResult
	for _, g := range sc.sum.Gates {
		if g.Model == model && g.Scope == scope {
			out = append(out, g)
		}
	}
	return out
}

// categories returns every category any model answered, sorted (Summarize sorts them).
func (sc *scorecard) categories() []string {
	seen := map[string]bool{}
	var out []string
	for _, ms := range sc.sum.Models {
		for _, c := range ms.Categories {
			if !seen[c.Category] {
				seen[c.Category] = true
				out = append(out, c.Category)
			}
		}
	}
	slices.Sort(out)
	return out
}

// accuracyBar is the accuracy a category needs to count as ready: its own accuracy
// gate, else the suite's overall one, else defaultAccuracyBar; with words saying which.
func (sc *scorecard) accuracyBar(category string) (float64, string) {
	for _, scope := range []string{category, "overall"} {
		for _, g := range sc.sum.Gates {
			if g.Scope == scope && g.Metric == metricAccuracy {
				if scope == "overall" {
					return g.Threshold, "the suite's overall bar"
				}
				return g.Threshold, "the bar set for this category"
			}
		}
	}
	if g, ok := sc.suite.Gates.Categories[category]; ok && g.MinAccuracy != nil {
		return *g.MinAccuracy, "the bar set for this category"
	}
	if sc.suite.Gates.MinAccuracy != nil {
		return *sc.suite.Gates.MinAccuracy, "the suite's overall bar"
	}
	return defaultAccuracyBar, "the default bar (this suite sets none)"
}

// readiness judges a category's accuracy against its bar: ready at or above it,
// almost within 10 points below, not ready further below, and nothing without answers.
func readiness(acc Rate, bar float64) (tone, string) {
	switch {
	case acc.N == 0:
		return toneNone, "No answers"
	case acc.Value >= bar:
		return toneGood, "✓ Ready"
	case acc.Value >= bar-0.10:
		return toneWarn, "~ Almost"
	}
	return toneBad, "✗ Not ready"
}

// question is the last customer turn of a case, as the model saw it.
func (sc *scorecard) question(id string) string {
	c := sc.cases[id]
	if c == nil {
		return "(this case is not in the suite)"
	}
	return c.LastQuestion()
}

// setProperties sets the document properties; created and modified are the report's Now.
func (sc *scorecard) setProperties() error {
	stamp := sc.now.UTC().Format(time.RFC3339)
	err := sc.f.SetDocProps(&excelize.DocProperties{
		Title:       "Scorecard: " + cellText(sc.suite.Name),
		Subject:     "GO / NO-GO: can these AI models answer our customers?",
		Description: "Written by supportbench from the answers of one run of the suite.",
		Keywords:    "supportbench; scorecard; customer support; evaluation",
		Category:    "Evaluation",
		Creator:     "supportbench",
		Created:     stamp,
		Modified:    stamp,
		Language:    "en",
	})
	if err != nil {
		return fmt.Errorf("document properties: %w", err)
	}
	return nil
}
