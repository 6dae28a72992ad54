package results

import (
	"math"
	"slices"

	"github.com/supportbench/supportbench/eval"
)

// calibrationBins is the number of equal-width confidence bins of the reliability
// table and of the expected calibration error; their edges 0.0, 0.1, ..., 0.9 are
// also the fixed thresholds of the risk–coverage curve.
const calibrationBins = 10

// coverageQuantiles are the confidence quantiles added to the fixed thresholds of the
// risk–coverage curve. Model confidences bunch up (log-probability confidences sit
// mostly above 0.9), where a 0.1 grid has a single point; a threshold at the
// q-quantile keeps about 1−q of the answers wherever the confidences lie.
func coverageQuantiles() []float64 {
	return []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99}
}

// Calibration says whether a model's confidence means something, over its answered
// results that came with a confidence (N of them): how far confidence is from
// correctness (Brier, ECE, Bins), and what answering only above a confidence
// threshold would buy (RiskCoverage, ThresholdForTarget).
type Calibration struct {
	N int `json:"n"`
	// Brier is the mean of (confidence − correct)², correct being 0 or 1: 0 is perfect,
	// always saying 0.5 scores 0.25.
	Brier float64 `json:"brier"`
	// ECE is the expected calibration error: over the 10 equal-width bins, the mean
	// |accuracy − mean confidence| weighted by the share of answers in the bin.
	ECE float64 `json:"ece"`
	// Bins is the reliability table; empty bins are left out.
	Bins []CalibrationBin `json:"bins"`
	// RiskCoverage holds, in increasing order, up to 21 thresholds: 0.0, 0.1, ..., 0.9
	// and the 10%, 20%, ..., 90%, 95% and 99% quantiles of the confidences.
	RiskCoverage []RiskPoint `json:"risk_coverage"`
	// TargetAccuracy is the accuracy ThresholdForTarget looks for: the suite's
	// gates.min_accuracy, else 0.9.
	TargetAccuracy float64 `json:"target_accuracy"`
	// ThresholdForTarget is the lowest threshold of RiskCoverage at which the accuracy
	// of the answers kept reaches TargetAccuracy (the observed share, not its interval);
	// nil when no threshold reaches it.
	ThresholdForTarget *RiskPoint `json:"threshold_for_target"`
}

// CalibrationBin is one confidence bin [Low, High); the last bin includes 1.
type CalibrationBin struct {
	Low            float64 `json:"low"`
	High           float64 `json:"high"`
	N              int     `json:"n"`
	MeanConfidence float64 `json:"mean_confidence"`
	// Accuracy is the share of the bin's answers that were correct.
	Accuracy float64 `json:"accuracy"`
}

// RiskPoint is one operating point: answer only when confidence ≥ Threshold, and
// hand the rest to people.
type RiskPoint struct {
	Threshold float64 `json:"threshold"`
	// Coverage is the share of the N answers with a confidence that are kept.
	Coverage float64 `json:"coverage"`
	// Accuracy is the share of the kept answers that were correct (K correct of N kept).
	Accuracy Rate `json:"accuracy"`
}

// NewCalibration computes the calibration of rs, or nil when no answered result has a
// confidence. Confidences are clamped to [0, 1]. It runs in time linear in len(rs).
func NewCalibration(rs []*eval.Result, target float64) *Calibration {
	var conf []float64
	var correct []bool
	for _, r := range rs {
		if r.Error != "" || r.Confidence == nil {
			continue
		}
		conf = append(conf, min(max(*r.Confidence, 0), 1))
		correct = append(correct, r.Correct)
	}
	if len(conf) == 0 {
		return nil
	}
	ts := thresholds(conf)
	var bins [calibrationBins]struct {
		n, right int
		conf     float64
	}
	kept, right := make([]int, len(ts)), make([]int, len(ts)) // at exactly ts[j] ≤ c < ts[j+1]
	var brier float64
	for i, c := range conf {
		o := 0.0
		if correct[i] {
			o = 1
		}
		brier += (c - o) * (c - o)
		b := &bins[gridIndex(c)]
		b.n++
		b.conf += c
		j, found := slices.BinarySearch(ts, c)
		if !found {
			j-- // ts[0] is 0, so j ≥ 0
		}
		kept[j]++
		if correct[i] {
			b.right++
			right[j]++
		}
	}
	n := float64(len(conf))
	cal := &Calibration{N: len(conf), Brier: brier / n, TargetAccuracy: target}
	for i, b := range bins {
		if b.n == 0 {
			continue
		}
		bin := CalibrationBin{Low: gridValue(i), High: gridValue(i + 1), N: b.n,
			MeanConfidence: b.conf / float64(b.n), Accuracy: float64(b.right) / float64(b.n)}
		cal.ECE += float64(b.n) / n * math.Abs(bin.Accuracy-bin.MeanConfidence)
		cal.Bins = append(cal.Bins, bin)
	}
	cal.RiskCoverage = make([]RiskPoint, len(ts))
	k, m := 0, 0
	for j := len(ts) - 1; j >= 0; j-- {
		k, m = k+right[j], m+kept[j]
		cal.RiskCoverage[j] = RiskPoint{Threshold: ts[j], Coverage: float64(m) / n, Accuracy: NewRate(k, m)}
	}
	for _, p := range cal.RiskCoverage {
		if p.Accuracy.N > 0 && p.Accuracy.Value >= target {
			cal.ThresholdForTarget = &p
			break
		}
	}
	return cal
}

