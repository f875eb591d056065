package serve

import (
	"context"
	"net/http"
	"time"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
)

// job is one request's rows waiting for a batch.
type job struct {
	ctx   context.Context
	rows  *data.Dataset
	want  wgml.Outputs
	reply chan answer // buffered: the owner never waits on a client
}

// answer is a job's share of a batch's results: its rows of each output,
// and the model that computed them.
type answer struct {
	inf   *wgml.Inference
	model *wgml.Model
	err   error
}

// submit queues rows for the next batch and waits for their results.
func (s *Server) submit(ctx context.Context, rows *data.Dataset, want wgml.Outputs) (*wgml.Inference, *wgml.Model, error) {
	j := &job{ctx: ctx, rows: rows, want: want, reply: make(chan answer, 1)}
	select {
	case s.jobs <- j:
	case <-s.done:
		return nil, nil, httpErrorf(http.StatusServiceUnavailable, "the server is shutting down")
	case <-ctx.Done():
		return nil, nil, timeoutError(ctx, s.cfg.Timeout)
	}
	select {
	case a := <-j.reply:
		return a.inf, a.model, a.err
	case <-ctx.Done():
		return nil, nil, timeoutError(ctx, s.cfg.Timeout)
	}
}

// own is the one goroutine that uses the model and its backend: it runs
// batches of waiting jobs and swaps the model on Reload, between batches.
// A model it drops (the old one on Reload, the current one on Close) it
// releases: no batch runs on it any more, and requests that still hold it
// read only its host fields (threshold, scaler, schema), which Release
// keeps.
func (s *Server) own(m *wgml.Model) {
	defer close(s.done)
	var b batcher
	for {
		select {
		case j := <-s.jobs:
			b.run(m, s.collect(j), s.metrics)
		case reply := <-s.reloads:
			nm, err := s.open()
			if err == nil {
				old := m
				m = nm
				s.model.Store(m)
				old.Release()
			}
			reply <- err
		case <-s.quit:
			m.Release()
			return
		}
	}
}

// collect gathers the jobs already waiting and those that arrive within
// MaxWait of first (none with MaxWait 0), until they hold MaxBatch rows.
// Under load, requests queue while a batch runs, so even without waiting
// the next batch takes them together.
func (s *Server) collect(first *job) []*job {
	jobs, rows := []*job{first}, first.rows.Rows
	var expired <-chan time.Time // nil: never
	if s.cfg.MaxWait > 0 {
		wait := time.NewTimer(s.cfg.MaxWait)
		defer wait.Stop()
		expired = wait.C
	}
	for rows < s.cfg.MaxBatch {
		select {
		case j := <-s.jobs:
			jobs, rows = append(jobs, j), rows+j.rows.Rows
			continue
		default:
		}
		if expired == nil {
			return jobs
		}
		select {
		case j := <-s.jobs:
			jobs, rows = append(jobs, j), rows+j.rows.Rows
		case <-expired:
			return jobs
		case <-s.quit: // Close: run what came
			return jobs
		}
	}
	return jobs
}

// batcher runs batches, keeping its buffers from one to the next.
type batcher struct {
	floats []float32
	mask   []uint8
}

// run passes the rows of jobs through m in one Infer call and answers
// each job with its rows of the results. The batch is padded with zero
// rows to a power of two (a multiple of m.Batch past it), so that the
// model keeps inference workspaces for a few batch sizes, not for every
// row count.
func (b *batcher) run(m *wgml.Model, jobs []*job, mt *metrics) {
	in := m.Net.Config.Input()
	live := jobs[:0]
	var want wgml.Outputs
	var rows int
	masked := false
	for _, j := range jobs {
		switch {
		case j.ctx.Err() != nil: // its client gave up waiting
			continue
		case j.rows.Cols != in:
			j.reply <- answer{err: httpErrorf(http.StatusConflict, "the model was reloaded: rows of %d values, the model now takes %d", j.rows.Cols, in)}
			continue
		}
		live = append(live, j)
		rows += j.rows.Rows
		want.FeatureErrors = want.FeatureErrors || j.want.FeatureErrors
		want.Latent = want.Latent || j.want.Latent
		want.Reconstruction = want.Reconstruction || j.want.Reconstruction
		masked = masked || j.rows.Mask != nil
	}
	if len(live) == 0 {
		return
	}
	padded := paddedRows(rows, m.Batch)
	d := b.concat(live, in, padded, masked)
	mt.batches.Inc()
	mt.batchRows.Observe(float64(rows))
	inf, err := m.Infer(d, want)
	if err != nil {
		err = httpErrorf(http.StatusInternalServerError, "scoring: %v", err)
	}
	off := 0
	for _, j := range live {
		a := answer{model: m, err: err}
		if err == nil {
			a.inf = share(inf, off, j.rows.Rows)
		}
		j.reply <- a
		off += j.rows.Rows
	}
}

// concat lays the jobs' rows end to end in one data set of padded rows
// (zeros past the jobs' rows, present in the mask).
func (b *batcher) concat(jobs []*job, in, padded int, masked bool) *data.Dataset {
	b.floats = grow(b.floats, padded*in)
	d := &data.Dataset{Name: "batch", Rows: padded, Cols: in, Floats: b.floats[:padded*in]}
	off := 0
	for _, j := range jobs {
		off += copy(d.Floats[off:], j.rows.Floats)
	}
	clear(d.Floats[off:])
	if masked {
		b.mask = grow(b.mask, padded*in)
		d.Mask = b.mask[:padded*in]
		off = 0
		for _, j := range jobs {
			n := j.rows.Rows * in
			if j.rows.Mask != nil {
				copy(d.Mask[off:off+n], j.rows.Mask)
			} else {
				fill(d.Mask[off:off+n], 1)
			}
			off += n
		}
		fill(d.Mask[off:], 1)
	}
	return d
}

// paddedRows is the row count a batch of rows runs as: the next power of
// two up to batch, and past batch the next multiple of batch.
func paddedRows(rows, batch int) int {
	if rows > batch {
		return (rows + batch - 1) / batch * batch
	}
	p := 1
	for p < rows {
		p *= 2
	}
	return min(p, batch)
}

// share is rows off..off+n-1 of every output of inf.
func share(inf *wgml.Inference, off, n int) *wgml.Inference {
	rows := func(v [][]float64) [][]float64 {
		if v == nil {
			return nil
		}
		return v[off : off+n]
	}
	return &wgml.Inference{Scores: inf.Scores[off : off+n], FeatureErrors: rows(inf.FeatureErrors),
		Latent: rows(inf.Latent), Reconstruction: rows(inf.Reconstruction)}
}

// grow returns buf with room for n values.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

func fill(v []uint8, x uint8) {
	for i := range v {
		v[i] = x
	}
}

// timeoutError is the error of a request whose context ended first.
func timeoutError(ctx context.Context, limit time.Duration) error {
	if ctx.Err() == context.DeadlineExceeded {
		return httpErrorf(http.StatusServiceUnavailable, "the request took longer than the %v limit", limit)
	}
	return httpErrorf(http.StatusServiceUnavailable, "the client went away: %v", ctx.Err())
}
