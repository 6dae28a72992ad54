package results

import (
	"math"
	"slices"
)

// Rate is a proportion with its 95% Wilson score interval.
type Rate struct {
	K     int     `json:"k"`
	N     int     `json:"n"`
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// NewRate returns k out of n with its interval; n = 0 gives a zero rate with [0, 1].
func NewRate(k, n int) Rate {
	if n == 0 {
		return Rate{High: 1}
	}
	lo, hi := wilson(k, n)
	return Rate{K: k, N: n, Value: float64(k) / float64(n), Low: lo, High: hi}
}

// wilson is the 95% Wilson score interval for k successes in n trials: unlike the
// normal approximation it stays inside [0, 1] and behaves at 0 and n.
func wilson(k, n int) (float64, float64) {
	const z = 1.959963984540054
	p := float64(k) / float64(n)
	nf := float64(n)
	den := 1 + z*z/nf
	mid := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return max(0, mid-half), min(1, mid+half)
}

// Percentiles of a latency distribution, in milliseconds.
type Percentiles struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// NewPercentiles computes percentiles of xs (nearest-rank); xs is sorted in place.
func NewPercentiles(xs []float64) Percentiles {
	if len(xs) == 0 {
		return Percentiles{}
	}
	slices.Sort(xs)
	var sum float64
	for _, x := range xs {
		sum += x
	}
	rank := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(xs)))) - 1
		return xs[min(max(i, 0), len(xs)-1)]
	}
	return Percentiles{N: len(xs), Mean: sum / float64(len(xs)), P50: rank(0.5), P90: rank(0.9), P99: rank(0.99), Max: xs[len(xs)-1]}
}