// gridValue is the i-th grid point i/10, computed the same way everywhere so that
// a confidence of exactly 0.3 meets the 0.3 threshold and falls in the bin from 0.3.
func gridValue(i int) float64 { return float64(i) / calibrationBins }

// gridIndex is the bin of a confidence c in [0, 1]: the largest i with c ≥ i/10,
// at most 9.
func gridIndex(c float64) int {
	i := min(int(c*calibrationBins), calibrationBins-1)
	// c*10 can round across an edge; settle it against the edges themselves.
	if i+1 < calibrationBins && c >= gridValue(i+1) {
		i++
	}
	if i > 0 && c < gridValue(i) {
		i--
	}
	return i
}

// thresholds returns the risk–coverage thresholds for confidences conf, sorted and
// without duplicates: the grid 0.0, ..., 0.9 and the coverageQuantiles of conf
// (nearest rank, so each is a confidence some answer gave).
func thresholds(conf []float64) []float64 {
	qs := coverageQuantiles()
	ranks := make([]int, len(qs))
	for i, q := range qs {
		ranks[i] = min(max(int(math.Ceil(q*float64(len(conf))))-1, 0), len(conf)-1)
	}
	xs := slices.Clone(conf)
	selectRanks(xs, ranks)
	ts := make([]float64, 0, calibrationBins+len(qs))
	for i := range calibrationBins {
		ts = append(ts, gridValue(i))
	}
	for _, k := range ranks {
		ts = append(ts, xs[k])
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// selectRanks reorders xs so that xs[k] holds the k-th smallest value for every k in
// ranks (ascending). It is a quickselect that follows only the sides holding a wanted
// rank, so it takes expected linear time where sorting would not; the three-way
// partition keeps it linear when many confidences are equal (a model that always
// says 0.9).
func selectRanks(xs []float64, ranks []int) { selectIn(xs, 0, len(xs), ranks) }

// selectIn is selectRanks on xs[lo:hi], whose ranks all lie in [lo, hi).
func selectIn(xs []float64, lo, hi int, ranks []int) {
	for len(ranks) > 0 && hi-lo > 1 {
		if hi-lo <= 16 {
			slices.Sort(xs[lo:hi])
			return
		}
		lt, gt := partition3(xs, lo, hi)
		i, _ := slices.BinarySearch(ranks, lt)
		j, _ := slices.BinarySearch(ranks, gt)
		selectIn(xs, lo, lt, ranks[:i]) // ranks in [lt, gt) already hold the pivot
		lo, ranks = gt, ranks[j:]
	}
}

// partition3 partitions xs[lo:hi] around the median of its first, middle and last
// values into xs[lo:lt] < pivot, xs[lt:gt] == pivot and xs[gt:hi] > pivot.
func partition3(xs []float64, lo, hi int) (lt, gt int) {
	a, b, c := xs[lo], xs[lo+(hi-lo)/2], xs[hi-1]
	p := max(min(a, b), min(max(a, b), c))
	lt, gt = lo, hi
	for i := lo; i < gt; {
		switch {
		case xs[i] < p:
			xs[lt], xs[i] = xs[i], xs[lt]
			lt++
			i++
		case xs[i] > p:
			gt--
			xs[gt], xs[i] = xs[i], xs[gt]
		default:
			i++
		}
	}
	return lt, gt
}
