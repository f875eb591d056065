package wgml

import (
	"fmt"
	"path/filepath"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// StreamCacheName is the folder of a Job's output folder that holds the
// binary cache of a streamed table (data.TableCache).
const StreamCacheName = "stream-cache"

// openStream opens the Job's data for streaming when Options.Stream (or,
// resuming, the run resumed, c) says so; nil to hold it in memory. It
// returns the run's log line about it.
func (job *Job) openStream(open data.OpenOptions, resumed bool, c card.Card) (*data.StreamSet, string, error) {
	why, err := job.streamWhy(open, resumed, c)
	if why == "" || err != nil {
		return nil, "", err
	}
	switch {
	case job.Limit > 0 || job.TestLimit > 0:
		return nil, "", optionErr("limit with --stream: a streamed set is read whole; leave --limit and --test-limit out")
	case job.NormalClass != "":
		return nil, "", optionErr("normal-class with --stream: a streamed set is not filtered by class; leave --normal-class out or train without --stream")
	case open.CSV.Missing == data.MissingMask:
		return nil, "", optionErr("missing mask with --stream: a streamed set carries no mask; use --missing mean or train without --stream")
	}
	s, err := data.OpenStream(job.Data, open, filepath.Join(job.Out, StreamCacheName))
	if err != nil {
		return nil, "", err
	}
	return s, fmt.Sprintf("streaming %s from disk (%s): %s", job.Data, why, s.Source()), nil
}

// streamWhy says why the Job streams ("" for not): the mode set, the run
// resumed, or StreamAuto's rule, which leaves in memory a Job with what a
// stream refuses (openStream).
func (job *Job) streamWhy(open data.OpenOptions, resumed bool, c card.Card) (string, error) {
	m := job.Stream
	if resumed && m != StreamAuto && (m == StreamOn) != c.Data.Stream {
		was := map[bool]string{true: "streamed", false: "held in memory"}[c.Data.Stream]
		return "", optionErr("stream %s: the run resumed %s its training set, which fixes its split; leave --stream out", m, was)
	}
	switch {
	case resumed && c.Data.Stream:
		return "the run resumed streamed", nil
	case resumed || m == StreamOff:
		return "", nil
	case m == StreamOn:
		return "--stream on", nil
	case job.Limit > 0 || job.TestLimit > 0 || job.NormalClass != "" || open.CSV.Missing == data.MissingMask:
		return "", nil // what a stream refuses, auto holds in memory
	}
	return autoStream(job.Data, open), nil
}

// prepareStream is prepare for a streamed training set s: the training
// rows are s.Train, read from disk, described to prepare by a data set
// that holds their shape, schema and names but no values.
func (o Options) prepareStream(ckPath, lastPath string, s *data.StreamSet, ck *nn.Checkpoint, c card.Card) (*Training, error) {
	o.Images = o.Images || s.File.Pixels()
	rows := &data.Dataset{Name: s.File.Path + " train", Rows: s.Train.Rows, Cols: s.File.Cols, Schema: s.Schema, Columns: s.Columns,
		Classes: s.Classes, Width: s.Width, Height: s.Height, Channels: s.Channels}
	r := &Training{checkpoint: ckPath, lastPath: lastPath, stream: s}
	return o.prepare(r, rows, s.Test, ck, c)
}

// splitStreamValidation is splitValidation for a streamed set: ValFrac of
// its training blocks are held out in memory (data.StreamSet).
func (r *Training) splitStreamValidation() error {
	val, err := r.stream.SplitValidation(r.Train.ValFrac)
	if err != nil {
		return optionErr("val-frac %v: %v", r.Train.ValFrac, err)
	}
	rows := *r.Rows
	rows.Rows = r.stream.Train.Rows
	r.Rows, r.Val = &rows, val
	return nil
}

// fitNormalizer fits the normaliser Normalize asks for on the training
// rows: in memory, or in one pass over a stream's.
func (r *Training) fitNormalizer() (data.Normalizer, error) {
	if r.stream == nil {
		return r.Opt.normalizer(r.Rows)
	}
	kind, err := r.Opt.normalizerKind(r.Rows)
	if err != nil {
		return data.Normalizer{}, err
	}
	return r.stream.FitNormalizer(kind)
}

// trainSource is what the trainer reads the training rows from: the rows
// normalised in memory, or the stream normalising them as it reads.
func (r *Training) trainSource() (nn.Source, error) {
	if r.stream == nil {
		return ownedSource(r.Rows, r.norm)
	}
	r.stream.File.Normalize = r.norm
	return nn.Source{Rows: r.stream.Train.Rows, Cols: r.stream.File.Cols, Stream: r.stream.Train}, nil
}

// Close closes a streamed training set's files; a resident one holds none.
func (r *Training) Close() error {
	if r.stream == nil {
		return nil
	}
	return r.stream.Close()
}
