package wgml

import "strconv"

// ScoreRow is one row of the scores CSV that wgml score writes and
// ScoreStream streams: index,score,is_outlier[,label],probability.
type ScoreRow struct {
	Index       int
	Score       float64
	Outlier     bool
	Label       string // written only where HasLabel
	HasLabel    bool
	Probability float64
}

// ScoreHeader is the scores CSV's header: index, score, is_outlier, label
// where labels, probability, then extra (per-feature columns).
func ScoreHeader(labels bool, extra ...string) []string {
	h := []string{"index", "score", "is_outlier"}
	if labels {
		h = append(h, "label")
	}
	return append(append(h, "probability"), extra...)
}

// Append appends the row's fields to rec: the score with 8 significant
// digits, is_outlier as 0 or 1, the probability with 6.
func (r ScoreRow) Append(rec []string) []string {
	flag := "0"
	if r.Outlier {
		flag = "1"
	}
	rec = append(rec, strconv.Itoa(r.Index), strconv.FormatFloat(r.Score, 'g', 8, 64), flag)
	if r.HasLabel {
		rec = append(rec, r.Label)
	}
	return append(rec, strconv.FormatFloat(r.Probability, 'g', 6, 64))
}
