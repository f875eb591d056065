package data

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestReadParquetOther reads testdata/parquet/mixed.parquet, written by
// parquet-go (testdata/parquetgen) in three row groups: numbers of every
// width, nulls as missing values, a dictionary-encoded string column as
// categories, booleans as 0/1, class-name labels.
func TestReadParquetOther(t *testing.T) {
	const path = "testdata/parquet/mixed.parquet"
	_, err := ReadCSV(path, CSVOptions{LabelCol: "label"})
	wantErr(t, err, path+`: row 5: column "f64": null`+missingHint)
	d, err := ReadCSV(path, CSVOptions{LabelCol: "label", Missing: MissingMask})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []string{"i32", "i64", "f32", "f64", "color=blue", "color=green", "color=red", "flag"}
	if d.Rows != 25 || !slices.Equal(d.Columns, wantCols) || !slices.Equal(d.Classes, []string{"normal", "odd"}) {
		t.Fatalf("%d rows, columns %v, classes %v", d.Rows, d.Columns, d.Classes)
	}
	colors := []string{"red", "green", "blue"}
	for i := range d.Rows {
		row, mask := d.Floats[i*d.Cols:(i+1)*d.Cols], d.Mask[i*d.Cols:(i+1)*d.Cols]
		if row[0] != float32(i-12) || row[1] != float32(i*1000) || row[2] != float32(i)/4 {
			t.Fatalf("row %d: %v", i, row)
		}
		if (mask[3] == 0) != (i%5 == 4) || mask[3] == 1 && row[3] != float32(i)*1.5 {
			t.Fatalf("row %d: f64 %v mask %v", i, row[3], mask[3])
		}
		if i%6 == 5 {
			if mask[4] != 0 {
				t.Fatalf("row %d: null colour not missing", i)
			}
		} else if k := slices.Index(wantCols, "color="+colors[i%3]); row[k] != 1 {
			t.Fatalf("row %d: colour %v", i, row[4:7])
		}
		if flag := row[7]; (flag == 1) != (i%3 == 0) {
			t.Fatalf("row %d: flag %v", i, flag)
		}
		if d.Labels[i] != i%7/6 {
			t.Fatalf("row %d: label %d", i, d.Labels[i])
		}
	}
	// Column selection, and the split of Open.
	sel, err := ReadCSV(path, CSVOptions{Columns: []string{"i32", "f32"}})
	if err != nil || !slices.Equal(sel.Columns, []string{"i32", "f32"}) || sel.Floats[3] != 0.25 {
		t.Fatalf("columns: %v %v", err, sel)
	}
	train, test, err := Open(path, OpenOptions{CSV: CSVOptions{Drop: []string{"f64", "color"}, LabelCol: "label"}, Seed: 2})
	if err != nil || train.Rows != 20 || test.Rows != 5 || train.Cols != 4 {
		t.Fatalf("Open: %v", err)
	}
}

// TestReadParquetBad: a nested column, a truncated file and a file that is
// no Parquet answer one line naming the file (and the column).
func TestReadParquetBad(t *testing.T) {
	const nested = "testdata/parquet/nested.parquet"
	_, err := ReadCSV(nested, CSVOptions{})
	wantErr(t, err, nested+`: column "tags": type list<element: utf8> is not supported (want numbers or text); leave it out with --drop tags`)
	if d, err := ReadCSV(nested, CSVOptions{Drop: []string{"tags", "point"}}); err != nil || !slices.Equal(d.Floats, []float32{1, 2}) {
		t.Errorf("nested columns dropped: %v", err)
	}
	b, err := os.ReadFile("testdata/parquet/mixed.parquet")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, bad := range [][]byte{b[:len(b)/2], b[len(b)/2:], []byte("a,b\n1,2\n")} {
		path := writeFile(t, dir, "bad.parquet", bad)
		_, err := ReadCSV(path, CSVOptions{})
		if err == nil || !strings.HasPrefix(err.Error(), path+": ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%d bytes: error %v", len(bad), err)
		}
	}
}

// TestReadParquetArrow reads a file Arrow itself writes: a dictionary
// column, float64 beyond float32 range refused, NaN as a missing value.
func TestReadParquetArrow(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.parquet")
	writeArrowParquet(t, path, []float64{1, math.NaN(), 3}, []string{"x", "y", "x"})
	d, err := ReadCSV(path, CSVOptions{Missing: MissingMean})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Columns, []string{"v", "k=x", "k=y"}) || !slices.Equal(d.Floats, []float32{1, 1, 0, 2, 0, 1, 3, 1, 0}) {
		t.Fatalf("columns %v floats %v", d.Columns, d.Floats)
	}
	writeArrowParquet(t, path, []float64{1, 1e300}, []string{"x", "y"})
	_, err = ReadCSV(path, CSVOptions{})
	wantErr(t, err, path+`: row 2: column "v": 1e+300 is not a finite float32`)
}

// writeArrowParquet writes a Parquet file of a float64 column v and a
// dictionary-encoded string column k with Arrow's writer.
func writeArrowParquet(t *testing.T, path string, v []float64, k []string) {
	t.Helper()
	mem := memory.DefaultAllocator
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Float64}, {Name: "k", Type: dt}}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Field(0).(*array.Float64Builder).AppendValues(v, nil)
	db := b.Field(1).(*array.BinaryDictionaryBuilder)
	for _, s := range k {
		if err := db.AppendString(s); err != nil {
			t.Fatal(err)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	w, err := pqarrow.NewFileWriter(schema, &buf, parquet.NewWriterProperties(), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzReadParquet feeds arbitrary bytes to the Parquet reader (the
// fixtures and their pieces as seeds): it returns an error naming the file
// in one line, or a table of finite numbers of consistent shape.
func FuzzReadParquet(f *testing.F) {
	for _, name := range []string{"mixed.parquet", "nested.parquet"} {
		b, err := os.ReadFile(filepath.Join("testdata", "parquet", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
		f.Add(b, uint8(1))
		f.Add(b[:len(b)-9], uint8(0))
		f.Add(append(slices.Clone(b[:len(b)/3]), b[len(b)-300:]...), uint8(2))
	}
	path := filepath.Join(fuzzDir(f), "fuzz.parquet")
	f.Fuzz(func(t *testing.T, b []byte, opts uint8) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		opt := CSVOptions{Missing: []string{MissingMask, MissingError, MissingMean, MissingMask}[opts&3]}
		if opts&4 != 0 {
			opt.LabelCol = "label"
		}
		d, err := ReadCSV(path, opt)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path+": ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q does not name the file in one line", err)
			}
			return
		}
		if d.Rows <= 0 || len(d.Floats) != d.Rows*d.Cols || d.Schema.Width() != d.Cols {
			t.Fatalf("%d rows of %d columns in %d floats", d.Rows, d.Cols, len(d.Floats))
		}
		for i, v := range d.Floats {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("value %d is %v", i, v)
			}
		}
	})
}
