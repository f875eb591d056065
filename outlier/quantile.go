package outlier

import (
	"fmt"
	"math"
	"slices"

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
	if len(scores) == 0 {
		return 0, fmt.Errorf("no scores to fit a threshold on")
	}
	s, err := sortedFinite(scores)
	if err != nil {
		return 0, err
	}
	return stat.Quantile(1-contamination, stat.LinInterp, s, nil), nil
}

// sortedFinite returns a sorted copy of v, or an error naming the first
// value that is NaN or infinite.
func sortedFinite(v []float64) ([]float64, error) {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("score %d is %v: want finite scores", i, x)
		}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s, nil
}
