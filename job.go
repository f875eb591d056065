package wgml

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Start says how a Job treats an output folder that holds a checkpoint.
type Start int

const (
	// StartNew refuses a folder holding another run's checkpoint.
	StartNew Start = iota
	// StartResume continues the run whose checkpoint is in the folder.
	StartResume
	// StartOver replaces the run in the folder, its files included.
	StartOver
)

// Job is a training as wgml train runs it: data read from a spec, the
// checkpoint, last state and loss curve written to a folder after every
// epoch, and a run there resumed exactly.
//
// With early stopping the folder holds two checkpoints: model.safetensors,
// the weights of the best validation epoch (written when an epoch
// improves; its metadata names best_epoch) with the thresholds fitted on
// them at the end, and last.safetensors, the last epoch's weights, Adam
// state, history and early-stopping state, written every epoch, which a
// resume continues (falling back to model.safetensors where it is
// missing). Without early stopping model.safetensors is both.
type Job struct {
	Options
	// Data is the data spec (see data.Open) and Open how to read it; its
	// Seed is taken from Options.Seed (a resumed run's where not set).
	Data string
	Open data.OpenOptions
	// Limit and TestLimit keep only the first rows of the training and
	// test sets (0: all).
	Limit, TestLimit int
	// Out is the output folder (it must exist: the caller makes and locks
	// it); Start what to do with a run already there.
	Out   string
	Start Start
	// Warn gets the readers' warnings, one line each (nil: discarded).
	Warn io.Writer
}

// The files of a Job's output folder.
const (
	CheckpointName = "model.safetensors"
	LastName       = "last.safetensors" // early stopping: the last epoch's state
	LossCurveName  = "loss.png"
)

// Prepare checks the job, reads its data and, resuming, its checkpoint,
// and returns the Training that Run trains. It refuses a folder that holds
// another run unless Start says to resume it or start over; it writes
// nothing but removes what a killed run left behind (and, streaming a
// table, its cache in the folder: see Options.Stream). A streamed
// Training keeps its files open until Close.
func Prepare(job Job) (*Training, error) {
	ckPath, lastPath := filepath.Join(job.Out, CheckpointName), filepath.Join(job.Out, LastName)
	if job.Start != StartResume {
		for _, p := range []string{ckPath, lastPath} {
			if err := refuseOtherRun(p, job.Start == StartOver); err != nil {
				return nil, err
			}
		}
	}
	var ck *nn.Checkpoint
	var c card.Card
	open := job.Open
	open.Seed = orDefaultSeed(job.Seed)
	if job.Start == StartResume {
		var err error
		if ck, err = nn.LoadCheckpoint(resumePath(ckPath, lastPath)); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		if c, err = card.Read(ck, ckPath); err != nil {
			return nil, err
		}
		if ck.Train != nil && !job.set("seed", job.Seed != 0) {
			open.Seed = ck.Train.Seed
		}
		open.CSV.Schema = c.Data.Schema
	}
	r, err := job.prepareData(open, ckPath, lastPath, ck, c)
	if err != nil {
		return nil, err
	}
	if err := CheckOutputs(ckPath, filepath.Join(job.Out, LossCurveName), lastPath); err != nil {
		return nil, err
	}
	if job.Start != StartResume { // a replaced run's last state must not be resumed later
		if err := os.Remove(lastPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("output directory %s: %w", job.Out, err)
		}
	}
	removeStaleTemps(job.Out)
	open.Seed = r.Train.Seed
	open.CSV.Schema = nil
	d := r.Rows
	r.Card.Data = card.Data{Spec: job.Data, Open: open, Schema: d.Schema, Cols: d.Cols, Width: d.Width, Height: d.Height,
		Channels: d.Channels, Columns: d.Columns, Classes: d.Classes, Normalizer: r.norm, Stream: r.stream != nil}
	r.Job = &job
	r.bestOnResume()
	return r, nil
}

// prepareData reads the Job's data, or opens it for streaming, and
// prepares the training of it.
func (job *Job) prepareData(open data.OpenOptions, ckPath, lastPath string, ck *nn.Checkpoint, c card.Card) (*Training, error) {
	s, streamed, err := job.openStream(open, ck != nil, c)
	if err != nil {
		return nil, err
	}
	if s != nil {
		r, err := job.Options.prepareStream(ckPath, lastPath, s, ck, c)
		if err != nil {
			s.Close()
			return nil, err
		}
		r.Streamed = streamed
		return r, nil
	}
	train, test, err := readSplit(job.Data, open, job.Limit, job.TestLimit, job.Warn)
	if err != nil {
		return nil, err
	}
	return job.Options.prepareAt(ckPath, lastPath, train, test, ck, c)
}

// prepareAt is prepare with the checkpoint paths of an output folder.
func (o Options) prepareAt(ckPath, lastPath string, train, test *data.Dataset, ck *nn.Checkpoint, c card.Card) (*Training, error) {
	return o.prepare(&Training{checkpoint: ckPath, lastPath: lastPath, own: nn.Given}, train, test, ck, c) // the rows Prepare read
}

