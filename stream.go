package wgml

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/wgml/wgml/data"
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

// takes reports whether the shard takes chunk k.
func (s Shard) takes(k int) bool { return s.N == 0 || k%s.N == s.I }

// StreamOptions says which chunks ScoreStream scores and where its
// warnings go.
type StreamOptions struct {
	Shard Shard
	// Warn receives the chunks' warnings (unseen categories); nil drops them.
	Warn io.Writer
}

// ScoreStream scores a table file (CSV or Parquet; "-": a CSV on standard
// input) read as the training table was, one chunk at a time, in memory
// bounded by a chunk (and the text columns' dictionaries): each chunk is
// encoded by the model's schema (data.EncodeChunk) and scored as
// ScoreFile scores, so the scores equal ScoreFile's bit for bit. It writes
// the scores CSV to w (ScoreHeader, with a label column where the file has
// the training label column, then a ScoreRow per row, Index the row's
// place in the file, flagged above m.Threshold), each chunk's rows in one
// Write, so w holds only whole rows when an error stops it. It returns
// the rows written.
func (m *Model) ScoreStream(spec string, w io.Writer, opt StreamOptions) (int, error) {
	if err := opt.Shard.Check(); err != nil {
		return 0, err
	}
	n := 0
	header := func(labels bool) error { return writeRecords(w, [][]string{ScoreHeader(labels)}) }
	err := m.eachChunk(spec, opt, header, func(at int, d *data.Dataset, scores []float64) error {
		flags, _ := Outliers(scores, m.Threshold)
		recs := make([][]string, len(scores))
		for i, s := range scores {
			row := ScoreRow{Index: at + i, Score: s, Outlier: flags[i], Probability: m.Scaler.Probability(s)}
			if row.HasLabel = d.Labels != nil; row.HasLabel {
				row.Label = LabelName(d.Labels[i], d.Classes)
			}
			recs[i] = row.Append(nil)
		}
		n += len(scores)
		return writeRecords(w, recs)
	})
	return n, err
}

// eachChunk reads spec chunk by chunk as ScoreFile reads it: it calls
// header with whether the rows have labels, then f with the rows and
// scores of each chunk the shard takes and the file row of its first row.
func (m *Model) eachChunk(spec string, opt StreamOptions, header func(labels bool) error, f func(at int, d *data.Dataset, scores []float64) error) error {
	csvOpt := m.DataOptions(spec).CSV
	if csvOpt.Schema == nil {
		return fmt.Errorf("score %s as a stream: the model was not trained on a table by FitFile", spec)
	}
	r, err := data.OpenTable(spec, csvOpt)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := header(r.Header().Label != ""); err != nil {
		return err
	}
	for k, at := 0, 0; ; k++ {
		c, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if opt.Shard.takes(k) {
			d, scores, err := m.scoreChunk(r, c, csvOpt, opt.Warn)
			if err != nil {
				return err
			}
			if err := f(at, d, scores); err != nil {
				return err
			}
		}
		at += c.Rows
	}
}

// scoreChunk encodes chunk c of r by the model's schema and scores it as
// ScoreFile does.
func (m *Model) scoreChunk(r data.TableReader, c *data.Chunk, opt data.CSVOptions, warn io.Writer) (*data.Dataset, []float64, error) {
	d, err := data.EncodeChunk(r, c, opt)
	if err != nil {
		return nil, nil, err
	}
	if warn != nil {
		for _, s := range d.Warnings {
			fmt.Fprintln(warn, s)
		}
	}
	src, err := m.source(d)
	if err != nil {
		return nil, nil, err
	}
	scores, err := m.scores(src)
	return d, scores, err
}

// writeRecords writes CSV records to w in one Write.
func writeRecords(w io.Writer, recs [][]string) error {
	var b bytes.Buffer
	if err := csv.NewWriter(&b).WriteAll(recs); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
