package outlier

import (
	"fmt"

	"gonum.org/v1/gonum/stat"
)

// DefaultContamination is the fraction of training rows taken for outliers
// when a threshold is fitted and nothing else is said (PyOD's default).
const DefaultContamination = 0.1

// CheckContamination reports whether c is a fraction in [0, 1).
func CheckContamination(c float64) error {
	if !(c >= 0 && c < 1) {
		return fmt.Errorf("contamination %v: want a fraction in [0, 1), e.g. 0.1", c)
	}
	return nil
}

// Quantile returns the (1-contamination) quantile of scores: the outlier
// threshold PyOD calls threshold_, fitted on the training rows' scores. A row
// is an outlier when its score is above the threshold, so about
// contamination·len(scores) training rows are.
//
// The quantile is gonum's stat.Quantile with stat.LinInterp (the empirical
// distribution linearly interpolated, R's type 4); numpy's default
// percentile, which PyOD uses, is type 7: the two differ by less than the gap
// between two neighbouring sorted scores. contamination must lie in [0, 1)
// and every score must be finite.
func Quantile(scores []float64, contamination float64) (float64, error) {
	if err := CheckContamination(contamination); err != nil {
		return 0, err
	}
	s, err := sortedFinite(scores)
	if err != nil {
		return 0, err
	}
	return stat.Quantile(1-contamination, stat.LinInterp, s, nil), nil
}
