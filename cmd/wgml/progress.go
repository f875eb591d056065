package main

import (
	"fmt"
	"io"
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
