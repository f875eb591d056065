package wgml

import (
	"fmt"
	"math"

	"github.com/wgml/wgml/outlier"
)

// DefaultContamination is the fraction of training rows taken for outliers
// when a threshold is fitted and nothing else is said (PyOD's default).
const DefaultContamination = outlier.DefaultContamination

// Threshold returns the (1-contamination) quantile of scores, the outlier
// threshold fitted on the training rows' scores: see outlier.Quantile.
func Threshold(scores []float64, contamination float64) (float64, error) {
	return outlier.Quantile(scores, contamination)
}

// Outliers reports for each score whether it is above threshold, and how
// many are.
func Outliers(scores []float64, threshold float64) (flags []bool, n int) {
	flags = make([]bool, len(scores))
	for i, s := range scores {
		if s > threshold {
			flags[i], n = true, n+1
		}
	}
	return flags, n
}

// AUROC is outlier.AUROC: the area under the ROC curve of scores as a
// detector of the rows where positive is true.
func AUROC(scores []float64, positive []bool) (float64, error) {
	return outlier.AUROC(scores, positive)
}

// AUPRC is outlier.AUPRC: average precision of scores as a detector of the
// rows where positive is true.
func AUPRC(scores []float64, positive []bool) (float64, error) {
	return outlier.AUPRC(scores, positive)
}

// PSNR returns the peak signal-to-noise ratio of x against clean in dB,
// 10·log10(peak²/MSE), for values with range peak (1 for pixels in [0,1]).
// Identical rows give +Inf. x and clean must have the same length.
func PSNR(clean, x []float32, peak float64) float64 {
	return 10 * math.Log10(peak*peak/MSE(clean, x))
}

// MSE returns the mean squared difference of x and clean.
func MSE(clean, x []float32) float64 { return addSquares(0, clean, x) / float64(len(clean)) }

// addSquares returns s + Σ (x[i] - clean[i])², summed in order: rows
// added one after another sum as their concatenation does.
func addSquares(s float64, clean, x []float32) float64 {
	for i, c := range clean {
		d := float64(x[i]) - float64(c)
		s += d * d
	}
	return s
}

// MeanPSNR returns the mean over rows of PSNR(clean row, x row, peak), for
// row-major tables of rows of width cols: the per-image PSNR averaged over
// a test set. Rows that match exactly (infinite PSNR) are left out of the
// mean and counted in exact.
func MeanPSNR(clean, x []float32, cols int, peak float64) (mean float64, exact int, err error) {
	if cols <= 0 || len(clean) == 0 || len(clean) != len(x) || len(clean)%cols != 0 {
		return 0, 0, fmt.Errorf("psnr: %d and %d values in rows of %d", len(clean), len(x), cols)
	}
	var sum float64
	var n int
	for i := 0; i < len(clean); i += cols {
		p := PSNR(clean[i:i+cols], x[i:i+cols], peak)
		if math.IsInf(p, 1) {
			exact++
			continue
		}
		sum += p
		n++
	}
	if n == 0 {
		return math.Inf(1), exact, nil
	}
	return sum / float64(n), exact, nil
}
