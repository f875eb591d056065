package outlier

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*max(1, math.Abs(b)) }

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
