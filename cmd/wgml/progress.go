package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/wgml/wgml/nn"
	"golang.org/x/term"
)

// epochBar shows each epoch's progress: a bar with loss and samples/s on
// a terminal, nothing (the epoch line says it all) otherwise. It starts
// with an epoch's first progress report and finishes with the epoch.
type epochBar struct {
	out          io.Writer
	epochs, rows int
	bar          *progressbar.ProgressBar
}

func (e *epochBar) update(p nn.Progress) {
	if e.bar == nil {
		f, ok := e.out.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return
		}
		e.bar = progressbar.NewOptions(e.rows,
			progressbar.OptionSetWriter(e.out),
			progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", p.Epoch, e.epochs)),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("samples"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	e.bar.Describe(fmt.Sprintf("epoch %d batch %d/%d loss %.4f", p.Epoch, p.Batch, p.Batches, p.Loss))
	_ = e.bar.Set(p.Rows)
}

func (e *epochBar) finish() {
	if e.bar != nil {
		_ = e.bar.Finish()
		e.bar = nil
	}
}

// epochLine is the log line of a finished epoch.
func epochLine(c nn.Config, st nn.EpochStats, epochs int) string {
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

// printStats prints the backend's work per training step.
func printStats(out io.Writer, t *nn.Trainer) {
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
