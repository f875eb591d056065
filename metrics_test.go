package wgml

import (
	"math"
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
