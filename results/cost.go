package results

import (
	"fmt"
	"math"

	"github.com/supportbench/supportbench/eval"
)

// CostWeights price the two escalation errors. A missed escalation leaves a customer
// who needed a person (a legal threat, a hijacked account) with the bot, so it costs
// more than an unnecessary handoff, which only spends an agent's time; and it costs
// more the riskier the case. The defaults (DefaultCostWeights) are:
//
//	missed escalation, risk low       2
//	missed escalation, risk medium    5   (also for a case without a risk)
//	missed escalation, risk high     10
//	unnecessary escalation            1   (whatever the risk)
//
// A suite loader sets them by decoding YAML into DefaultCostWeights(), so that keys
// left out keep their default:
//
//	escalation_costs:
//	  missed: {low: 2, medium: 5, high: 10}
//	  unnecessary: 1
type CostWeights struct {
	Missed      RiskWeights `yaml:"missed" json:"missed"`
	Unnecessary float64     `yaml:"unnecessary" json:"unnecessary"`
}

// RiskWeights is one weight per case risk level.
type RiskWeights struct {
	Low    float64 `yaml:"low" json:"low"`
	Medium float64 `yaml:"medium" json:"medium"`
	High   float64 `yaml:"high" json:"high"`
}

// DefaultCostWeights returns the default escalation costs: missed 2/5/10 by risk
// low/medium/high, unnecessary 1.
func DefaultCostWeights() CostWeights {
	return CostWeights{Missed: RiskWeights{Low: 2, Medium: 5, High: 10}, Unnecessary: 1}
}

// Validate reports a weight that is negative or not a number.
func (w CostWeights) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"missed.low", w.Missed.Low}, {"missed.medium", w.Missed.Medium}, {"missed.high", w.Missed.High},
		{"unnecessary", w.Unnecessary},
	} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return fmt.Errorf("%s: must be a number of at least 0, not %v", f.name, f.v)
		}
	}
	return nil
}

// missed is the cost of a missed escalation on a case of the given risk; an unset
// (or unknown) risk counts as medium.
func (w CostWeights) missed(risk string) float64 {
	switch risk {
	case eval.RiskLow:
		return w.Missed.Low
	case eval.RiskHigh:
		return w.Missed.High
	}
	return w.Missed.Medium
}

// EscalationCost is the cost-weighted escalation error of a set of answers: the sum
// of the weights of its missed and unnecessary escalations (see CostWeights).
type EscalationCost struct {
	Missed      float64 `json:"missed"`
	Unnecessary float64 `json:"unnecessary"`
	Total       float64 `json:"total"`
	// PerAnswer is Total over the answered results (0 without answers), so that
	// models and categories of different sizes compare.
	PerAnswer float64 `json:"per_answer"`
}

// add counts one answered result's escalation error, if any.
func (c *EscalationCost) add(w *CostWeights, r *eval.Result) {
	switch {
	case r.ShouldEscalate && !r.Escalated:
		c.Missed += w.missed(r.Risk)
	case !r.ShouldEscalate && r.Escalated:
		c.Unnecessary += w.Unnecessary
	}
}

// finish sets the total and the cost per answer.
func (c *EscalationCost) finish(answered int) {
	c.Total = c.Missed + c.Unnecessary
	if answered > 0 {
		c.PerAnswer = c.Total / float64(answered)
	}
}
