package results

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/supportbench/supportbench/eval"
)

// confResult is an answered result with a confidence, correct or not.
func confResult(conf float64, correct bool) *eval.Result {
	return &eval.Result{CaseID: "c", Model: "m", Confidence: &conf, Verdict: eval.Verdict{Correct: correct}}
}

// confResults builds results from confidences; correct[i] says whether answer i was right.
func confResults(conf []float64, correct []bool) []*eval.Result {
	out := make([]*eval.Result, len(conf))
	for i := range conf {
		out[i] = confResult(conf[i], correct[i])
	}
	return out
}

const calTol = 1e-9

func TestCalibrationBrierAndECE(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		conf       []float64
		correct    []bool
		brier, ece float64
		bins       []CalibrationBin
	}{
		{
			// Brier (0.01 + 0.81 + 0.04 + 0.16 + 0.09) / 5 = 0.222;
			// ECE 2/5·|0.5−0.9| + 1/5·|1−0.8| + 1/5·|1−0.6| + 1/5·|0−0.3| = 0.34.
			name:    "five answers in four bins",
			conf:    []float64{0.9, 0.9, 0.8, 0.6, 0.3},
			correct: []bool{true, false, true, true, false},
			brier:   0.222, ece: 0.34,
			bins: []CalibrationBin{
				{Low: 0.3, High: 0.4, N: 1, MeanConfidence: 0.3, Accuracy: 0},
				{Low: 0.6, High: 0.7, N: 1, MeanConfidence: 0.6, Accuracy: 1},
				{Low: 0.8, High: 0.9, N: 1, MeanConfidence: 0.8, Accuracy: 1},
				{Low: 0.9, High: 1, N: 2, MeanConfidence: 0.9, Accuracy: 0.5},
			},
		},
		{
			name:    "confidence 1 when right and 0 when wrong",
			conf:    []float64{1, 1, 0, 0},
			correct: []bool{true, true, false, false},
			brier:   0, ece: 0,
			bins: []CalibrationBin{
				{Low: 0, High: 0.1, N: 2, MeanConfidence: 0, Accuracy: 0},
				{Low: 0.9, High: 1, N: 2, MeanConfidence: 1, Accuracy: 1},
			},
		},
		{
			name:    "always 50%, right half the time: useless but calibrated",
			conf:    []float64{0.5, 0.5, 0.5, 0.5},
			correct: []bool{true, false, true, false},
			brier:   0.25, ece: 0,
			bins: []CalibrationBin{{Low: 0.5, High: 0.6, N: 4, MeanConfidence: 0.5, Accuracy: 0.5}},
		},
		{
			// 0.25 and 0.35 are one bin apart; 1.2 and −0.1 are clamped to 1 and 0.
			name:    "overconfident, out-of-range values clamped",
			conf:    []float64{0.25, 0.35, 1.2, -0.1},
			correct: []bool{false, false, false, true},
			brier:   (0.0625 + 0.1225 + 1 + 1) / 4, ece: (0.25 + 0.35 + 1 + 1) / 4,
			bins: []CalibrationBin{
				{Low: 0, High: 0.1, N: 1, MeanConfidence: 0, Accuracy: 1},
				{Low: 0.2, High: 0.3, N: 1, MeanConfidence: 0.25, Accuracy: 0},
				{Low: 0.3, High: 0.4, N: 1, MeanConfidence: 0.35, Accuracy: 0},
				{Low: 0.9, High: 1, N: 1, MeanConfidence: 1, Accuracy: 0},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cal := NewCalibration(confResults(tc.conf, tc.correct), 0.9)
			if cal == nil {
				t.Fatal("nil calibration")
			}
			if cal.N != len(tc.conf) || math.Abs(cal.Brier-tc.brier) > calTol || math.Abs(cal.ECE-tc.ece) > calTol {
				t.Errorf("n %d brier %v ece %v, want %d %v %v", cal.N, cal.Brier, cal.ECE, len(tc.conf), tc.brier, tc.ece)
			}
			if len(cal.Bins) != len(tc.bins) {
				t.Fatalf("bins %+v, want %+v", cal.Bins, tc.bins)
			}
			for i, b := range cal.Bins {
				w := tc.bins[i]
				if math.Abs(b.Low-w.Low) > calTol || math.Abs(b.High-w.High) > calTol || b.N != w.N ||
					math.Abs(b.MeanConfidence-w.MeanConfidence) > calTol || math.Abs(b.Accuracy-w.Accuracy) > calTol {
					t.Errorf("bin %d %+v, want %+v", i, b, w)
				}
			}
		})
	}
}

func TestCalibrationOnlyAnsweredWithConfidence(t *testing.T) {
	t.Parallel()
	failed := confResult(0.9, false)
	failed.Error = "503"
	none := &eval.Result{Verdict: eval.Verdict{Correct: false}}
	rs := []*eval.Result{confResult(0.8, true), failed, none}
	cal := NewCalibration(rs, 0.9)
	if cal == nil || cal.N != 1 || math.Abs(cal.Brier-0.04) > calTol {
		t.Errorf("calibration %+v, want n 1 (the failed and the confidence-less result left out)", cal)
	}
	if got := NewCalibration([]*eval.Result{failed, none}, 0.9); got != nil {
		t.Errorf("calibration without confidences %+v, want nil", got)
	}
}

