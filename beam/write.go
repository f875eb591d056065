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
	"strings"

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

// CSV is a collection of Lines, their header and each column's type: what
// WriteCSV writes as text and WriteParquet as typed columns.
type CSV struct {
	Header []string
	// Types are the columns' types in a Parquet file (nil: all Text).
	Types []Type
	Lines beam.PCollection
}

// Type is the type of an output column in a Parquet file: the CSV text
// of its fields parsed as such.
type Type uint8

// Column types.
const (
	Text  Type = iota // a string
	Int               // a 64-bit integer
	Float             // a float64
	Bool              // 0 or 1, a boolean
)

// Input is what scored or encoded rows came from, a CSV Table or a
// ParquetTable: it decides the columns that name a row in the outputs.
type Input interface {
	// idKind is what rowID takes: 0 key, 1 index, 2 file and index.
	idKind() int
}

func (t *Table) idKind() int {
	switch {
	case t.Key >= 0:
		return 0
	case len(t.Files) > 1:
		return 2
	}
	return 1
}

func (t *ParquetTable) idKind() int { return 1 + min(len(t.Files)-1, 1) }

// idColumns are the columns that name a row of t: its key, or its file
// (when t has several) and position.
func idColumns(t Input) []string {
	return [][]string{{"key"}, {"index"}, {"file", "index"}}[t.idKind()]
}

// idTypes are the types of idColumns(t).
func idTypes(t Input) []Type {
	return [][]Type{{Text}, {Int}, {Text, Int}}[t.idKind()]
}

// rowID is the idColumns fields of a row of idKind kind.
func rowID(kind int, key, file string, pos int64) []string {
	switch kind {
	case 0:
		return []string{key}
	case 2:
		return []string{file, strconv.FormatInt(pos, 10)}
	}
	return []string{strconv.FormatInt(pos, 10)}
}

// ScoresCSV formats scores as `wgml score` does: the row's id (key, or
// [file,] index), score, is_outlier (0 or 1), probability.
func ScoresCSV(s beam.Scope, t Input, scores beam.PCollection) CSV {
	h := append(idColumns(t), "score", "is_outlier", "probability")
	types := append(idTypes(t), Float, Bool, Float)
	return CSV{Header: h, Types: types, Lines: beam.ParDo(s, &scoredLineFn{ID: t.idKind()}, scores)}
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
func CodesCSV(s beam.Scope, t Input, m *Model, codes beam.PCollection) CSV {
	h := idColumns(t)
	for j := range m.Latent {
		h = append(h, "z"+strconv.Itoa(j))
	}
	types := idTypes(t)
	for range m.Latent {
		types = append(types, Float)
	}
	return CSV{Header: h, Types: types, Lines: beam.ParDo(s, &encodedLineFn{ID: t.idKind()}, codes)}
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
	return CSV{Header: []string{"file", "line", "key", "reason"}, Types: []Type{Text, Int, Text, Text}, Lines: beam.ParDo(s, deadLine, dead)}
}

func deadLine(d DeadLetter, emit func(Line)) {
	emit(Line{File: d.File, Pos: d.Line, Key: d.Key, Fields: []string{d.File, strconv.FormatInt(d.Line, 10), d.Key, d.Reason}})
}

// Format is an output file format.
type Format uint8

// Output formats.
const (
	CSVFormat     Format = iota // CSV text with a header row
	ParquetFormat               // Parquet, one row group of typed columns (CSV.Types)
)

// FormatOf is the format path's extension names (.parquet or .pq:
// ParquetFormat, else CSVFormat) and path without a .csv, .parquet or .pq
// extension: an output prefix.
func FormatOf(path string) (Format, string) {
	e := ext(path)
	switch {
	case IsParquet(path):
		return ParquetFormat, strings.TrimSuffix(path, e)
	case strings.EqualFold(e, ".csv"):
		return CSVFormat, strings.TrimSuffix(path, e)
	}
	return CSVFormat, path
}

// Shard is the name of shard i of n of an output written with prefix:
// PREFIX-SSSSS-of-NNNNN.csv (or .parquet).
func (f Format) Shard(prefix string, i, n int) string {
	e := ".csv"
	if f == ParquetFormat {
		e = ".parquet"
	}
	return fmt.Sprintf("%s-%05d-of-%05d%s", prefix, i, n, e)
}

// WriteCSV writes c as shards CSV files PREFIX-SSSSS-of-NNNNN.csv through
// Beam's filesystem layer, each with the header and its records in input
// order. A shard that gets no record is not written.
func WriteCSV(s beam.Scope, prefix string, shards int, c CSV) {
	Write(s, prefix, shards, c, CSVFormat)
}

// Write writes c as shards files in format f (see WriteCSV; a Parquet
// shard holds c's columns typed by c.Types, its records in input order).
func Write(s beam.Scope, prefix string, shards int, c CSV, f Format) {
	s = s.Scope("wgml.Write")
	shards = max(shards, 1)
	keyed := beam.ParDo(s, &shardFn{Shards: shards}, c.Lines)
	w := &writeShardFn{Prefix: prefix, Shards: shards, Header: c.Header, Types: c.Types, Format: f}
	beam.ParDo0(s, w, beam.GroupByKey(s, keyed))
}

// ShardName is the name of shard i of n of a WriteCSV output.
func ShardName(prefix string, i, n int) string { return CSVFormat.Shard(prefix, i, n) }

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
	Types  []Type
	Format Format
}

func (f *writeShardFn) ProcessElement(ctx context.Context, shard int, iter func(*[]Line) bool) error {
	var lines, ls []Line
	for iter(&ls) {
		lines = append(lines, ls...)
	}
	slices.SortFunc(lines, func(a, b Line) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Pos, b.Pos), cmp.Compare(a.Key, b.Key))
	})
	return writeFile(ctx, f.Format.Shard(f.Prefix, shard, f.Shards), func(w io.Writer) error {
		if f.Format == ParquetFormat {
			return writeParquet(w, f.Header, f.Types, lines)
		}
		cw := csv.NewWriter(w)
		cw.Write(f.Header)
		for _, l := range lines {
			cw.Write(l.Fields)
		}
		cw.Flush()
		return cw.Error()
	})
}
