package wgmlbeam

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/wgml/wgml"
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
	return batcher{Model: m.Path, Columns: t.Columns(), Batch: opt.Batch}
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
	return f.flush(ctx, wgml.Outputs{}, func(rows []Row, res *wgml.Inference) {
		rowsScored.Inc(ctx, int64(len(rows)))
		flags, _ := wgml.Outliers(res.Scores, f.m.Threshold)
		for i, r := range rows {
			s := res.Scores[i]
			emit(Scored{Key: r.Key, File: r.File, Pos: r.Pos, Score: s, Outlier: flags[i], Probability: f.m.Scaler.Probability(s)})
		}
	}, dead)
}

// encodeFn encodes batches of rows.
type encodeFn struct{ batcher }

func (f *encodeFn) ProcessElement(ctx context.Context, r Row, emit func(Encoded), dead func(DeadLetter)) error {
	if !f.add(r) {
		return nil
	}
	return f.FinishBundle(ctx, emit, dead)
}

// FinishBundle encodes the rows gathered (a VAE's mean).
func (f *encodeFn) FinishBundle(ctx context.Context, emit func(Encoded), dead func(DeadLetter)) error {
	return f.flush(ctx, wgml.Outputs{Latent: true}, func(rows []Row, res *wgml.Inference) {
		rowsEncoded.Inc(ctx, int64(len(rows)))
		for i, r := range rows {
			emit(Encoded{Key: r.Key, File: r.File, Pos: r.Pos, Code: res.Latent[i]})
		}
	}, dead)
}