func orDefaultSeed(s uint64) uint64 {
	if s == 0 {
		return nn.DefaultTrainOptions().Seed
	}
	return s
}

// bestOnResume loads the best epoch's checkpoint of a resumed
// early-stopping run, which Run keeps unless a later epoch improves.
func (r *Training) bestOnResume() {
	if r.Resumed == nil || r.Train.Patience == 0 {
		return
	}
	r.best, r.bestErr = nn.LoadCheckpoint(r.checkpoint)
}

// readSplit reads the training and test rows of spec, writing the
// readers' warnings to warn, and keeps the first limit and testLimit rows.
func readSplit(spec string, open data.OpenOptions, limit, testLimit int, warn io.Writer) (train, test *data.Dataset, err error) {
	train, test, err = data.Open(spec, open)
	if err != nil {
		return nil, nil, err
	}
	if warn != nil {
		for _, d := range []*data.Dataset{train, test} {
			for _, w := range warnings(d) {
				fmt.Fprintf(warn, "wgml: warning: %s\n", w)
			}
		}
	}
	if limit > 0 {
		train = train.Limit(limit)
	}
	if test != nil && testLimit > 0 {
		test = test.Limit(testLimit)
	}
	return train, test, nil
}

func warnings(d *data.Dataset) []string {
	if d == nil {
		return nil
	}
	return d.Warnings
}

// refuseOtherRun stops a new run from replacing, without overwrite, the
// checkpoint (model or last) of another run in its output folder.
func refuseOtherRun(ckPath string, overwrite bool) error {
	if overwrite {
		return nil
	}
	if st, err := os.Stat(ckPath); errors.Is(err, os.ErrNotExist) || err == nil && st.IsDir() {
		return nil // nothing there, or a folder: CheckOutputs says so
	}
	ck, err := nn.LoadCheckpoint(ckPath)
	if err != nil {
		return optionErr("%s exists and does not load (%v); start over with --overwrite", ckPath, err)
	}
	of := ""
	if ck.Train != nil {
		of = fmt.Sprintf(" of %d", ck.Train.Epochs)
	}
	return optionErr("%s holds another run (%s %v, epoch %d%s); continue it with --resume or start over with --overwrite",
		ckPath, ck.Config.Kind, ck.Config.Layers, ck.Epoch, of)
}

// resumePath is the checkpoint a resume continues: last (an
// early-stopping run's last state) where it exists, else model.
func resumePath(model, last string) string {
	if _, err := os.Stat(last); err == nil {
		return last
	}
	return model
}

// removeStaleTemps deletes the temporary files that a killed training
// (SIGKILL, power loss) leaves in its output folder: the checkpoints and
// loss curve are written to ".NAME.tmp-*" and renamed, so a crash between
// the two leaves the temp file behind and the previous file intact. The
// caller's lock on the folder makes this the only writer there.
func removeStaleTemps(dir string) {
	for _, name := range []string{CheckpointName, LastName, LossCurveName} {
		stale, _ := filepath.Glob(filepath.Join(dir, "."+name+".tmp-*"))
		for _, p := range stale {
			os.Remove(p)
		}
	}
}

// CheckDataOptions checks how data is to be read (the checks data.Open
// leaves to its caller) and the row limits.
func CheckDataOptions(opt data.OpenOptions, limit, testLimit int) error {
	c := opt.CSV
	switch {
	case limit < 0 || testLimit < 0:
		return optionErr("limit: want a non-negative row count")
	case !(opt.TestFrac >= 0 && opt.TestFrac < 1):
		return optionErr("test-frac %v: want a fraction in [0, 1)", opt.TestFrac)
	case c.Header != "auto" && c.Header != "yes" && c.Header != "no":
		return optionErr("header %q: want auto, yes or no", c.Header)
	case c.Missing != data.MissingError && c.Missing != data.MissingMean && c.Missing != data.MissingMask:
		return optionErr("missing %q: want error, mean or mask", c.Missing)
	case c.MaxCategories < 1:
		return optionErr("max-categories %d: want at least 1", c.MaxCategories)
	case opt.Image.Channels != 1 && opt.Image.Channels != 3:
		return optionErr("channels %d: want 1 (grayscale) or 3 (RGB)", opt.Image.Channels)
	}
	return nil
}

// Beside returns path, or, when it is empty, name in the checkpoint
// ckpt's folder: where the commands that use a model write their outputs
// by default.
func Beside(path, ckpt, name string) string {
	if path != "" {
		return path
	}
	return filepath.Join(filepath.Dir(ckpt), name)
}

// DefaultOut is a Job's default output folder: runs/KIND-DATA, DATA the
// data spec's base name.
func DefaultOut(kind, spec string) string {
	base := filepath.Base(strings.TrimRight(spec, "/"))
	return filepath.Join("runs", strings.ToLower(kind)+"-"+strings.TrimSuffix(base, filepath.Ext(base)))
}
