package wgml

import (
	"fmt"
	"io"
	"math"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// EpochLine is the one-line report of a finished epoch of a c model
// trained for epochs epochs: its train loss (a VAE's recon and KL terms
// too), test and validation losses where measured ("*": the validation
// loss improved), samples/s and seconds.
func EpochLine(c nn.Config, st nn.EpochStats, epochs int) string {
	s := fmt.Sprintf("epoch %d/%d  train loss %.4f", st.Epoch, epochs, st.Loss)
	if c.Kind == nn.KindVAE {
		s += fmt.Sprintf(" (recon %.4f kl %.4f)", st.Recon, st.KL)
	}
	if !math.IsNaN(st.TestLoss) {
		s += fmt.Sprintf("  test loss %.4f", st.TestLoss)
		if c.Kind == nn.KindVAE {
			s += fmt.Sprintf(" (recon %.4f kl %.4f)", st.TestRecon, st.TestKL)
		}
	}
	if !math.IsNaN(st.ValLoss) {
		s += fmt.Sprintf("  val loss %.4f", st.ValLoss)
		if st.Improved {
			s += " *"
		}
	}
	return s + fmt.Sprintf("  %.0f samples/s  %.1fs", st.SamplesPerSec, st.Seconds)
}

// WriteStepWork writes t's backend work per training step to out:
// submits, dispatches, bytes uploaded and readbacks (nn.Counting), per
// step and in total; or that the backend does not count its work.
func WriteStepWork(out io.Writer, t *nn.Trainer) {
	if _, ok := t.B.(nn.Counting); !ok {
		fmt.Fprintf(out, "stats: backend %s does not count its work\n", t.B.Name())
		return
	}
	w, n := t.StepWork, float64(max(t.StepsRun, 1))
	fmt.Fprintf(out, "stats over %d training steps (progress reads every %d steps included):\n", t.StepsRun, t.Opt.LogEvery)
	fmt.Fprintf(out, "  per step: %.3f submits, %.1f dispatches, %.1f bytes uploaded, %.3f readbacks (%.1f bytes read)\n",
		float64(w.Submits)/n, float64(w.Dispatches)/n, float64(w.BytesUploaded)/n, float64(w.Readbacks)/n, float64(w.BytesRead)/n)
	fmt.Fprintf(out, "  total:    %d submits, %d dispatches, %d bytes uploaded, %d readbacks\n", w.Submits, w.Dispatches, w.BytesUploaded, w.Readbacks)
}

// WriteQuality writes to out the AUROC and AUPRC of scores against pos
// (row i is an outlier; positive names that class), or why not, then
// precision, recall, F1 and the confusion counts at threshold; nothing
// where pos is nil (no labels). fittedHere says the threshold was fitted
// on these very rows (an optimistic figure, said so).
func WriteQuality(out io.Writer, scores []float64, pos []bool, positive string, threshold float64, fittedHere bool) {
	if pos == nil {
		return
	}
	if q, err := EvaluateScores(scores, pos, threshold); err != nil {
		fmt.Fprintf(out, "no AUROC (positive: %s): %v\n", positive, err)
	} else {
		n := q.TP + q.FN
		fmt.Fprintf(out, "AUROC %.4f  AUPRC %.4f  (positive: %s, %d of %d rows; a random score gives AUROC 0.5, AUPRC %.4f)\n",
			q.AUROC, q.AUPRC, positive, n, len(pos), float64(n)/float64(len(pos)))
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
