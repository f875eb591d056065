package wgmlbeam

import (
	"context"
	"errors"
	"fmt"

	"github.com/wgml/wgml"
)

// batcher is the part of the Score and Encode DoFns that holds the model
// (loaded once per worker, in Setup) and gathers rows into batches. A
// batch is read in memory by wgml.Model.ReadRecords, as `wgml score` reads
// a file of its rows (the same schema, missing-value policy and
// normalisation), and passed through the model once by Model.Infer, so a
// row gets the same result in any batch.
type batcher struct {
	// Model is the checkpoint's path.
	Model string
	// Columns name the rows' fields (Table.Columns).
	Columns []string
	// Batch is the number of rows per batch.
	Batch int

	m    *wgml.Model
	rows []Row // the batch being gathered
}

func (b *batcher) Setup(ctx context.Context) error {
	var err error
	b.m, err = loadModel(ctx, b.Model)
	return err
}

// add gathers r and reports whether the batch is full.
func (b *batcher) add(r Row) bool {
	b.rows = append(b.rows, r)
	return len(b.rows) >= b.Batch
}

// infer reads rows with the model's schema and passes them through the
// model, asking want, and hands the rows and their results to ok. A row
// the schema rejects (wgml.RecordError) goes to dead with the reason and
// the rest are tried again; an error that names no row splits the batch
// in halves, down to single rows. So every row that fits the model gets
// its result and no row fails the job.
func (b *batcher) infer(ctx context.Context, rows []Row, want wgml.Outputs, ok func([]Row, *wgml.Inference), dead func(DeadLetter)) error {
	if len(rows) == 0 {
		return nil
	}
	recs := make([][]string, len(rows))
	for i, r := range rows {
		recs[i] = r.Fields
	}
	d, err := b.m.ReadRecords(b.Columns, recs)
	if err == nil {
		res, err := b.m.Infer(d, want)
		if err != nil {
			return err // the model's, not a row's: the bundle fails
		}
		ok(rows, res)
		return nil
	}
	var re *wgml.RecordError
	i, reason := -1, err.Error()
	switch {
	case errors.As(err, &re):
		i, reason = re.Record, re.Reason
	case len(rows) == 1:
		i = 0
	default:
		h := len(rows) / 2
		if err := b.infer(ctx, rows[:h], want, ok, dead); err != nil {
			return err
		}
		return b.infer(ctx, rows[h:], want, ok, dead)
	}
	deadLetters.Inc(ctx, 1)
	dead(deadLetter(rows[i], "%s:%d: %s", rows[i].File, rows[i].Line, reason))
	if err := b.infer(ctx, rows[:i], want, ok, dead); err != nil {
		return err
	}
	return b.infer(ctx, rows[i+1:], want, ok, dead)
}

// flush passes the rows gathered through infer and empties the batch.
func (b *batcher) flush(ctx context.Context, want wgml.Outputs, ok func([]Row, *wgml.Inference), dead func(DeadLetter)) error {
	err := b.infer(ctx, b.rows, want, ok, dead)
	b.rows = b.rows[:0]
	if err != nil {
		return fmt.Errorf("model %s: %w", b.Model, err)
	}
	return nil
}
