package results

import (
	"cmp"
	"slices"
	"time"

	"github.com/supportbench/supportbench/eval"
)

// Defaults of a comparison.
const (
	// DefaultResamples is the number of bootstrap resamples behind each interval.
	DefaultResamples = 2000
	// DefaultSeed seeds the bootstrap, so that the same two runs always give the same
	// intervals.
	DefaultSeed = 20260302
	// Alpha is the significance level: a change is significant when its 95% interval
	// excludes zero, or, for accuracy, when McNemar's p is below Alpha.
	Alpha = 0.05
)

// metricEscalationPrecision names escalation precision in comparisons (gates do not use it).
const metricEscalationPrecision = "escalation_precision"

// comparedMetrics are the metrics a comparison reports, in order.
func comparedMetrics() []string {
	return []string{metricAccuracy, metricHallucination, metricEscalationRecall, metricEscalationPrecision}
}

// Verdicts of a flipped case.
const (
	VerdictCorrect = "correct"
	VerdictWrong   = "wrong"
)

// CompareOptions tune a comparison; the zero value uses the defaults.
type CompareOptions struct {
	Resamples int
	Seed      uint64
}

// Comparison is a run compared with a baseline run, model by model, on the (case,
// trial) results both runs answered. It is the "baseline" object of summary.json.
type Comparison struct {
	// Dir is the baseline run directory as it was given; Run is the name of the
	// directory it resolved to (a baseline is often a symbolic link that moves).
	Dir       string    `json:"dir,omitempty"`
	Run       string    `json:"run,omitempty"`
	Started   time.Time `json:"started,omitzero"`
	SuiteHash string    `json:"suite_hash,omitempty"`
	Resamples int       `json:"resamples"`
	Seed      uint64    `json:"seed"`
	// Regressed is true when any model regressed.
	Regressed bool              `json:"regressed"`
	Models    []ModelComparison `json:"models"`
	// NewModels are models of the current run the baseline lacks; DroppedModels are
	// models of the baseline the current run lacks. Neither is compared.
	NewModels     []string `json:"new_models,omitempty"`
	DroppedModels []string `json:"dropped_models,omitempty"`
}

// ModelComparison compares one model of the current run with its baseline model.
type ModelComparison struct {
	Model     string `json:"model"`
	BaseModel string `json:"base_model"`
	// Pairs are the (case, trial) results answered in both runs; Cases the cases with
	// at least one pair. Every value and change below is over these pairs.
	Pairs int `json:"pairs"`
	Cases int `json:"cases"`
	// Regressions are pairs correct in the baseline and wrong now; Fixes the reverse.
	Regressions int            `json:"regressions"`
	Fixes       int            `json:"fixes"`
	Metrics     []MetricChange `json:"metrics"`
	// Categories compare accuracy per category.
	Categories []CategoryChange `json:"categories"`
	// Flipped lists every pair whose verdict changed: regressions first.
	Flipped []Flip `json:"flipped"`
	// Added are case ids only the current run has; Removed only the baseline has.
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	// Skipped counts results of cases both runs have that were not compared: a failed
	// request on either side, or a trial only one side ran.
	Skipped int `json:"skipped"`
	// Regressed is true when accuracy or escalation recall dropped significantly or
	// the hallucination rate rose significantly; Reasons names those metrics.
	Regressed bool     `json:"regressed"`
	Reasons   []string `json:"reasons,omitempty"`
}

// MetricChange is one metric in the baseline and now.
type MetricChange struct {
	Metric string `json:"metric"`
	// Base and Current are the metric's values; BaseN and CurrentN their denominators
	// (0: the metric is undefined on that side, and nothing is compared).
	Base     float64 `json:"base"`
	Current  float64 `json:"current"`
	BaseN    int     `json:"base_n"`
	CurrentN int     `json:"current_n"`
	Delta    float64 `json:"delta"`
	// Interval is the 95% paired-bootstrap percentile interval of Delta; null when the
	// metric is undefined in most resamples.
	Interval *[2]float64 `json:"interval"`
	// P is McNemar's exact two-sided p-value (accuracy only).
	P *float64 `json:"p,omitempty"`
	// Significant: for accuracy P < 0.05, otherwise the interval excludes 0.
	Significant bool `json:"significant"`
	// Worse is true when the change is significant and harmful (a drop, or a rise of
	// the hallucination rate).
	Worse bool `json:"worse"`
}

// CategoryChange compares accuracy in one category.
type CategoryChange struct {
	Category    string       `json:"category"`
	Pairs       int          `json:"pairs"`
	Regressions int          `json:"regressions"`
	Fixes       int          `json:"fixes"`
	Accuracy    MetricChange `json:"accuracy"`
}

