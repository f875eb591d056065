package outlier

// Threshold-free detector quality: the areas under the ROC and
// precision-recall curves.

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/integrate"
	"gonum.org/v1/gonum/stat"
)

// AUROC returns the area under the ROC curve of scores as a detector of the
// rows where positive is true (higher score, more likely positive): the
// probability that a random positive row scores above a random negative one,
// ties counting half. The curve is gonum's stat.ROC over every distinct
// score, integrated by integrate.Trapezoidal. It needs both classes.
func AUROC(scores []float64, positive []bool) (float64, error) {
	tpr, fpr, err := roc(scores, positive)
	if err != nil {
		return 0, err
	}
	return integrate.Trapezoidal(fpr, tpr), nil
}

// AUPRC returns the area under the precision-recall curve as average
// precision (scikit-learn's average_precision_score): Σ (Rₖ−Rₖ₋₁)·Pₖ over
// the distinct scores taken as cut-offs from the highest down, with Pₖ and Rₖ
// the precision and recall of "score ≥ cut-off". Recall and false positive
// counts come from gonum's stat.ROC. A random detector scores about the
// fraction of positives. It needs both classes.
func AUPRC(scores []float64, positive []bool) (float64, error) {
	tpr, fpr, err := roc(scores, positive)
	if err != nil {
		return 0, err
	}
	var nPos, nNeg float64
	for _, p := range positive {
		if p {
			nPos++
		} else {
			nNeg++
		}
	}
	ap := 0.0
	for k := 1; k < len(tpr); k++ {
		if dr := tpr[k] - tpr[k-1]; dr > 0 {
			tp, fp := tpr[k]*nPos, fpr[k]*nNeg
			ap += dr * tp / (tp + fp)
		}
	}
	return ap, nil
}

// roc sorts a copy of scores with their classes and returns gonum's ROC
// curve over every distinct score, from (0,0) to (1,1).
func roc(scores []float64, positive []bool) (tpr, fpr []float64, err error) {
	if len(scores) != len(positive) {
		return nil, nil, fmt.Errorf("%d scores but %d labels", len(scores), len(positive))
	}
	var nPos int
	for i, p := range positive {
		if math.IsNaN(scores[i]) || math.IsInf(scores[i], 0) {
			return nil, nil, fmt.Errorf("score %d is %v: want finite scores", i, scores[i])
		}
		if p {
			nPos++
		}
	}
	if nPos == 0 || nPos == len(positive) {
		return nil, nil, fmt.Errorf("%d positive rows of %d: AUROC and AUPRC need both positive and negative rows", nPos, len(positive))
	}
	y := slices.Clone(scores)
	classes := slices.Clone(positive)
	stat.SortWeightedLabeled(y, classes, nil)
	tpr, fpr, _ = stat.ROC(nil, y, classes, nil)
	return tpr, fpr, nil
}
