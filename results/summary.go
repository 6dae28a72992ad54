package results

import (
	"encoding/json"
	"path/filepath"
	"slices"

	"github.com/supportbench/supportbench/eval"
)

// Summary is summary.json: the aggregate of a run, per model and per category.
type Summary struct {
	Suite  string         `json:"suite"`
	Hash   string         `json:"suite_hash"`
	Status string         `json:"status"`
	Models []ModelSummary `json:"models"`
	Gates  []GateResult   `json:"gates"`
	// Passed is true when every gate passed.
	Passed bool `json:"passed"`
}

// ModelSummary is one model's metrics, overall and per category.
type ModelSummary struct {
	Model string `json:"model"`
	Metrics
	Categories []CategoryMetrics `json:"categories"`
	// Calibration is over the model's answers that came with a confidence; nil
	// (left out) when none did.
	Calibration *Calibration `json:"calibration,omitempty"`
	// Fairness holds the model's counterfactual groups, sorted by name; left out when
	// the suite has none or the summary was made without the suite.
	Fairness []FairnessGroup `json:"fairness,omitempty"`
	// Judge is the judge model's agreement with the deterministic verdicts; left out
	// when the run had no judge (--judge).
	Judge *JudgeAgreement `json:"judge,omitempty"`
}

// CategoryMetrics are one category's metrics for one model.
type CategoryMetrics struct {
	Category string `json:"category"`
	Metrics
}

