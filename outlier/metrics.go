package outlier

// Operating-point metrics at a threshold, the outlier probability column and
// the features that explain a row's score.

import (
	"fmt"
	"slices"
)

// Confusion counts the rows at one threshold: a row is flagged when its
// score is above the threshold, positive when it is an outlier by its label.
type Confusion struct {
	TP int // flagged outliers
	FP int // flagged normal rows
	TN int // normal rows left unflagged
	FN int // outliers left unflagged
}

// At counts the confusion of scores against their labels at threshold
// (flagged: score > threshold).
func At(scores []float64, positive []bool, threshold float64) (Confusion, error) {
	if len(scores) != len(positive) {
		return Confusion{}, fmt.Errorf("%d scores but %d labels", len(scores), len(positive))
	}
	var c Confusion
	for i, s := range scores {
		switch flagged := s > threshold; {
		case flagged && positive[i]:
			c.TP++
		case flagged:
			c.FP++
		case positive[i]:
			c.FN++
		default:
			c.TN++
		}
	}
	return c, nil
}

// Precision is TP / (TP + FP), and 0 when no row is flagged (scikit-learn's
// zero_division=0).
func (c Confusion) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP / (TP + FN), and 0 when there are no outlier rows.
func (c Confusion) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall, 2TP / (2TP + FP + FN),
// and 0 when there is neither a flagged row nor an outlier.
func (c Confusion) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

// FPR is the false-positive rate FP / (FP + TN), and 0 without normal rows.
func (c Confusion) FPR() float64 { return ratio(c.FP, c.FP+c.TN) }

func ratio(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// Scaler is PyOD's predict_proba(method='linear'): scores scaled linearly
// so that the training scores span [0, 1], clipped to [0, 1] (scikit-learn's
// MinMaxScaler fitted on the training scores). It is plain data, so a
// checkpoint can store it beside the threshold it is fitted with.
type Scaler struct {
	Min float64 `json:"min"` // the lowest training score
	Max float64 `json:"max"` // the highest training score
}

// FitScaler returns the Scaler of the training scores.
func FitScaler(train []float64) (Scaler, error) {
	s, err := sortedFinite(train)
	if err != nil {
		return Scaler{}, fmt.Errorf("outlier probability: training %w", err)
	}
	return Scaler{Min: s[0], Max: s[len(s)-1]}, nil
}

// Probability is score's outlier probability
//
//	p = clip((score − Min) / (Max − Min), 0, 1)
//
// and, where every training score was the same, clip(score − Min, 0, 1):
// MinMaxScaler takes a zero range as 1.
func (c Scaler) Probability(score float64) float64 {
	span := c.Max - c.Min
	if span == 0 {
		span = 1
	}
	return min(max((score-c.Min)/span, 0), 1)
}

// TopFeatures is how many feature names a row's top_features column lists.
const TopFeatures = 3

// Top returns the names of the k features with the largest errors in errs
// (one row's per-feature errors, in column order), largest first; equal
// errors keep column order. k is capped at len(errs); a NaN error is an
// error.
func Top(errs []float64, names []string, k int) ([]string, error) {
	if len(errs) != len(names) {
		return nil, fmt.Errorf("%d feature errors but %d column names", len(errs), len(names))
	}
	for i, e := range errs {
		if e != e {
			return nil, fmt.Errorf("feature error %d (%s) is NaN", i, names[i])
		}
	}
	idx := Descending(errs)
	top := make([]string, min(max(k, 0), len(idx)))
	for i := range top {
		top[i] = names[idx[i]]
	}
	return top, nil
}

// Descending returns the indices of v ordered by value, largest first;
// equal values keep index order.
func Descending(v []float64) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case v[a] > v[b]:
			return -1
		case v[a] < v[b]:
			return 1
		}
		return 0
	})
	return idx
}
