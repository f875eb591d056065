package outlier

import "testing"

func TestQuantile(t *testing.T) {
	th, err := Quantile([]float64{5, 1, 4, 2, 3}, 0.2)
	if err != nil || th != 4 {
		t.Errorf("Quantile(1..5, 0.2) = %v, %v; want 4 (LinInterp)", th, err)
	}
	for _, c := range []float64{-0.1, 1, 2} {
		if err := CheckContamination(c); err == nil {
			t.Errorf("contamination %v accepted", c)
		}
		if _, err := Quantile([]float64{1}, c); err == nil {
			t.Errorf("Quantile with contamination %v accepted", c)
		}
	}
	if _, err := Quantile(nil, 0.1); err == nil {
		t.Error("Quantile of no scores accepted")
	}
}
