package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	wgmlbeam "github.com/wgml/wgml/beam"
)

// writeParquetTable writes n rows of seg,a,b,c (as writeTable) to
// dir/rows.parquet in row groups of 25 rows and returns its path.
func writeParquetTable(t *testing.T, dir string, n int) string {
	t.Helper()
	csv := readCSV(t, writeTable(t, dir, n))
	schema := arrow.NewSchema([]arrow.Field{{Name: "seg", Type: arrow.BinaryTypes.String},
		{Name: "a", Type: arrow.PrimitiveTypes.Float64}, {Name: "b", Type: arrow.PrimitiveTypes.Float64}, {Name: "c", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, r := range csv[1:] {
		b.Field(0).(*array.StringBuilder).Append(r[0])
		for j := 1; j < 4; j++ {
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				t.Fatal(err)
			}
			b.Field(j).(*array.Float64Builder).Append(v)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(dir, "rows.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(schema, f, parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(25)), pqarrow.DefaultWriterProps())
	if err == nil {
		err = w.Write(rec)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// readScoresParquet reads a Parquet scores shard: index, score,
// is_outlier, probability per row.
func readScoresParquet(t *testing.T, path string) map[int64][3]float64 {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	col := func(j int) arrow.Array { return tbl.Column(j).Data().Chunk(0) }
	idx, score, flag, prob := col(0).(*array.Int64), col(1).(*array.Float64), col(2).(*array.Boolean), col(3).(*array.Float64)
	out := map[int64][3]float64{}
	for i := range idx.Len() {
		f := 0.0
		if flag.Value(i) {
			f = 1
		}
		out[idx.Value(i)] = [3]float64{score.Value(i), f, prob.Value(i)}
	}
	return out
}

// TestScoreParquet: wgml-beam score on a Parquet file of four row groups
// (split over the workers) writes Parquet shards whose scores, flags and
// probabilities are the library's ScoreFile of the same file (the path of
// wgml score), at wgml score's printed precision.
func TestScoreParquet(t *testing.T) {
	dir := t.TempDir()
	path := writeParquetTable(t, dir, 90)
	m, ckpt, scores := fitScored(t, dir, path)
	c := &scoreCmd{ioFlags: ioFlags{data: path, out: filepath.Join(dir, "scores.parquet")}, model: ckpt, batch: 7, shards: 2}
	p, s := beam.NewPipelineWithRoot()
	if err := c.build(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	ptest.RunAndValidate(t, p)
	got := map[int64][3]float64{}
	for i := range 2 {
		for k, v := range readScoresParquet(t, wgmlbeam.ParquetFormat.Shard(filepath.Join(dir, "scores"), i, 2)) {
			got[k] = v
		}
	}
	if len(got) != len(scores) {
		t.Fatalf("%d rows scored, want %d", len(got), len(scores))
	}
	printed := func(v float64, digits int) float64 {
		x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
		return x
	}
	for i, sc := range scores {
		flag := 0.0
		if sc > m.Threshold {
			flag = 1
		}
		want := [3]float64{printed(sc, 8), flag, printed(m.Scaler.Probability(sc), 6)}
		if got[int64(i)] != want {
			t.Errorf("row %d: %v, want %v", i, got[int64(i)], want)
		}
	}
}
