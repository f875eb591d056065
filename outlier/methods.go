package outlier

// Threshold methods: how the score above which a row is an outlier is
// chosen. A row is flagged when its score is strictly above the threshold.

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Kind names a threshold method as --threshold-method spells it.
type Kind string

const (
	ByQuantile Kind = "quantile" // the (1-contamination) quantile of the training scores
	ByMAD      Kind = "mad"      // median + k·1.4826·MAD of the training scores
	ByMaxF1    Kind = "max-f1"   // the F1-optimal threshold on labelled scores
	ByFPR      Kind = "fpr"      // the threshold with false-positive rate X on the normal rows
)

// DefaultMADK is the default k of the MAD method: median + 3·σ̂ with
// σ̂ = 1.4826·MAD (see MADThreshold), the three-sigma rule made robust.
const DefaultMADK = 3.0

// Method is a parsed threshold method. Rate is FPR's false-positive rate
// and zero for the others.
type Method struct {
	Kind Kind
	Rate float64
}

// ParseMethod reads quantile, mad, max-f1 or fpr:X (X a false-positive rate
// in [0, 1)); String gives it back.
func ParseMethod(s string) (Method, error) {
	name, arg, hasArg := strings.Cut(s, ":")
	switch k := Kind(name); k {
	case ByQuantile, ByMAD, ByMaxF1:
		if hasArg {
			return Method{}, fmt.Errorf("threshold-method %q: %s takes no argument", s, k)
		}
		return Method{Kind: k}, nil
	case ByFPR:
		x, err := strconv.ParseFloat(arg, 64)
		if !hasArg || err != nil || !(x >= 0 && x < 1) {
			return Method{}, fmt.Errorf("threshold-method %q: want fpr:X with X a false-positive rate in [0, 1), e.g. fpr:0.05", s)
		}
		return Method{Kind: ByFPR, Rate: x}, nil
	}
	return Method{}, fmt.Errorf("threshold-method %q: want quantile, mad, max-f1 or fpr:X", s)
}

// String is the method as ParseMethod reads it.
func (m Method) String() string {
	if m.Kind == ByFPR {
		return "fpr:" + strconv.FormatFloat(m.Rate, 'g', -1, 64)
	}
	return string(m.Kind)
}

