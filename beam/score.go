package wgmlbeam

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
)

func init() {
	register.DoFn4x1[context.Context, Row, func(Scored), func(DeadLetter), error](&scoreFn{})
	register.DoFn4x1[context.Context, Row, func(Encoded), func(DeadLetter), error](&encodeFn{})
	register.Emitter1[Scored]()
	register.Emitter1[Encoded]()
}

// The pipeline's counters, which wgml-beam prints.
var (
	rowsScored  = beam.NewCounter("wgml", "rows_scored")
	rowsEncoded = beam.NewCounter("wgml", "rows_encoded")
	deadLetters = beam.NewCounter("wgml", "dead_letters")
	keysTrained = beam.NewCounter("wgml", "keys_trained")
	keysSkipped = beam.NewCounter("wgml", "keys_skipped")
)

// DefaultBatch is the number of rows Score and Encode gather per batch.
const DefaultBatch = 1024

// ScoreOptions tune Score and Encode.
type ScoreOptions struct {
	// Batch is the number of rows per batch (DefaultBatch when 0). A
	// bundle's last batch may be smaller; results do not depend on it.
	Batch int
}

// Scored is the outlier score of one row, as `wgml score` writes it.
type Scored struct {
	Key  string
	File string
	Pos  int64
	// Score is the row's reconstruction loss (the model's score kind).
	Score float64
	// Outlier says Score is above the model's fitted threshold.
	Outlier bool
	// Probability is the outlier probability (the model's scaler).
	Probability float64
}

// Encoded is the latent code of one row, as `wgml encode` writes it.
type Encoded struct {
	Key  string
	File string
	Pos  int64
	Code []float64
}

// Score scores rows (read from t by t.Read) with model m: per row, its
// score, whether it is above the fitted threshold, and its outlier
// probability. Rows whose width, types or values the model's schema
// rejects go to dead with the reason, and the job goes on. It fails at
// construction when t lacks a column m was trained on.
func Score(s beam.Scope, m *Model, t *Table, rows beam.PCollection, opt ScoreOptions) (scored, dead beam.PCollection, err error) {
	if err := m.checkColumns(t); err != nil {
		return scored, dead, err
	}
	scored, dead = beam.ParDo2(s.Scope("wgml.Score"), &scoreFn{newBatcher(m, t, opt)}, rows)
	return scored, dead, nil
}

// Encode maps rows (read from t) to their latent codes (a VAE's mean) with
// model m; rejected rows go to dead as in Score.
func Encode(s beam.Scope, m *Model, t *Table, rows beam.PCollection, opt ScoreOptions) (codes, dead beam.PCollection, err error) {
	if err := m.checkColumns(t); err != nil {
		return codes, dead, err
	}
	codes, dead = beam.ParDo2(s.Scope("wgml.Encode"), &encodeFn{newBatcher(m, t, opt)}, rows)
	return codes, dead, nil
}

func newBatcher(m *Model, t *Table, opt ScoreOptions) batcher {
	if opt.Batch <= 0 {
		opt.Batch = DefaultBatch
	}
	return batcher{Model: m.Path, Columns: t.Columns(), Sep: string(t.Sep), Batch: opt.Batch}
}

// scoreFn scores batches of rows.
type scoreFn struct{ batcher }

func (f *scoreFn) ProcessElement(ctx context.Context, r Row, emit func(Scored), dead func(DeadLetter)) error {
	if !f.add(r) {
		return nil
	}
	return f.FinishBundle(ctx, emit, dead)
}

// FinishBundle scores the rows gathered.
func (f *scoreFn) FinishBundle(ctx context.Context, emit func(Scored), dead func(DeadLetter)) error {
	score := func(path string) ([]float64, error) {
		s, _, err := f.m.ScoreFile(path)
		return s, err
	}
	err := tryBatch(ctx, &f.batcher, f.rows, score, func(rows []Row, s []float64) {
		rowsScored.Inc(ctx, int64(len(rows)))
		flags, _ := wgml.Outliers(s, f.m.Threshold)
		for i, r := range rows {
			emit(Scored{Key: r.Key, File: r.File, Pos: r.Pos, Score: s[i], Outlier: flags[i], Probability: f.m.Scaler.Probability(s[i])})
		}
	}, dead)
	f.rows = f.rows[:0]
	return err
}

// encodeFn encodes batches of rows.
type encodeFn struct{ batcher }

func (f *encodeFn) ProcessElement(ctx context.Context, r Row, emit func(Encoded), dead func(DeadLetter)) error {
	if !f.add(r) {
		return nil
	}
	return f.FinishBundle(ctx, emit, dead)
}

// FinishBundle encodes the rows gathered: read as ScoreFile reads them,
// then Model.Encode.
func (f *encodeFn) FinishBundle(ctx context.Context, emit func(Encoded), dead func(DeadLetter)) error {
	encode := func(path string) ([][]float64, error) {
		_, d, err := f.m.ScoreFile(path)
		if err != nil {
			return nil, err
		}
		return f.m.Encode(tableRows(d))
	}
	err := tryBatch(ctx, &f.batcher, f.rows, encode, func(rows []Row, codes [][]float64) {
		rowsEncoded.Inc(ctx, int64(len(rows)))
		for i, r := range rows {
			emit(Encoded{Key: r.Key, File: r.File, Pos: r.Pos, Code: codes[i]})
		}
	}, dead)
	f.rows = f.rows[:0]
	return err
}

// tableRows returns the rows of d (in data units) as float64s.
func tableRows(d *data.Dataset) [][]float64 {
	rows := make([][]float64, d.Rows)
	buf := make([]float32, d.Cols)
	for i := range rows {
		d.Row(i, buf)
		rows[i] = make([]float64, d.Cols)
		for j, v := range buf {
			rows[i][j] = float64(v)
		}
	}
	return rows
}
