package results

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
)

// McNemar returns the exact two-sided p-value of McNemar's test for paired binary
// outcomes: b pairs went one way (e.g. correct → wrong), c the other. Under no change
// each discordant pair is a fair coin, so the p-value is twice the binomial tail
// P(X ≤ min(b, c)) for X ~ Binomial(b+c, ½), capped at 1. No discordant pair gives 1.
func McNemar(b, c int) float64 {
	n, k := b+c, min(b, c)
	if n == 0 || b == c {
		return 1
	}
	// Summed in log space: 0.5^n underflows for a few thousand discordant pairs.
	lnHalf := float64(n) * math.Ln2
	lgN, _ := math.Lgamma(float64(n + 1))
	var tail float64
	for i := 0; i <= k; i++ {
		lgI, _ := math.Lgamma(float64(i + 1))
		lgR, _ := math.Lgamma(float64(n - i + 1))
		tail += math.Exp(lgN - lgI - lgR - lnHalf)
	}
	return min(1, 2*tail)
}

// pairCounts are the per-case sums a comparison resamples: the number of paired
// (case, trial) results and, for each side, how many were correct or hallucinated and
// the escalation confusion counts.
type pairCounts struct {
	n           int
	base, cur   sideCounts
	flipsWorse  int // correct → wrong
	flipsBetter int // wrong → correct
}

// sideCounts are one run's counts over a set of paired results.
type sideCounts struct {
	correct, hallucinated int
	tp, fn, fp            int
}

func (s *sideCounts) add(o sideCounts) {
	s.correct += o.correct
	s.hallucinated += o.hallucinated
	s.tp += o.tp
	s.fn += o.fn
	s.fp += o.fp
}

func (p *pairCounts) add(o *pairCounts) {
	p.n += o.n
	p.base.add(o.base)
	p.cur.add(o.cur)
	p.flipsWorse += o.flipsWorse
	p.flipsBetter += o.flipsBetter
}

// metricValue is a metric's value over counts and its denominator; a zero denominator
// means the metric is undefined there (no conversation needed a person, say).
func metricValue(metric string, s *sideCounts, n int) (float64, int) {
	var k, d int
	switch metric {
	case metricAccuracy:
		k, d = s.correct, n
	case metricHallucination:
		k, d = s.hallucinated, n
	case metricEscalationRecall:
		k, d = s.tp, s.tp+s.fn
	case metricEscalationPrecision:
		k, d = s.tp, s.tp+s.fp
	}
	if d == 0 {
		return 0, 0
	}
	return float64(k) / float64(d), d
}

// bootstrap draws resamples of the cases with replacement (a case carries all its
// trials, so repeated trials of one case are not mistaken for independent evidence)
// and returns, per metric, the 2.5th and 97.5th percentiles of current − base.
// Resamples where a metric is undefined on either side are left out of that metric's
// interval; ok is false when fewer than half of them remain.
func bootstrap(cases []pairCounts, metrics []string, resamples int, rng *rand.Rand) []interval {
	deltas := make([][]float64, len(metrics))
	for i := range deltas {
		deltas[i] = make([]float64, 0, resamples)
	}
	for range resamples {
		var sum pairCounts
		for range cases {
			sum.add(&cases[rng.IntN(len(cases))])
		}
		for i, m := range metrics {
			b, bn := metricValue(m, &sum.base, sum.n)
			c, cn := metricValue(m, &sum.cur, sum.n)
			if bn > 0 && cn > 0 {
				deltas[i] = append(deltas[i], c-b)
			}
		}
	}
	out := make([]interval, len(metrics))
	for i, d := range deltas {
		if len(cases) == 0 || 2*len(d) < resamples {
			continue
		}
		slices.Sort(d)
		out[i] = interval{low: quantile(d, 0.025), high: quantile(d, 0.975), ok: true}
	}
	return out
}

// interval is a bootstrap percentile interval.
type interval struct {
	low, high float64
	ok        bool
}

// excludesZero reports whether the interval lies entirely above or below zero.
func (iv interval) excludesZero() bool { return iv.ok && (iv.low > 0 || iv.high < 0) }

// quantile is the q-quantile of sorted xs, interpolating linearly between ranks.
func quantile(xs []float64, q float64) float64 {
	pos := q * float64(len(xs)-1)
	i := int(math.Floor(pos))
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

// newRNG returns the generator for one resampling: a fixed seed mixed with the names
// of what is resampled, so that a comparison's intervals do not depend on how many
// models or categories came before it.
func newRNG(seed uint64, names ...string) *rand.Rand {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}
