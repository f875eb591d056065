package wgml

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// Probability returns each row's outlier probability: PyOD's linear
// scaling of its score by the scores Threshold was fitted on (Scaler),
// clipped to [0, 1].
func (m *Model) Probability(rows [][]float64) ([]float64, error) {
	s, err := m.Score(rows)
	if err != nil {
		return nil, err
	}
	p := make([]float64, len(s))
	for i, v := range s {
		p[i] = m.Scaler.Probability(v)
	}
	return p, nil
}

// FeatureErrors returns each value's reconstruction error, row by row in
// the model's (normalised) units: (x̂ − x)² for MSE, the BCE term on the
// logits for BCE; a row's errors sum to its recon score. outlier.Top names
// the largest of a row.
func (m *Model) FeatureErrors(rows [][]float64) ([][]float64, error) {
	res, err := m.run(rows, nn.Want{Errors: true})
	if err != nil {
		return nil, err
	}
	return split(res.Errors, m.Net.Config.Input()), nil
}

// FitThreshold sets Threshold by method (see outlier.ParseMethod) and
// returns it: "quantile" is the (1-Contamination) quantile and "mad" the
// median + MADK·1.4826·MAD (outlier.DefaultMADK when MADK is 0) of rows'
// scores, rows being normal (training) rows; "max-f1" and "fpr:X" fit on
// labelled rows, positive[i] saying row i is an outlier.
func (m *Model) FitThreshold(method string, rows [][]float64, positive []bool) (float64, error) {
	meth, err := outlier.ParseMethod(method)
	if err != nil {
		return 0, err
	}
	if meth.NeedsLabels() && len(positive) != len(rows) {
		return 0, fmt.Errorf("threshold-method %s: needs a label per row: %d labels for %d rows", meth, len(positive), len(rows))
	}
	s, err := m.Score(rows)
	if err != nil {
		return 0, err
	}
	t, err := meth.Fit(s, positive, m.Contamination, m.MADK)
	if err != nil {
		return 0, err
	}
	m.Threshold = t
	return t, nil
}

// Quality is how well scores detect labelled outliers: AUROC and AUPRC,
// and the confusion counts at the model's Threshold (their Precision,
// Recall and F1).
type Quality struct {
	AUROC, AUPRC float64
	outlier.Confusion
}

// Evaluate scores rows and measures them against positive (row i is an
// outlier): see Quality. It needs both classes.
func (m *Model) Evaluate(rows [][]float64, positive []bool) (Quality, error) {
	s, err := m.Score(rows)
	if err != nil {
		return Quality{}, err
	}
	return EvaluateScores(s, positive, m.Threshold)
}

// EvaluateScores measures scores against positive (row i is an outlier)
// and threshold: see Quality. It needs both classes.
func EvaluateScores(scores []float64, positive []bool, threshold float64) (Quality, error) {
	var q Quality
	var err error
	if q.AUROC, err = outlier.AUROC(scores, positive); err != nil {
		return q, err
	}
	if q.AUPRC, err = outlier.AUPRC(scores, positive); err != nil {
		return q, err
	}
	q.Confusion, err = outlier.At(scores, positive, threshold)
	return q, err
}
