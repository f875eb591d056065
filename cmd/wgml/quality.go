package main

import (
	"fmt"
	"io"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/outlier"
)

// printQuality prints AUROC and AUPRC of scores against pos (or why not),
// then precision, recall, F1 and the confusion counts at threshold, where
// the rows have outlier labels; fittedHere says the threshold was fitted
// on these very rows (an optimistic figure).
func printQuality(out io.Writer, scores []float64, pos []bool, desc string, threshold float64, fittedHere bool) {
	if pos == nil {
		return
	}
	if q, err := lib.EvaluateScores(scores, pos, threshold); err != nil {
		fmt.Fprintf(out, "no AUROC (positive: %s): %v\n", desc, err)
	} else {
		n := q.TP + q.FN
		fmt.Fprintf(out, "AUROC %.4f  AUPRC %.4f  (positive: %s, %d of %d rows; a random score gives AUROC 0.5, AUPRC %.4f)\n",
			q.AUROC, q.AUPRC, desc, n, len(pos), float64(n)/float64(len(pos)))
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
