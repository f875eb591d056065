package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"
	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// modelFlags are the flags of commands that use a trained model.
type modelFlags struct {
	ckpt    string
	split   lib.Split
	batch   int
	backend *string
	data    *dataFlags
}

func addModelFlags(fs *pflag.FlagSet) *modelFlags {
	f := &modelFlags{}
	fs.StringVar(&f.ckpt, "model", "runs/ae-mnist/model.safetensors", "checkpoint written by wgml train")
	textVar(fs, &f.split, "split", lib.SplitTest, "which part of the data set: test or train")
	fs.IntVar(&f.batch, "batch", nn.ScoreBatch, "rows per batch")
	f.backend = addBackendFlag(fs)
	f.data = addDataFlags(fs, "")
	return f
}

// needs says what a model command needs beyond the checkpoint.
type needs uint8

const (
	needRows    needs = 1 << iota // the data's rows (the chosen split), in the model's units too
	needImages                    // a model of images
	needRawRows                   // the data's rows only (l.src unset)
)

// loaded is a checkpoint's model (lib.Load, on its backend) with the rows
// to use.
type loaded struct {
	m    *lib.Model
	card card.Card
	net  *nn.Model
	b    nn.Backend
	rows *data.Dataset // the chosen split, unnormalised
	src  nn.Source     // in the model's units
}

// open opens the backend, loads the checkpoint onto it and, with
// needRows, reads the data (the checkpoint's data set unless --data says
// otherwise, read as training read it).
func (f *modelFlags) open(errOut io.Writer, n needs) (*loaded, error) {
	if f.batch <= 0 {
		return nil, usagef("batch %d: want a positive batch size", f.batch)
	}
	b, err := openBackend(*f.backend, errOut)
	if err != nil {
		return nil, err
	}
	m, err := lib.Load(f.ckpt, b)
	if err != nil {
		b.Release()
		return nil, err
	}
	l := &loaded{m: m, card: m.Card(), net: m.Net, b: b}
	if n&(needRows|needRawRows) != 0 {
		if err := f.readRows(l, errOut, n); err != nil {
			b.Release()
			return nil, err
		}
	}
	return l, nil
}

// readRows reads the chosen split of the data into l, with needRows in
// the model's units too (l.src).
func (f *modelFlags) readRows(l *loaded, errOut io.Writer, n needs) error {
	train, test, err := f.data.read(l.m, errOut)
	if err != nil {
		return err
	}
	l.rows = f.split.Of(train, test)
	if l.rows.Cols != l.net.Config.Input() {
		return fmt.Errorf("data %s has %d columns, model %s expects %d", f.data.spec, l.rows.Cols, f.ckpt, l.net.Config.Input())
	}
	if n&needRows != 0 {
		l.src, err = l.m.Source(l.rows)
	}
	return err
}

// prepare is the start of the commands that use a trained model: it
// defaults *out to name beside the checkpoint, proves *out and the extra
// paths writable, then opens the checkpoint, the data (needRows) and the
// backend; needImages requires a model of images. The caller releases l.b.
func (f *modelFlags) prepare(errOut io.Writer, out *string, name string, extra []string, n needs) (*loaded, error) {
	*out = lib.Beside(*out, f.ckpt, name)
	if err := lib.CheckOutputs(append([]string{*out}, extra...)...); err != nil {
		return nil, err
	}
	l, err := f.open(errOut, n)
	if err != nil {
		return nil, err
	}
	if n&needImages != 0 && (l.card.Data.Width <= 0 || l.card.Data.Height <= 0) {
		l.b.Release()
		return nil, fmt.Errorf("%s: model was trained on a table, not images; pictures need image data", f.ckpt)
	}
	return l, nil
}
