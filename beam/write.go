package wgmlbeam

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.DoFn2x0[Scored, func(Line)](&scoredLineFn{})
	register.DoFn2x0[Encoded, func(Line)](&encodedLineFn{})
	register.Function2x0[DeadLetter, func(Line)](deadLine)
	register.Function2x0[Summary, func(Line)](summaryLine)
	register.DoFn2x0[Line, func(int, []Line)](&shardFn{})
	register.DoFn3x1[context.Context, int, func(*[]Line) bool, error](&writeShardFn{})
	register.Emitter1[Line]()
	register.Emitter2[int, []Line]()
	register.Iter1[[]Line]()
}

// Line is one CSV record bound for WriteCSV, with the row it is about
// (File, Pos, Key), which orders the records of a shard.
type Line struct {
	File   string
	Pos    int64
	Key    string
	Fields []string
}

// CSV is a collection of Lines and their header: what WriteCSV writes.
type CSV struct {
	Header []string
	Lines  beam.PCollection
}

// idColumns are the columns that name a row of t: its key, or its file
// (when t has several) and position.
func idColumns(t *Table) []string {
	switch {
	case t.Key >= 0:
		return []string{"key"}
	case len(t.Files) > 1:
		return []string{"file", "index"}
	}
	return []string{"index"}
}

// rowID is the idColumns fields of a row.
func rowID(cols int, key, file string, pos int64) []string {
	switch {
	case cols == 0:
		return []string{key}
	case cols == 2:
		return []string{file, strconv.FormatInt(pos, 10)}
	}
	return []string{strconv.FormatInt(pos, 10)}
}

// idKind is what rowID takes for idColumns(t): 0 key, 1 index, 2 file and
// index.
func idKind(t *Table) int {
	if t.Key >= 0 {
		return 0
	}
	return len(idColumns(t))
}

// ScoresCSV formats scores as `wgml score` does: the row's id (key, or
// [file,] index), score, is_outlier (0 or 1), probability.
func ScoresCSV(s beam.Scope, t *Table, scores beam.PCollection) CSV {
	h := append(idColumns(t), "score", "is_outlier", "probability")
	return CSV{Header: h, Lines: beam.ParDo(s, &scoredLineFn{ID: idKind(t)}, scores)}
}

type scoredLineFn struct{ ID int }

func (f *scoredLineFn) ProcessElement(r Scored, emit func(Line)) {
	flag := "0"
	if r.Outlier {
		flag = "1"
	}
	fields := append(rowID(f.ID, r.Key, r.File, r.Pos), strconv.FormatFloat(r.Score, 'g', 8, 64), flag, strconv.FormatFloat(r.Probability, 'g', 6, 64))
	emit(Line{File: r.File, Pos: r.Pos, Key: r.Key, Fields: fields})
}

// CodesCSV formats latent codes as `wgml encode` does: the row's id, then
// z0, z1, ... with float32's 7 significant digits.
func CodesCSV(s beam.Scope, t *Table, m *Model, codes beam.PCollection) CSV {
	h := idColumns(t)
	for j := range m.Latent {
		h = append(h, "z"+strconv.Itoa(j))
	}
	return CSV{Header: h, Lines: beam.ParDo(s, &encodedLineFn{ID: idKind(t)}, codes)}
}

type encodedLineFn struct{ ID int }

func (f *encodedLineFn) ProcessElement(r Encoded, emit func(Line)) {
	fields := rowID(f.ID, r.Key, r.File, r.Pos)
	for _, v := range r.Code {
		fields = append(fields, strconv.FormatFloat(v, 'g', 7, 32))
	}
	emit(Line{File: r.File, Pos: r.Pos, Key: r.Key, Fields: fields})
}

// DeadCSV formats dead letters: file, line, key, reason.
func DeadCSV(s beam.Scope, dead beam.PCollection) CSV {
	return CSV{Header: []string{"file", "line", "key", "reason"}, Lines: beam.ParDo(s, deadLine, dead)}
}

func deadLine(d DeadLetter, emit func(Line)) {
	emit(Line{File: d.File, Pos: d.Line, Key: d.Key, Fields: []string{d.File, strconv.FormatInt(d.Line, 10), d.Key, d.Reason}})
}

// WriteCSV writes c as shards CSV files PREFIX-SSSSS-of-NNNNN.csv through
// Beam's filesystem layer, each with the header and its records in input
// order. A shard that gets no record is not written.
func WriteCSV(s beam.Scope, prefix string, shards int, c CSV) {
	s = s.Scope("wgml.WriteCSV")
	shards = max(shards, 1)
	keyed := beam.ParDo(s, &shardFn{Shards: shards}, c.Lines)
	beam.ParDo0(s, &writeShardFn{Prefix: prefix, Shards: shards, Header: c.Header}, beam.GroupByKey(s, keyed))
}

// ShardName is the name of shard i of n of a WriteCSV output.
func ShardName(prefix string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.csv", prefix, i, n)
}

// shardFn picks a record's shard by a hash of its row (FNV-1a, whose low
// bits alone are poorly mixed, through MurmurHash3's 64-bit finaliser)
// and gathers the records of each shard, so that they cross the shuffle
// a thousand at a time.
type shardFn struct {
	Shards int

	lines map[int]*gather[Line]
}

func (f *shardFn) ProcessElement(l Line, emit func(int, []Line)) {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d\x00%s", l.File, l.Pos, l.Key)
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	shard := int(x % uint64(f.Shards))
	if f.lines == nil {
		f.lines = map[int]*gather[Line]{}
	}
	g := f.lines[shard]
	if g == nil {
		g = &gather[Line]{}
		f.lines[shard] = g
	}
	g.add(l, func(ls []Line) { emit(shard, ls) })
}

// FinishBundle emits the records gathered.
func (f *shardFn) FinishBundle(emit func(int, []Line)) {
	for shard, g := range f.lines {
		g.flush(func(ls []Line) { emit(shard, ls) })
	}
}

// writeShardFn writes one shard, its records sorted by row.
type writeShardFn struct {
	Prefix string
	Shards int
	Header []string
}

func (f *writeShardFn) ProcessElement(ctx context.Context, shard int, iter func(*[]Line) bool) error {
	var lines, ls []Line
	for iter(&ls) {
		lines = append(lines, ls...)
	}
	slices.SortFunc(lines, func(a, b Line) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Pos, b.Pos), cmp.Compare(a.Key, b.Key))
	})
	return writeFile(ctx, ShardName(f.Prefix, shard, f.Shards), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(f.Header)
		for _, l := range lines {
			cw.Write(l.Fields)
		}
		cw.Flush()
		return cw.Error()
	})
}
