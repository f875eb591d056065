package main

import (
	"fmt"
	"io"
	"math"

	"github.com/wgml/wgml/outlier"
)

// detectorQuality prints AUROC and AUPRC of scores against pos, or why not.
func detectorQuality(out io.Writer, scores []float64, pos []bool, desc string) (auroc, auprc float64) {
	auroc, auprc = math.NaN(), math.NaN()
	if pos == nil {
		return
	}
	n := 0
	for _, p := range pos {
		if p {
			n++
		}
	}
	var err error
	if auroc, err = outlier.AUROC(scores, pos); err != nil {
		fmt.Fprintf(out, "no AUROC (positive: %s): %v\n", desc, err)
		return math.NaN(), math.NaN()
	}
	if auprc, err = outlier.AUPRC(scores, pos); err != nil {
		fmt.Fprintf(out, "no AUPRC (positive: %s): %v\n", desc, err)
		return auroc, math.NaN()
	}
	fmt.Fprintf(out, "AUROC %.4f  AUPRC %.4f  (positive: %s, %d of %d rows; a random score gives AUROC 0.5, AUPRC %.4f)\n",
		auroc, auprc, desc, n, len(pos), float64(n)/float64(len(pos)))
	return auroc, auprc
}

// operatingPoint prints precision, recall, F1 and the confusion counts at
// threshold where the rows have outlier labels; fittedHere says the
// threshold was fitted on these very rows (an optimistic figure).
func operatingPoint(out io.Writer, scores []float64, pos []bool, threshold float64, fittedHere bool) {
	if pos == nil {
		return
	}
	c, err := outlier.At(scores, pos, threshold)
	if err != nil {
		fmt.Fprintf(out, "no precision/recall: %v\n", err)
		return
	}
	note := ""
	if fittedHere {
		note = "  (the threshold was fitted on these rows: an optimistic figure)"
	}
	fmt.Fprintf(out, "at the threshold: precision %.4f  recall %.4f  F1 %.4f  (TP %d  FP %d  TN %d  FN %d)%s\n",
		c.Precision(), c.Recall(), c.F1(), c.TP, c.FP, c.TN, c.FN, note)
}
