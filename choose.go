package wgml

import (
	"fmt"
	"math"
	"strconv"

	"github.com/wgml/wgml/outlier"
)

// ThresholdChoice is how a threshold for a model's scores is chosen (wgml
// score's options): Value as given (ByValue), the one training fitted for
// Kind, or fitted now by Method: quantile (with Contamination when Refit,
// else the contamination training used) and mad (median + MADK·1.4826·MAD)
// on the training rows' scores, max-f1 and fpr:X on the labelled rows
// scored.
type ThresholdChoice struct {
	Kind          string
	Method        outlier.Method
	Value         float64
	ByValue       bool
	Contamination float64
	Refit         bool
	MADK          float64
}

// Check refuses a choice at odds with itself: a Value (ByValue) with a
// Contamination to refit on (Refit), a Value that is not finite, a
// Contamination outlier.CheckContamination refuses, a Method other than
// quantile with a Value or a refit, or mad with a MADK that is negative
// or not finite.
func (c ThresholdChoice) Check() error {
	switch {
	case c.ByValue && c.Refit:
		return optionErr("threshold and contamination: give one of them")
	case c.ByValue && (math.IsNaN(c.Value) || math.IsInf(c.Value, 0)):
		return optionErr("threshold %v: want a finite number", c.Value)
	}
	if err := outlier.CheckContamination(c.Contamination); err != nil {
		return &OptionError{err}
	}
	switch {
	case c.Method.Kind != outlier.ByQuantile && (c.ByValue || c.Refit):
		return optionErr("threshold-method and threshold/contamination: give one of them")
	case c.Method.Kind == outlier.ByMAD && (!(c.MADK >= 0) || math.IsInf(c.MADK, 0)):
		return optionErr("mad-k %v: want a finite number >= 0", c.MADK)
	}
	return nil
}

// ChooseThreshold returns the threshold for the rows' scores (positive:
// their outlier labels, nil without) by c, and how it was found; train
// gives the scores of the rows training fitted its thresholds on, called
// only where needed.
func (m *Model) ChooseThreshold(c ThresholdChoice, scores []float64, positive []bool, train func() ([]float64, error)) (float64, string, error) {
	th, meth := m.card.Thresholds, c.Method
	stored, haveStored := th.Fitted(c.Kind)
	switch {
	case c.ByValue:
		return c.Value, "given by --threshold", nil
	case !c.Refit && haveStored && meth.Kind == outlier.ByQuantile:
		rows := "the"
		if th.Rows > 0 {
			rows = strconv.Itoa(th.Rows)
		}
		return stored, fmt.Sprintf("fitted by train: the %g quantile of %s %s rows' scores", 1-th.Contamination, rows, th.RowsName()), nil
	case meth.Kind == outlier.ByMaxF1:
		t, f1, err := outlier.MaxF1Threshold(scores, positive)
		return t, fmt.Sprintf("max-f1: the F1-optimal cut (F1 %.4f) on these %d labelled rows", f1, len(scores)), err
	case meth.NeedsLabels():
		t, err := meth.Fit(scores, positive, 0, 0)
		return t, fmt.Sprintf("%s: false-positive rate at most %g on these rows' normal ones", meth, meth.Rate), err
	}
	if !c.Refit && !math.IsNaN(th.Contamination) {
		c.Contamination = th.Contamination
	}
	s, err := train()
	if err != nil {
		return 0, "", err
	}
	t, err := meth.Fit(s, nil, c.Contamination, c.MADK)
	if meth.Kind == outlier.ByMAD {
		return t, fmt.Sprintf("mad: median + %g·1.4826·MAD of %d %s rows' scores", c.MADK, len(s), th.RowsName()), err
	}
	return t, fmt.Sprintf("the %g quantile of %d %s rows' scores", 1-c.Contamination, len(s), th.RowsName()), err
}

// ScalerFor is the outlier probability scaling of kind scores: the one
// training stored, else fitted on the training rows' scores (train).
func (m *Model) ScalerFor(kind string, train func() ([]float64, error)) (outlier.Scaler, error) {
	if sc, ok := m.card.Thresholds.Scalers[kind]; ok {
		return sc, nil
	}
	s, err := train()
	if err != nil {
		return outlier.Scaler{}, err
	}
	return outlier.FitScaler(s)
}
