package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/internal/atomicfile"
	"github.com/wgml/wgml/nn"
)

// modelFlags are the flags of commands that use a trained model.
type modelFlags struct {
	ckpt, split string
	batch       int
	backend     *string
	data        *dataFlags
}

func addModelFlags(fs *pflag.FlagSet) *modelFlags {
	f := &modelFlags{}
	fs.StringVar(&f.ckpt, "model", "runs/ae-mnist/model.safetensors", "checkpoint written by wgml train")
	fs.StringVar(&f.split, "split", "test", "which part of the data set: test or train")
	fs.IntVar(&f.batch, "batch", card.ScoreBatch, "rows per batch")
	f.backend = addBackendFlag(fs)
	f.data = addDataFlags(fs, "")
	return f
}

// loaded is a checkpoint's model on a backend, with the rows to use.
type loaded struct {
	ck    *nn.Checkpoint
	card  card.Card
	b     nn.Backend
	m     *nn.Model
	rows  *data.Dataset // the chosen split, unnormalised
	src   nn.Source     // normalised as in training
	image bool
}

// open loads the checkpoint, the data (the checkpoint's data set unless
// --data says otherwise) and the backend.
func (f *modelFlags) open(errOut io.Writer, needData bool) (*loaded, error) {
	if f.batch <= 0 {
		return nil, usagef("batch %d: want a positive batch size", f.batch)
	}
	if f.split != "test" && f.split != "train" {
		return nil, usagef("split %q: want test or train", f.split)
	}
	ck, err := nn.LoadCheckpoint(f.ckpt)
	if err != nil {
		return nil, err
	}
	c, err := card.Read(ck, f.ckpt)
	if err != nil {
		return nil, err
	}
	dm := c.Data
	l := &loaded{ck: ck, card: c, image: dm.Width > 0}
	if needData {
		if f.data.spec == "" {
			f.data.spec = dm.Spec // the training data, read as train read it
		}
		f.data.recorded, f.data.warn = &dm, errOut
		train, test, err := f.data.load(0) // the recorded seed splits a file as train did
		if err != nil {
			return nil, err
		}
		l.rows = test
		if f.split == "train" || test == nil {
			l.rows = train
		}
		if l.rows.Cols != ck.Config.Input() {
			return nil, fmt.Errorf("data %s has %d columns, model %s expects %d", f.data.spec, l.rows.Cols, f.ckpt, ck.Config.Input())
		}
		if l.src, err = source(l.rows, dm.Normalizer); err != nil {
			return nil, err
		}
	}
	if l.b, err = openBackend(*f.backend, errOut); err != nil {
		return nil, err
	}
	if l.m, err = ck.Build(l.b); err != nil {
		l.b.Release()
		return nil, err
	}
	return l, nil
}

// prepare is the start of the commands that use a trained model: it
// defaults *out to name beside the checkpoint, proves *out and the extra
// paths writable, then opens the checkpoint, the data (needData) and the
// backend; images requires a model of images. The caller releases l.b.
func (f *modelFlags) prepare(errOut io.Writer, out *string, name string, extra []string, needData, images bool) (*loaded, error) {
	*out = orBeside(*out, f.ckpt, name)
	if err := checkOutputs(append([]string{*out}, extra...)...); err != nil {
		return nil, err
	}
	l, err := f.open(errOut, needData)
	if err != nil {
		return nil, err
	}
	if images && (l.card.Data.Width <= 0 || l.card.Data.Height <= 0) {
		l.b.Release()
		return nil, fmt.Errorf("%s: model was trained on a table, not images; pictures need image data", f.ckpt)
	}
	return l, nil
}

// checkOutputs proves, before any work is done, that each file path can be
// written: its folder exists or can be made and takes a new file, and path
// is not a folder. A command then fails before it writes anything rather
// than after writing some of its outputs. "" and "none" are skipped.
func checkOutputs(paths ...string) error {
	for _, p := range paths {
		if p == "" || p == "none" { // "none": an output the user turned off
			continue
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return fmt.Errorf("%s: is a directory, want a file name", p)
		}
		if err := checkWritableDir(filepath.Dir(p)); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// orBeside returns path, or, when it is empty, name in the checkpoint
// ckpt's directory: where commands write their outputs by default.
func orBeside(path, ckpt, name string) string {
	if path != "" {
		return path
	}
	return filepath.Join(filepath.Dir(ckpt), name)
}

// writeFileAtomic creates path's directory and writes path atomically, so a
// failure never leaves a half-written file.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.Write(path, write)
}
