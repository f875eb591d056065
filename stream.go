package wgml

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Shard selects every N-th chunk of a table (a row group of a Parquet
// file, a block of a CSV file), starting at chunk I; the zero Shard takes
// every chunk.
type Shard struct{ I, N int }

// Check refuses a shard with I outside [0, N).
func (s Shard) Check() error {
	if s == (Shard{}) || (s.N > 0 && s.I >= 0 && s.I < s.N) {
		return nil
	}
	return fmt.Errorf("shard %d/%d: want I/N with 0 <= I < N", s.I, s.N)
}

// ParseShard reads a shard written I/N ("": every chunk), as wgml's
// --shard takes it.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	sh := Shard{I: i, N: n}
	if !ok || err1 != nil || err2 != nil || sh.Check() != nil || n == 0 {
		return Shard{}, optionErr("shard %q: want I/N with 0 <= I < N (every N-th chunk or Parquet row group from the I-th)", s)
	}
	return sh, nil
}

// takes reports whether the shard takes chunk k.
func (s Shard) takes(k int) bool { return s.N == 0 || k%s.N == s.I }

// StreamOptions say which chunks a stream (ScoreStream, EncodeStream,
// DenoiseStream) takes, whether EncodeStream writes labels, and where the
// warnings go.
type StreamOptions struct {
	Shard Shard
	// WithLabels makes EncodeStream write the label column where the file
	// has the training label column, as wgml encode --with-labels does;
	// ScoreStream and DenoiseStream always write it there.
	WithLabels bool
	// Warn receives the warnings (unseen categories), once at the end;
	// nil drops them.
	Warn io.Writer
	// Open says how to read the file (Model.ReadOptions); nil: as the
	// training data was read (Model.DataOptions).
	Open *data.OpenOptions
}

// csv is how a stream reads spec: opt.Open's CSV options, else the
// training data's (Model.DataOptions).
func (opt StreamOptions) csv(m *Model, spec string) data.CSVOptions {
	if opt.Open != nil {
		return opt.Open.CSV
	}
	return m.DataOptions(spec).CSV
}

// ScoreStream streams the scores CSV of a table (see stream): ScoreHeader,
// with a label column where the file has the training label column, then
// a ScoreRow per row, Index the row's place in the file, flagged above
// m.Threshold. The scores equal ScoreFile's bit for bit.
func (m *Model) ScoreStream(spec string, w io.Writer, opt StreamOptions) (int, error) {
	return m.stream(spec, w, opt, m.scoreRows())
}

// EncodeStream streams the latent codes of a table (see stream) as CSV:
// LatentHeader, then per row its code (a VAE's mean, as Encode), and its
// label with opt.WithLabels.
func (m *Model) EncodeStream(spec string, w io.Writer, opt StreamOptions) (int, error) {
	return m.stream(spec, w, opt, m.latentRows(opt.WithLabels))
}

// DenoiseStream streams the reconstructions of a table (see stream) as
// CSV in its original columns, as DenoiseFile gives them (numbers in data
// units, a categorical column's most likely category), with the label
// column (LabelColumn) where the file has the training label column.
func (m *Model) DenoiseStream(spec string, w io.Writer, opt StreamOptions) (int, error) {
	return m.stream(spec, w, opt, m.denoisedRows())
}

// rowWriter is what a stream writes: the model outputs it needs, its
// header (labels: the rows have labels) and each chunk's records, appended
// to t, the chunk's first row being row at of the file.
type rowWriter struct {
	want    nn.Want
	header  func(labels bool) []string
	records func(t *csvBuf, at int, d *data.Dataset, res *nn.Results)
}

// stream reads a table file (CSV or Parquet; "-": a CSV on standard
// input) as the training table was, one chunk at a time, in memory
// bounded by a chunk (and the text columns' dictionaries): each chunk of
// the shard is encoded by the model's schema (data.EncodeChunk), run
// through the model as the whole file would be (so its outputs equal the
// in-memory path's bit for bit) and written by out. It writes the header,
// then each chunk's records in one Write, so w holds only whole rows when
// an error stops it. It returns the rows written.
func (m *Model) stream(spec string, w io.Writer, opt StreamOptions, out rowWriter) (int, error) {
	if err := opt.Shard.Check(); err != nil {
		return 0, err
	}
	n := 0
	var t csvBuf
	write := func() error {
		_, err := w.Write(t.b)
		t.b = t.b[:0]
		return err
	}
	header := func(r data.TableReader) error {
		t.record(out.header(r.Header().Label != "")...)
		return write()
	}
	err := m.eachChunk(spec, opt, out.want, header, func(k *chunkRun) error {
		n += k.d.Rows
		out.records(&t, k.at, k.d, k.res)
		return write()
	})
	return n, err
}

// chunkRun is one chunk of a stream: the file row of its first row (at),
// the chunk as read (c) and encoded (d), its rows in the model's units
// (src) and the model's outputs of them (res).
type chunkRun struct {
	at  int
	c   *data.Chunk
	d   *data.Dataset
	src nn.Source
	res *nn.Results
}

// eachChunk reads spec chunk by chunk as ScoreFile reads it (by
// opt.csv): it calls header with the open reader, then f with each chunk
// the shard takes, run through the model for want. At the end it writes
// to opt.Warn the warnings about categories training did not see, once
// for every chunk taken (data.UnseenWarnings), as ReadCSV words them for
// a whole table.
func (m *Model) eachChunk(spec string, opt StreamOptions, want nn.Want, header func(r data.TableReader) error, f func(k *chunkRun) error) error {
	csvOpt := opt.csv(m, spec)
	if csvOpt.Schema == nil {
		return fmt.Errorf("%s as a stream: the model was not trained on a table by FitFile (only tables stream)", spec)
	}
	r, err := data.OpenTable(spec, csvOpt)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := header(r); err != nil {
		return err
	}
	var cc data.CodeCounts
	for k, at := 0, 0; ; k++ {
		c, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		if opt.Shard.takes(k) {
			cc.Add(r.Header(), c)
			run := &chunkRun{at: at, c: c}
			if err := m.runChunk(r, run, csvOpt, want); err != nil {
				return err
			}
			if err := f(run); err != nil {
				return err
			}
		}
		at += c.Rows
	}
	if opt.Warn != nil {
		for _, w := range data.UnseenWarnings(r, csvOpt.Schema, cc) {
			fmt.Fprintf(opt.Warn, "wgml: warning: %s\n", w)
		}
	}
	return nil
}

// runChunk encodes chunk k.c of r by the model's schema and runs its rows
// through the model for want, m.Batch rows at a time.
func (m *Model) runChunk(r data.TableReader, k *chunkRun, opt data.CSVOptions, want nn.Want) (err error) {
	if k.d, err = data.EncodeChunk(r, k.c, opt); err != nil {
		return err
	}
	if k.src, err = m.source(k.d); err != nil {
		return err
	}
	k.res, err = m.Net.Run(m.Backend, k.src, m.Batch, want)
	return err
}