// MarshalText writes String, so a Method is one JSON string.
func (m Method) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads what ParseMethod reads.
func (m *Method) UnmarshalText(text []byte) error {
	p, err := ParseMethod(string(text))
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// NeedsLabels reports whether the method fits its threshold on labelled
// rows (max-f1, fpr) rather than on the training rows' scores alone.
func (m Method) NeedsLabels() bool { return m.Kind == ByMaxF1 || m.Kind == ByFPR }

// Fit returns the threshold the method fits: quantile the
// (1-contamination) quantile (Quantile) and mad the median + madK·1.4826·MAD
// (MADThreshold; DefaultMADK when madK is 0) of scores, being normal
// (training) rows' scores; max-f1 (MaxF1Threshold) and fpr:X
// (FPRThreshold) on labelled scores, positive[i] saying row i is an
// outlier. It is the one place a method becomes a threshold.
func (m Method) Fit(scores []float64, positive []bool, contamination, madK float64) (float64, error) {
	switch m.Kind {
	case ByMAD:
		if madK == 0 {
			madK = DefaultMADK
		}
		return MADThreshold(scores, madK)
	case ByMaxF1:
		t, _, err := MaxF1Threshold(scores, positive)
		return t, err
	case ByFPR:
		return FPRThreshold(scores, positive, m.Rate)
	}
	return Quantile(scores, contamination)
}

// MADThreshold returns median + k·σ̂ of the training scores, where
// σ̂ = 1.4826·MAD and MAD = median |sᵢ − median| is the median absolute
// deviation. The factor 1.4826 = 1/Φ⁻¹(3/4) makes σ̂ the standard deviation
// of normally distributed scores (scipy's median_abs_deviation with
// scale='normal'; PyOD's MAD detector's modified z-score 0.6745·|s−median|/MAD
// is the same scaling), so k reads as "k sigmas, robustly": k = 3 is the
// three-sigma rule, unmoved by the outliers that would inflate a standard
// deviation. The median of an even count is the mean of the middle two
// (numpy's). Constant scores give MAD 0 and the threshold is the median: no
// training row is above it. k must be finite and at least 0.
func MADThreshold(scores []float64, k float64) (float64, error) {
	if !(k >= 0) || math.IsInf(k, 0) {
		return 0, fmt.Errorf("mad-k %v: want a finite number >= 0", k)
	}
	s, err := sortedFinite(scores)
	if err != nil {
		return 0, err
	}
	med := median(s)
	dev := make([]float64, len(s))
	for i, v := range s {
		dev[i] = math.Abs(v - med)
	}
	slices.Sort(dev)
	return med + k*madScale*median(dev), nil
}

// madScale is 1/Φ⁻¹(3/4): MAD·madScale estimates a normal standard deviation.
const madScale = 1.482602218505602

// MaxF1Threshold returns the threshold with the highest F1 on the labelled
// scores (positive: the outlier rows), and that F1. Every cut between two
// neighbouring distinct scores is tried; the threshold lies halfway between
// the highest score left unflagged and the lowest one flagged, so it flags
// exactly the rows of the cut and is no nearer either. Flagging every row
// puts the threshold just below the lowest score. Equal F1s keep the
// highest threshold (the fewest flags). It needs at least one positive row.
func MaxF1Threshold(scores []float64, positive []bool) (threshold, f1 float64, err error) {
	y, pos, nPos, err := sortedLabelled("max-f1", scores, positive)
	if err != nil {
		return 0, 0, err
	}
	if nPos == 0 {
		return 0, 0, fmt.Errorf("max-f1: no outlier rows among the %d labelled rows: F1 needs some", len(y))
	}
	// Walk the cuts from the top: after flagging the rows y[i:], tp and fp
	// count them; F1 = 2tp / (2tp + fp + fn) with fn = nPos - tp.
	best, bestAt := -1.0, len(y)
	tp, fp := 0, 0
	for i := len(y) - 1; i >= 0; i-- {
		if pos[i] {
			tp++
		} else {
			fp++
		}
		if i > 0 && y[i-1] == y[i] {
			continue // a cut never splits equal scores
		}
		if f := 2 * float64(tp) / float64(2*tp+fp+(nPos-tp)); f > best {
			best, bestAt = f, i
		}
	}
	return cutBelow(y, bestAt), best, nil
}

// FPRThreshold returns the threshold whose false-positive rate on the
// normal rows (positive false) is at most rate and as close to it as ties
// allow: the lowest threshold that flags at most ⌊rate·N⌋ of the N normal
// rows. It lies halfway between the highest score left unflagged and the
// lowest flagged one (of either class), as MaxF1Threshold's does. rate must
// lie in [0, 1); it needs at least one normal row.
func FPRThreshold(scores []float64, positive []bool, rate float64) (float64, error) {
	if !(rate >= 0 && rate < 1) {
		return 0, fmt.Errorf("fpr %v: want a false-positive rate in [0, 1)", rate)
	}
	y, pos, nPos, err := sortedLabelled("fpr", scores, positive)
	if err != nil {
		return 0, err
	}
	nNeg := len(y) - nPos
	if nNeg == 0 {
		return 0, fmt.Errorf("fpr: no normal rows among the %d labelled rows: a false-positive rate needs some", len(y))
	}
	allowed := int(math.Floor(rate*float64(nNeg) + 1e-9)) // 1e-9: 0.29·100 is 28.999…
	// Lower the cut from the top while the normal rows flagged stay within
	// allowed, a run of equal scores at a time.
	at, fp := len(y), 0
	for i := len(y) - 1; i >= 0; {
		j, runFP := i, 0
		for ; j >= 0 && y[j] == y[i]; j-- {
			if !pos[j] {
				runFP++
			}
		}
		if fp+runFP > allowed {
			break
		}
		fp, at, i = fp+runFP, j+1, j
	}
	return cutBelow(y, at), nil
}

// cutBelow is the threshold that flags exactly the sorted scores y[at:]:
// halfway between y[at-1] and y[at], just below y[0] for at 0 and y's
// maximum for at len(y).
func cutBelow(y []float64, at int) float64 {
	switch {
	case at == len(y):
		return y[len(y)-1]
	case at == 0:
		return math.Nextafter(y[0], math.Inf(-1))
	}
	lo, hi := y[at-1], y[at]
	if mid := lo + (hi-lo)/2; mid < hi {
		return mid
	}
	return lo // neighbouring floats: no value lies between
}

// sortedLabelled checks that scores are finite and as many as the labels,
// and returns them sorted ascending with their labels and the positive count.
func sortedLabelled(method string, scores []float64, positive []bool) (y []float64, pos []bool, nPos int, err error) {
	if len(positive) == 0 {
		return nil, nil, 0, fmt.Errorf("%s: needs labelled rows (a label column, and --outlier-label or a model trained with --normal-class)", method)
	}
	if len(scores) != len(positive) {
		return nil, nil, 0, fmt.Errorf("%s: %d scores but %d labels", method, len(scores), len(positive))
	}
	if err := checkFinite(scores); err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", method, err)
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case scores[a] < scores[b]:
			return -1
		case scores[a] > scores[b]:
			return 1
		}
		return 0
	})
	y, pos = make([]float64, len(idx)), make([]bool, len(idx))
	for k, i := range idx {
		y[k], pos[k] = scores[i], positive[i]
		if pos[k] {
			nPos++
		}
	}
	return y, pos, nPos, nil
}

// median of sorted values: the middle one, or the mean of the middle two.
func median(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return s[n/2-1] + (s[n/2]-s[n/2-1])/2
}

// sortedFinite returns a sorted copy of finite, non-empty scores.
func sortedFinite(scores []float64) ([]float64, error) {
	if len(scores) == 0 {
		return nil, fmt.Errorf("no scores to fit a threshold on")
	}
	if err := checkFinite(scores); err != nil {
		return nil, err
	}
	s := slices.Clone(scores)
	slices.Sort(s)
	return s, nil
}

// checkFinite names the first score that is NaN or infinite.
func checkFinite(scores []float64) error {
	for i, v := range scores {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("score %d is %v: want finite scores", i, v)
		}
	}
	return nil
}