// Metrics aggregate a set of results. Rates count answered results only; Errors are
// requests that failed and have no answer.
type Metrics struct {
	Results int `json:"results"`
	Errors  int `json:"errors"`
	// Accuracy is the share of answers that were correct end to end.
	Accuracy Rate `json:"accuracy"`
	// Hallucination is the share of answers with an unsupported claim.
	Hallucination Rate `json:"hallucination_rate"`
	// EscalationAccuracy is the share with escalated == should_escalate.
	EscalationAccuracy Rate      `json:"escalation_accuracy"`
	Escalation         Confusion `json:"escalation"`
	// RecallByReason is escalation recall per escalation reason.
	RecallByReason map[string]Rate `json:"recall_by_reason,omitempty"`
	// EscalationCost weighs missed and unnecessary escalations (see CostWeights).
	EscalationCost EscalationCost `json:"escalation_cost"`
	LatencyMS      Percentiles    `json:"latency_ms"`
	// TokensPerSecond is completion tokens over the server's generation time.
	TokensPerSecond  float64 `json:"tokens_per_second"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
}

// Confusion is the should-escalate × did-escalate matrix with its derived rates.
type Confusion struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	TN        int     `json:"tn"`
	Precision Rate    `json:"precision"`
	Recall    Rate    `json:"recall"`
	F1        float64 `json:"f1"`
}

// Settings are the inputs of the aggregates that a suite can change.
type Settings struct {
	// Costs weigh escalation errors.
	Costs CostWeights
	// TargetAccuracy is the accuracy Calibration.ThresholdForTarget looks for.
	TargetAccuracy float64
	// Suite gives the personas of counterfactual cases; nil leaves Fairness out.
	Suite *eval.Suite
}

// DefaultSettings are the settings without a suite: default cost weights and a target
// accuracy of 0.9.
func DefaultSettings() Settings {
	return Settings{Costs: DefaultCostWeights(), TargetAccuracy: defaultAccuracyBar}
}

// SuiteSettings are the settings of suite s: DefaultSettings with the suite's
// personas, and its gates.min_accuracy as the target accuracy when set.
func SuiteSettings(s *eval.Suite) Settings {
	set := DefaultSettings()
	set.Suite = s
	if s != nil && s.Gates.MinAccuracy != nil {
		set.TargetAccuracy = *s.Gates.MinAccuracy
	}
	return set
}

// Summarize aggregates results per model (in order of first appearance) and category
// with DefaultSettings: everything but Fairness, which needs the suite.
func Summarize(rs []eval.Result) []ModelSummary {
	return SummarizeWith(rs, DefaultSettings())
}

// SummarizeWith aggregates results per model (in order of first appearance) and
// category. It takes time linear in len(rs) (apart from sorting latencies).
func SummarizeWith(rs []eval.Result, set Settings) []ModelSummary {
	byModel := map[string][]*eval.Result{}
	var order []string
	for i := range rs {
		m := rs[i].Model
		if _, ok := byModel[m]; !ok {
			order = append(order, m)
		}
		byModel[m] = append(byModel[m], &rs[i])
	}
	var fair map[string][]FairnessGroup
	if set.Suite != nil {
		fair = Fairness(rs, set.Suite)
	}
	out := make([]ModelSummary, 0, len(order))
	for _, m := range order {
		group := byModel[m]
		ms := ModelSummary{Model: m, Metrics: aggregate(group, &set.Costs),
			Calibration: NewCalibration(group, set.TargetAccuracy), Fairness: fair[m], Judge: NewJudgeAgreement(group)}
		byCat := map[string][]*eval.Result{}
		for _, r := range group {
			byCat[r.Category] = append(byCat[r.Category], r)
		}
		cats := make([]string, 0, len(byCat))
		for c := range byCat {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		for _, c := range cats {
			ms.Categories = append(ms.Categories, CategoryMetrics{Category: c, Metrics: aggregate(byCat[c], &set.Costs)})
		}
		out = append(out, ms)
	}
	return out
}

func aggregate(rs []*eval.Result, costs *CostWeights) Metrics {
	var m Metrics
	var correct, halluc, escOK, answered int
	var lat []float64
	var evalMS float64
	reasonK, reasonN := map[string]int{}, map[string]int{}
	for _, r := range rs {
		m.Results++
		if r.Error != "" {
			m.Errors++
			continue
		}
		answered++
		if r.Correct {
			correct++
		}
		if r.Hallucinated {
			halluc++
		}
		if r.EscalationOK {
			escOK++
		}
		m.EscalationCost.add(costs, r)
		switch {
		case r.ShouldEscalate && r.Escalated:
			m.Escalation.TP++
		case r.ShouldEscalate:
			m.Escalation.FN++
		case r.Escalated:
			m.Escalation.FP++
		default:
			m.Escalation.TN++
		}
		if r.ShouldEscalate {
			reason := r.EscalationReason
			if reason == "" {
				reason = "unspecified"
			}
			reasonN[reason]++
			if r.Escalated {
				reasonK[reason]++
			}
		}
		if !r.Cached && r.Mode != eval.ModeRecorded {
			lat = append(lat, r.LatencyMS)
		}
		evalMS += r.EvalMS
		m.PromptTokens += r.PromptTokens
		m.CompletionTokens += r.CompletionTokens
	}
	m.Accuracy = NewRate(correct, answered)
	m.Hallucination = NewRate(halluc, answered)
	m.EscalationAccuracy = NewRate(escOK, answered)
	m.EscalationCost.finish(answered)
	c := &m.Escalation
	c.Precision = NewRate(c.TP, c.TP+c.FP)
	c.Recall = NewRate(c.TP, c.TP+c.FN)
	if p, r := c.Precision.Value, c.Recall.Value; p+r > 0 {
		c.F1 = 2 * p * r / (p + r)
	}
	if len(reasonN) > 0 {
		m.RecallByReason = map[string]Rate{}
		for reason, n := range reasonN {
			m.RecallByReason[reason] = NewRate(reasonK[reason], n)
		}
	}
	m.LatencyMS = NewPercentiles(lat)
	if evalMS > 0 {
		m.TokensPerSecond = float64(m.CompletionTokens) / (evalMS / 1000)
	}
	return m
}

// WriteSummary writes dir/summary.json atomically.
func WriteSummary(dir string, s *Summary) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return eval.WriteFileAtomic(filepath.Join(dir, SummaryFile), append(data, '\n'))
}
