package wgml

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*max(1, math.Abs(b)) }

func TestThreshold(t *testing.T) {
	ten := []float64{10, 3, 1, 7, 2, 9, 4, 8, 6, 5} // 1..10, shuffled
	for _, c := range []struct {
		scores []float64
		cont   float64
		want   float64
	}{
		// gonum LinInterp: p·n = 9 falls on the 9th sorted value exactly.
		{ten, 0.1, 9},
		// p·n = 8.5: halfway between the 8th and 9th values.
		{ten, 0.15, 8.5},
		{ten, 0, 10},
		{[]float64{1, 2, 3, 4}, 0.25, 3},
		{[]float64{5}, 0.1, 5},
	} {
		got, err := Threshold(c.scores, c.cont)
		if err != nil || !near(got, c.want) {
			t.Errorf("Threshold(%v, %v) = %v, %v; want %v", c.scores, c.cont, got, err, c.want)
		}
	}
	if ten[0] != 10 {
		t.Errorf("Threshold sorted its input in place: %v", ten)
	}
	for _, c := range []struct {
		scores []float64
		cont   float64
	}{{ten, 1}, {ten, -0.1}, {ten, math.NaN()}, {nil, 0.1}, {[]float64{1, math.NaN()}, 0.1}, {[]float64{math.Inf(1)}, 0.1}} {
		if got, err := Threshold(c.scores, c.cont); err == nil {
			t.Errorf("Threshold(%v, %v) = %v, want an error", c.scores, c.cont, got)
		}
	}
	// About contamination·n training rows end up above the threshold.
	th, _ := Threshold(ten, 0.2)
	if _, n := Outliers(ten, th); n != 2 {
		t.Errorf("contamination 0.2 of 10 rows: %d above threshold %v, want 2", n, th)
	}
}

func TestAUROCAndAUPRC(t *testing.T) {
	for _, c := range []struct {
		name         string
		scores       []float64
		pos          []bool
		auroc, auprc float64
	}{
		// scikit-learn's roc_auc_score / average_precision_score docs example.
		{"sklearn", []float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, 0.75, 5.0 / 6},
		{"perfect", []float64{1, 2, 3, 4}, []bool{false, false, true, true}, 1, 1},
		// Both positives rank last: AP = ½·(1/3) + ½·(2/4).
		{"reversed", []float64{4, 3, 2, 1}, []bool{false, false, true, true}, 0, 0.5*1/3.0 + 0.5*2/4.0},
		{"all tied", []float64{1, 1}, []bool{true, false}, 0.5, 0.5},
		// Pairs (pos, neg): (.5,.5) ½, (.5,.1) 1, (.9,.5) 1, (.9,.1) 1 → 3.5/4.
		// AP: cut .9 → R ½ P 1; cut .5 → R 1 P ⅔.
		{"ties", []float64{0.5, 0.5, 0.9, 0.1}, []bool{true, false, true, false}, 0.875, 0.5 + 0.5*2/3.0},
	} {
		auroc, err := AUROC(c.scores, c.pos)
		if err != nil || !near(auroc, c.auroc) {
			t.Errorf("%s: AUROC = %v, %v; want %v", c.name, auroc, err, c.auroc)
		}
		auprc, err := AUPRC(c.scores, c.pos)
		if err != nil || !near(auprc, c.auprc) {
			t.Errorf("%s: AUPRC = %v, %v; want %v", c.name, auprc, err, c.auprc)
		}
	}
	for _, c := range []struct {
		scores []float64
		pos    []bool
	}{{[]float64{1, 2}, []bool{true, true}}, {[]float64{1, 2}, []bool{false, false}}, {[]float64{1}, []bool{true, false}}, {[]float64{math.NaN(), 1}, []bool{true, false}}} {
		if _, err := AUROC(c.scores, c.pos); err == nil {
			t.Errorf("AUROC(%v, %v): want an error", c.scores, c.pos)
		}
		if _, err := AUPRC(c.scores, c.pos); err == nil {
			t.Errorf("AUPRC(%v, %v): want an error", c.scores, c.pos)
		}
	}
}

// TestAUROCPairs checks AUROC against its definition, the fraction of
// (positive, negative) pairs ranked right with ties counting half, on
// random scores with many ties; and AUPRC against average precision
// computed the slow way.
func TestAUROCPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		n := 2 + rng.IntN(60)
		scores, pos := make([]float64, n), make([]bool, n)
		for i := range scores {
			scores[i] = float64(rng.IntN(8))
			pos[i] = rng.IntN(3) == 0
		}
		pos[0], pos[1] = true, false
		var right, pairs float64
		for i := range scores {
			for j := range scores {
				if pos[i] && !pos[j] {
					pairs++
					switch {
					case scores[i] > scores[j]:
						right++
					case scores[i] == scores[j]:
						right += 0.5
					}
				}
			}
		}
		var ap, prevRecall, nPos float64
		for _, p := range pos {
			if p {
				nPos++
			}
		}
		for cut := 7.0; cut >= 0; cut-- {
			var tp, fp float64
			for i, s := range scores {
				if s >= cut {
					if pos[i] {
						tp++
					} else {
						fp++
					}
				}
			}
			if tp+fp > 0 {
				ap += (tp/nPos - prevRecall) * tp / (tp + fp)
				prevRecall = tp / nPos
			}
		}
		auroc, err := AUROC(scores, pos)
		if err != nil || math.Abs(auroc-right/pairs) > 1e-12 {
			t.Fatalf("trial %d: AUROC = %v, %v; pair count gives %v", trial, auroc, err, right/pairs)
		}
		auprc, err := AUPRC(scores, pos)
		if err != nil || math.Abs(auprc-ap) > 1e-12 {
			t.Fatalf("trial %d: AUPRC = %v, %v; average precision by hand %v", trial, auprc, err, ap)
		}
	}
}

func TestPSNR(t *testing.T) {
	clean := []float32{0, 0, 0, 0, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5}
	x := []float32{0.1, 0.1, 0.1, 0.1, 0.99, 0.99, 0.99, 0.99, 0.5, 0.5, 0.5, 0.5}
	if got := PSNR(clean[:4], x[:4], 1); math.Abs(got-20) > 1e-5 { // MSE 0.01
		t.Errorf("PSNR row 0 = %v, want 20 dB", got)
	}
	if got := PSNR(clean[:4], x[:4], 255); math.Abs(got-(20+20*math.Log10(255))) > 1e-4 {
		t.Errorf("PSNR at peak 255 = %v", got)
	}
	// Rows: 20 dB, 40 dB (MSE 1e-4), and an exact row left out of the mean.
	mean, exact, err := MeanPSNR(clean, x, 4, 1)
	if err != nil || math.Abs(mean-30) > 1e-3 || exact != 1 {
		t.Errorf("MeanPSNR = %v, %d exact, %v; want 30 dB, 1 exact", mean, exact, err)
	}
	if _, _, err := MeanPSNR(clean, x[:8], 4, 1); err == nil {
		t.Error("MeanPSNR of unequal lengths: want an error")
	}
	if _, _, err := MeanPSNR(clean, x, 5, 1); err == nil {
		t.Error("MeanPSNR with a partial row: want an error")
	}
	if got := MSE([]float32{0, 1}, []float32{1, 1}); got != 0.5 {
		t.Errorf("MSE = %v, want 0.5", got)
	}
}