// Flip is a (case, trial) whose verdict changed between the baseline and now.
type Flip struct {
	CaseID   string `json:"case_id"`
	Trial    int    `json:"trial"`
	Category string `json:"category"`
	Model    string `json:"model"`
	Before   string `json:"before"`
	After    string `json:"after"`
	// Flags are the current answer's flags: why it is wrong now, if it is.
	Flags []string `json:"flags"`
}

// Regression reports whether the flip went from correct to wrong.
func (f *Flip) Regression() bool { return f.Before == VerdictCorrect }

// Metric returns the change of the named metric, or nil.
func (m *ModelComparison) Metric(name string) *MetricChange {
	for i := range m.Metrics {
		if m.Metrics[i].Metric == name {
			return &m.Metrics[i]
		}
	}
	return nil
}

// Compare compares the current run's results with the baseline's, model by model:
// models are matched by name, or, when each run has exactly one model, with each
// other whatever their names. Both inputs should be compacted (one result per case,
// model and trial).
func Compare(base, cur []eval.Result, opt CompareOptions) Comparison {
	if opt.Resamples <= 0 {
		opt.Resamples = DefaultResamples
	}
	if opt.Seed == 0 {
		opt.Seed = DefaultSeed
	}
	bOrder, bBy := byModel(base)
	cOrder, cBy := byModel(cur)
	out := Comparison{Resamples: opt.Resamples, Seed: opt.Seed}
	paired := map[string]bool{}
	for _, m := range cOrder {
		baseModel := m
		if _, ok := bBy[m]; !ok {
			if len(bOrder) != 1 || len(cOrder) != 1 {
				out.NewModels = append(out.NewModels, m)
				continue
			}
			baseModel = bOrder[0]
		}
		paired[baseModel] = true
		mc := compareModel(bBy[baseModel], cBy[m], m, opt)
		mc.BaseModel = baseModel
		out.Regressed = out.Regressed || mc.Regressed
		out.Models = append(out.Models, mc)
	}
	for _, m := range bOrder {
		if !paired[m] {
			out.DroppedModels = append(out.DroppedModels, m)
		}
	}
	return out
}

// byModel groups results by model, models in order of first appearance.
func byModel(rs []eval.Result) ([]string, map[string][]*eval.Result) {
	var order []string
	by := map[string][]*eval.Result{}
	for i := range rs {
		m := rs[i].Model
		if _, ok := by[m]; !ok {
			order = append(order, m)
		}
		by[m] = append(by[m], &rs[i])
	}
	return order, by
}

// pairedCase is one case's paired counts with its category.
type pairedCase struct {
	id, category string
	counts       pairCounts
}

