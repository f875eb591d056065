package wgmlbeam

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.DoFn2x0[Row, func([]Row)](&gatherRowsFn{})
	register.Function2x0[[]Row, func(Row)](spreadRows)
	register.Emitter1[[]Row]()
}

// elementRows is the number of rows (or records) gathered into one
// element before a shuffle: a runner persists and codes each element of a
// shuffle on its own, which costs more than the row itself, so rows cross
// it a thousand at a time.
const elementRows = 1024

// gather collects the values of a bundle into slices of up to elementRows.
type gather[T any] struct{ buf []T }

// add adds v, emitting the slice when it is full.
func (g *gather[T]) add(v T, emit func([]T)) {
	g.buf = append(g.buf, v)
	if len(g.buf) >= elementRows {
		g.flush(emit)
	}
}

// flush emits what is gathered, if anything.
func (g *gather[T]) flush(emit func([]T)) {
	if len(g.buf) > 0 {
		emit(g.buf)
		g.buf = nil
	}
}

// reshuffleRows spreads rows over the workers as beam.Reshuffle does, but
// a thousand to an element.
func reshuffleRows(s beam.Scope, rows beam.PCollection) beam.PCollection {
	batches := beam.ParDo(s, &gatherRowsFn{}, rows)
	return beam.ParDo(s, spreadRows, beam.Reshuffle(s, batches))
}

// gatherRowsFn gathers the rows of a bundle into slices.
type gatherRowsFn struct{ rows gather[Row] }

func (f *gatherRowsFn) ProcessElement(r Row, emit func([]Row)) { f.rows.add(r, emit) }
func (f *gatherRowsFn) FinishBundle(emit func([]Row))          { f.rows.flush(emit) }

// spreadRows emits the rows of a slice one by one.
func spreadRows(rows []Row, emit func(Row)) {
	for _, r := range rows {
		emit(r)
	}
}
