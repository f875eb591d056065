package wgml

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/wgml/wgml/nn"
)

// WriteHeader writes to out the line that says what t is about to train:
// the model, its parameters, the data (the Job's spec; "rows" for Fit's),
// the train, validation and test rows and the backend; then how the
// training set streams, where it does.
func (r *Training) WriteHeader(out io.Writer, t *nn.Trainer) {
	spec, val, test := "rows", "", 0
	if r.Job != nil {
		spec = r.Job.Data
	}
	if r.Val != nil {
		val = fmt.Sprintf(" (+%d validation rows)", r.Val.Rows)
	}
	if r.Test != nil {
		test = r.Test.Rows
	}
	fmt.Fprintf(out, "training %s %v (%d parameters) on %s: %d train rows%s, %d test rows, backend %s [%s]\n",
		r.Config.Kind, r.Config.Layers, t.M.Params.Count(), spec, r.Rows.Rows, val, test, t.B.Name(), t.B.Device())
	if r.Streamed != "" {
		fmt.Fprintln(out, r.Streamed)
	}
}

// WriteReport writes to out what the run that made m ended with: where
// early stopping stopped it, the recon score's outlier threshold and
// the rows it was fitted on, the last test loss, and the files written
// to the Job's folder (none for Fit's rows).
func (r *Training) WriteReport(out io.Writer, m *Model) {
	t, th := r.Trainer(), r.Card.Thresholds
	if es := t.Early; t.EarlyStopped() {
		fmt.Fprintf(out, "early stop at epoch %d: validation loss has not improved by more than %g for %d epochs; best epoch %d, validation loss %.4f\n",
			t.Epoch, es.MinDelta, es.Patience, es.BestEpoch, es.BestLoss)
	}
	fmt.Fprintf(out, "outlier threshold: %s (recon score; the %g quantile of %d %s rows' scores)\n",
		strconv.FormatFloat(th.ByScore[nn.ScoreRecon], 'g', -1, 64), 1-th.Contamination, th.Rows, th.RowsName())
	if len(m.History) > 0 {
		fmt.Fprintf(out, "test loss: %.4f\n", m.History[len(m.History)-1].TestLoss)
	}
	if r.Job == nil {
		return
	}
	dir := r.Job.Out
	ck, loss := filepath.Join(dir, CheckpointName), filepath.Join(dir, LossCurveName)
	if t.Early != nil {
		fmt.Fprintf(out, "wrote %s (epoch %d, the best), %s (epoch %d, to resume) and %s\n", ck, t.Early.BestEpoch, filepath.Join(dir, LastName), t.Epoch, loss)
	} else {
		fmt.Fprintf(out, "wrote %s and %s\n", ck, loss)
	}
}
