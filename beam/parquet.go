package wgmlbeam

import (
	"context"
	"fmt"

	"reflect"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/wgml/wgml"
)

func init() {
	beam.RegisterType(reflect.TypeOf(RowGroup{}))
	register.DoFn3x1[context.Context, string, func(RowGroup), error](&groupsFn{})
	register.DoFn4x1[context.Context, RowGroup, func(Scored), func(DeadLetter), error](&scoreGroupFn{})
	register.DoFn4x1[context.Context, RowGroup, func(Encoded), func(DeadLetter), error](&encodeGroupFn{})
	register.Emitter1[RowGroup]()
}

// ParquetTable is a set of Parquet table files, found when the pipeline
// is built. Its unit of work is a row group, so that the workers split a
// file.
type ParquetTable struct {
	// Pattern is the glob the files matched.
	Pattern string
	// Files are the matching files, sorted.
	Files []string
}

// RowGroup is one row group of a Parquet file: the element ScoreParquet
// and EncodeParquet spread over the workers.
type RowGroup struct {
	File  string
	Group int
}

// OpenParquet lists the Parquet files pattern matches (a glob, through
// Beam's filesystem layer) and opens the first with model m's read options
// (the columns and schema it was trained on). It fails, at pipeline
// construction, when no file matches or the model cannot read the first.
func OpenParquet(ctx context.Context, pattern string, m *Model) (*ParquetTable, error) {
	fs, files, err := listFiles(ctx, pattern)
	if err != nil {
		return nil, err
	}
	fs.Close()
	g := groupReader{Model: m.Path}
	if err := g.Setup(ctx); err != nil {
		return nil, err
	}
	defer g.Teardown()
	if _, err := g.groups(ctx, files[0]); err != nil {
		return nil, err
	}
	return &ParquetTable{Pattern: pattern, Files: files}, nil
}

// IsParquet reports whether path names a Parquet file (.parquet or .pq).
func IsParquet(path string) bool {
	e := strings.ToLower(ext(path))
	return e == ".parquet" || e == ".pq"
}

// rowGroups is every row group of t's files, spread over the workers.
func (t *ParquetTable) rowGroups(s beam.Scope, m *Model) beam.PCollection {
	files := beam.CreateList(s, t.Files)
	return beam.Reshuffle(s, beam.ParDo(s, &groupsFn{groupReader{Model: m.Path}}, files))
}

// ScoreParquet scores every row of t's files with model m, one row group
// per element, as Score scores CSV rows (Scored.Pos is the row's place in
// its file). A row group the model cannot read (a missing value under the
// error policy, a column of another type) goes to dead whole, with the
// reason, and the job goes on.
func ScoreParquet(s beam.Scope, m *Model, t *ParquetTable) (scored, dead beam.PCollection) {
	s = s.Scope("wgml.ScoreParquet")
	return beam.ParDo2(s, &scoreGroupFn{groupReader{Model: m.Path}}, t.rowGroups(s, m))
}

// EncodeParquet maps every row of t's files to its latent code with model
// m, one row group per element; dead as in ScoreParquet.
func EncodeParquet(s beam.Scope, m *Model, t *ParquetTable) (codes, dead beam.PCollection) {
	s = s.Scope("wgml.EncodeParquet")
	return beam.ParDo2(s, &encodeGroupFn{groupReader{Model: m.Path}}, t.rowGroups(s, m))
}

// groupReader holds the model (loaded once per worker) and a local copy
// of the last remote file read (none for local files), so that the row
// groups of one file that reach a worker in turn are copied once.
type groupReader struct {
	Model string

	m           *wgml.Model
	file, local string
	done        func()
}

func (g *groupReader) Setup(ctx context.Context) error {
	var err error
	g.m, err = loadModel(ctx, g.Model)
	return err
}

func (g *groupReader) Teardown() error {
	if g.done != nil {
		g.done()
	}
	return nil
}

// open returns a local path holding file.
func (g *groupReader) open(ctx context.Context, file string) (string, error) {
	if file == g.file {
		return g.local, nil
	}
	g.Teardown()
	local, done, err := localCopy(ctx, file)
	if err != nil {
		return "", fmt.Errorf("data %s: %w", file, err)
	}
	g.file, g.local, g.done = file, local, done
	return local, nil
}

// groups counts file's row groups.
func (g *groupReader) groups(ctx context.Context, file string) (int, error) {
	local, err := g.open(ctx, file)
	if err != nil {
		return 0, err
	}
	n, err := g.m.RowGroups(local)
	return n, g.named(err, local, file)
}

// infer reads row group rg and passes it through the model, asking want.
// It returns the file row of the group's first row and the results, or
// why the model cannot read the group (bad), or an error of the file
// system (err: the runner retries the element).
func (g *groupReader) infer(ctx context.Context, rg RowGroup, want wgml.Outputs) (first int, res *wgml.Inference, bad, err error) {
	local, err := g.open(ctx, rg.File)
	if err != nil {
		return 0, nil, nil, err
	}
	first, _, res, bad = g.m.InferRowGroup(local, rg.Group, want)
	return first, res, g.named(bad, local, rg.File), nil
}

// named is err with file's local copy called file.
func (g *groupReader) named(err error, local, file string) error {
	if err == nil || local == file {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), local, file))
}

// dead sends rg to dead with the reason err (nothing when err is nil).
func (g *groupReader) dead(ctx context.Context, rg RowGroup, err error, dead func(DeadLetter)) {
	if err == nil {
		return
	}
	deadLetters.Inc(ctx, 1)
	reason := err.Error()
	if !strings.Contains(reason, rg.File) {
		reason = rg.File + ": " + reason
	}
	dead(DeadLetter{File: rg.File, Pos: -1, Reason: fmt.Sprintf("row group %d: %s; the row group is skipped", rg.Group, reason)})
}

// groupsFn emits the row groups of a file.
type groupsFn struct{ groupReader }

func (f *groupsFn) ProcessElement(ctx context.Context, file string, emit func(RowGroup)) error {
	n, err := f.groups(ctx, file)
	if err != nil {
		return err
	}
	for g := range n {
		emit(RowGroup{File: file, Group: g})
	}
	return nil
}

// scoreGroupFn scores row groups.
type scoreGroupFn struct{ groupReader }

func (f *scoreGroupFn) ProcessElement(ctx context.Context, rg RowGroup, emit func(Scored), dead func(DeadLetter)) error {
	first, res, bad, err := f.infer(ctx, rg, wgml.Outputs{})
	if err != nil || bad != nil {
		f.dead(ctx, rg, bad, dead)
		return err
	}
	rowsScored.Inc(ctx, int64(len(res.Scores)))
	flags, _ := wgml.Outliers(res.Scores, f.m.Threshold)
	for i, s := range res.Scores {
		emit(Scored{File: rg.File, Pos: int64(first + i), Score: s, Outlier: flags[i], Probability: f.m.Scaler.Probability(s)})
	}
	return nil
}

// encodeGroupFn encodes row groups.
type encodeGroupFn struct{ groupReader }

func (f *encodeGroupFn) ProcessElement(ctx context.Context, rg RowGroup, emit func(Encoded), dead func(DeadLetter)) error {
	first, res, bad, err := f.infer(ctx, rg, wgml.Outputs{Latent: true})
	if err != nil || bad != nil {
		f.dead(ctx, rg, bad, dead)
		return err
	}
	rowsEncoded.Inc(ctx, int64(len(res.Latent)))
	for i, c := range res.Latent {
		emit(Encoded{File: rg.File, Pos: int64(first + i), Code: c})
	}
	return nil
}