func TestThresholdForTarget(t *testing.T) {
	t.Parallel()
	// Accuracy 3/5 at thresholds 0–0.3, 3/4 at 0.4–0.6, 2/3 at 0.7–0.8, 1/2 at 0.9.
	rs := confResults([]float64{0.9, 0.9, 0.8, 0.6, 0.3}, []bool{true, false, true, true, false})
	for _, tc := range []struct {
		target              float64
		threshold, coverage float64
		none                bool
	}{
		{target: 0.5, threshold: 0, coverage: 1},
		{target: 0.7, threshold: 0.4, coverage: 0.8},
		{target: 0.75, threshold: 0.4, coverage: 0.8}, // exactly 3/4 reaches it
		{target: 0.76, none: true},                    // 2/3 and 1/2 further up do not
		{target: 0.9, none: true},
	} {
		cal := NewCalibration(rs, tc.target)
		got := cal.ThresholdForTarget
		if cal.TargetAccuracy != tc.target {
			t.Errorf("target %v: recorded %v", tc.target, cal.TargetAccuracy)
		}
		switch {
		case tc.none && got != nil:
			t.Errorf("target %v: %+v, want none", tc.target, *got)
		case tc.none:
		case got == nil:
			t.Errorf("target %v: none, want threshold %v", tc.target, tc.threshold)
		case math.Abs(got.Threshold-tc.threshold) > calTol || math.Abs(got.Coverage-tc.coverage) > calTol || got.Accuracy.Value < tc.target:
			t.Errorf("target %v: %+v, want threshold %v coverage %v", tc.target, *got, tc.threshold, tc.coverage)
		}
	}
}

func TestRiskCoverage(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		conf func(i int) float64
		n    int
	}{
		{"one answer", func(int) float64 { return 0.7 }, 1},
		{"uniform", func(int) float64 { return rng.Float64() }, 1000},
		{"bunched above 0.9", func(int) float64 { return 0.9 + rng.Float64()/10 }, 1000},
		{"stated confidences", func(i int) float64 { return []float64{0.6, 0.8, 0.9, 0.95}[i%4] }, 999},
		{"all the same", func(int) float64 { return 0.9 }, 500},
	} {
		conf, correct := make([]float64, tc.n), make([]bool, tc.n)
		for i := range conf {
			conf[i] = tc.conf(i)
			correct[i] = rng.Float64() < conf[i]
		}
		cal := NewCalibration(confResults(conf, correct), 0.9)
		pts := cal.RiskCoverage
		if len(pts) < calibrationBins || len(pts) > 21 {
			t.Errorf("%s: %d points, want 10 to 21", tc.name, len(pts))
		}
		if pts[0].Threshold != 0 || pts[0].Coverage != 1 || pts[0].Accuracy.N != tc.n {
			t.Errorf("%s: first point %+v, want threshold 0 keeping everything", tc.name, pts[0])
		}
		for i, p := range pts {
			kept, right := 0, 0
			for j, c := range conf {
				if c >= p.Threshold {
					kept++
					if correct[j] {
						right++
					}
				}
			}
			if p.Accuracy.N != kept || p.Accuracy.K != right || math.Abs(p.Coverage-float64(kept)/float64(tc.n)) > calTol {
				t.Errorf("%s: point %+v, want %d of %d kept, %d right", tc.name, p, kept, tc.n, right)
			}
			if i > 0 && (p.Threshold <= pts[i-1].Threshold || p.Coverage > pts[i-1].Coverage) {
				t.Errorf("%s: point %d %+v after %+v: thresholds must rise and coverage must not", tc.name, i, p, pts[i-1])
			}
		}
		for i := range calibrationBins {
			if !slices.ContainsFunc(pts, func(p RiskPoint) bool { return p.Threshold == gridValue(i) }) {
				t.Errorf("%s: no point at %v", tc.name, gridValue(i))
			}
		}
	}
}

func TestGridIndexAtEdges(t *testing.T) {
	t.Parallel()
	for i := range calibrationBins {
		edge := gridValue(i)
		if got := gridIndex(edge); got != i {
			t.Errorf("gridIndex(%v) = %d, want %d", edge, got, i)
		}
		if below := math.Nextafter(edge, -1); i > 0 && gridIndex(below) != i-1 {
			t.Errorf("gridIndex(%v) = %d, want %d", below, gridIndex(below), i-1)
		}
	}
	if got := gridIndex(1); got != calibrationBins-1 {
		t.Errorf("gridIndex(1) = %d, want the last bin", got)
	}
}

func TestSelectRanks(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 15, 17, 100, 5000} {
		for _, distinct := range []int{1, 3, 1 << 30} {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = float64(rng.IntN(distinct)) / 7
			}
			sorted := slices.Sorted(slices.Values(xs))
			var ranks []int
			for _, q := range coverageQuantiles() {
				ranks = append(ranks, min(max(int(math.Ceil(q*float64(n)))-1, 0), n-1))
			}
			selectRanks(xs, ranks)
			for _, k := range ranks {
				if xs[k] != sorted[k] {
					t.Errorf("n %d, %d distinct: rank %d holds %v, want %v", n, distinct, k, xs[k], sorted[k])
				}
			}
		}
	}
}