// compareModel compares one model's results with its baseline model's.
func compareModel(base, cur []*eval.Result, model string, opt CompareOptions) ModelComparison {
	mc := ModelComparison{Model: model, Flipped: []Flip{}, Added: []string{}, Removed: []string{}}
	cases, added, removed, skipped := pairCases(base, cur, &mc)
	mc.Added, mc.Removed, mc.Skipped = added, removed, skipped
	counts := make([]pairCounts, len(cases))
	var total pairCounts
	for i := range cases {
		counts[i] = cases[i].counts
		total.add(&cases[i].counts)
	}
	mc.Pairs, mc.Cases = total.n, len(cases)
	mc.Regressions, mc.Fixes = total.flipsWorse, total.flipsBetter
	metrics := comparedMetrics()
	ivs := bootstrap(counts, metrics, opt.Resamples, newRNG(opt.Seed, "model", model))
	for i, name := range metrics {
		ch := metricChange(name, &total, ivs[i])
		if ch.Worse && name != metricEscalationPrecision {
			mc.Regressed = true
			mc.Reasons = append(mc.Reasons, name)
		}
		mc.Metrics = append(mc.Metrics, ch)
	}
	mc.Categories = compareCategories(cases, model, opt)
	slices.SortFunc(mc.Flipped, func(a, b Flip) int {
		return cmp.Or(
			-cmp.Compare(boolRank(a.Regression()), boolRank(b.Regression())),
			cmp.Compare(a.CaseID, b.CaseID),
			cmp.Compare(a.Trial, b.Trial),
		)
	})
	return mc
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pairCases matches the current results with the baseline's by (case, trial), adds
// the flips to mc, and returns the paired cases sorted by id, the case ids only one
// side has, and the number of results of shared cases that could not be paired.
func pairCases(base, cur []*eval.Result, mc *ModelComparison) (cases []pairedCase, added, removed []string, skipped int) {
	type key struct {
		id    string
		trial int
	}
	baseBy := make(map[key]*eval.Result, len(base))
	baseCases := map[string]bool{}
	for _, r := range base {
		baseBy[key{r.CaseID, r.Trial}] = r
		baseCases[r.CaseID] = true
	}
	curCases := map[string]bool{}
	used := map[key]bool{}
	index := map[string]int{}
	for _, r := range cur {
		curCases[r.CaseID] = true
		if !baseCases[r.CaseID] {
			continue
		}
		k := key{r.CaseID, r.Trial}
		b := baseBy[k]
		if b == nil {
			skipped++
			continue
		}
		used[k] = true
		if b.Error != "" || r.Error != "" {
			skipped++
			continue
		}
		i, ok := index[r.CaseID]
		if !ok {
			i = len(cases)
			index[r.CaseID] = i
			cases = append(cases, pairedCase{id: r.CaseID, category: r.Category})
		}
		addPair(&cases[i].counts, b, r)
		if b.Correct != r.Correct {
			mc.Flipped = append(mc.Flipped, Flip{CaseID: r.CaseID, Trial: r.Trial, Category: r.Category, Model: r.Model,
				Before: verdictWord(b.Correct), After: verdictWord(r.Correct), Flags: slices.Clone(r.Flags)})
		}
	}
	for _, r := range base {
		if curCases[r.CaseID] && !used[key{r.CaseID, r.Trial}] {
			skipped++
		}
	}
	for id := range curCases {
		if !baseCases[id] {
			added = append(added, id)
		}
	}
	for id := range baseCases {
		if !curCases[id] {
			removed = append(removed, id)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	slices.SortFunc(cases, func(a, b pairedCase) int { return cmp.Compare(a.id, b.id) })
	return cases, nonNil(added), nonNil(removed), skipped
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// addPair counts one paired result.
func addPair(p *pairCounts, b, c *eval.Result) {
	p.n++
	p.base.add(sideOf(b))
	p.cur.add(sideOf(c))
	switch {
	case b.Correct && !c.Correct:
		p.flipsWorse++
	case !b.Correct && c.Correct:
		p.flipsBetter++
	}
}

func sideOf(r *eval.Result) sideCounts {
	var s sideCounts
	if r.Correct {
		s.correct = 1
	}
	if r.Hallucinated {
		s.hallucinated = 1
	}
	switch {
	case r.ShouldEscalate && r.Escalated:
		s.tp = 1
	case r.ShouldEscalate:
		s.fn = 1
	case r.Escalated:
		s.fp = 1
	}
	return s
}

func verdictWord(correct bool) string {
	if correct {
		return VerdictCorrect
	}
	return VerdictWrong
}

// metricChange computes one metric's change over the paired counts and decides
// whether it is significant and harmful.
func metricChange(name string, total *pairCounts, iv interval) MetricChange {
	b, bn := metricValue(name, &total.base, total.n)
	c, cn := metricValue(name, &total.cur, total.n)
	ch := MetricChange{Metric: name, Base: b, Current: c, BaseN: bn, CurrentN: cn}
	if bn == 0 || cn == 0 {
		return ch
	}
	ch.Delta = c - b
	if iv.ok {
		ch.Interval = &[2]float64{iv.low, iv.high}
	}
	if name == metricAccuracy {
		p := McNemar(total.flipsWorse, total.flipsBetter)
		ch.P = &p
		ch.Significant = p < Alpha
	} else {
		ch.Significant = iv.excludesZero()
	}
	harmful := ch.Delta < 0
	if name == metricHallucination {
		harmful = ch.Delta > 0
	}
	ch.Worse = ch.Significant && harmful
	return ch
}

// compareCategories compares accuracy per category, categories sorted by name.
func compareCategories(cases []pairedCase, model string, opt CompareOptions) []CategoryChange {
	by := map[string][]pairCounts{}
	for _, c := range cases {
		by[c.category] = append(by[c.category], c.counts)
	}
	names := make([]string, 0, len(by))
	for c := range by {
		names = append(names, c)
	}
	slices.Sort(names)
	out := make([]CategoryChange, 0, len(names))
	for _, name := range names {
		var total pairCounts
		for i := range by[name] {
			total.add(&by[name][i])
		}
		ivs := bootstrap(by[name], []string{metricAccuracy}, opt.Resamples, newRNG(opt.Seed, "category", model, name))
		out = append(out, CategoryChange{Category: name, Pairs: total.n, Regressions: total.flipsWorse, Fixes: total.flipsBetter,
			Accuracy: metricChange(metricAccuracy, &total, ivs[0])})
	}
	return out
}
