// Command parquetgen writes the Parquet fixtures of data/testdata/parquet
// with parquet-go/parquet-go, an implementation independent of the Apache
// Arrow reader wgml uses, so that the reader is checked against files it
// did not write itself. Run it from this folder (its own module, kept out
// of wgml's dependencies):
//
//	go run . ../parquet
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
)

// Row is one row of mixed.parquet: numbers of several widths, a string
// category stored dictionary-encoded, optional (nullable) values, a label.
type Row struct {
	I32   int32    `parquet:"i32"`
	I64   int64    `parquet:"i64"`
	F32   float32  `parquet:"f32"`
	F64   *float64 `parquet:"f64,optional"`
	Color *string  `parquet:"color,optional,dict"`
	Flag  bool     `parquet:"flag"`
	Label string   `parquet:"label"`
}

// Nested is a row of nested.parquet: a list and a struct column beside a
// number.
type Nested struct {
	X     float64              `parquet:"x"`
	Tags  []string             `parquet:"tags,list"`
	Point struct{ A, B int32 } `parquet:"point"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: parquetgen OUTDIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "parquetgen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	colors := []string{"red", "green", "blue"}
	var rows []Row
	for i := range 25 {
		r := Row{I32: int32(i - 12), I64: int64(i) * 1000, F32: float32(i) / 4, Flag: i%3 == 0, Label: []string{"normal", "odd"}[i%7/6]}
		if i%5 != 4 {
			v := float64(i) * 1.5
			r.F64 = &v
		}
		if i%6 != 5 {
			r.Color = &colors[i%3]
		}
		rows = append(rows, r)
	}
	// Row groups of 10 rows: the reader must join three.
	if err := write(filepath.Join(dir, "mixed.parquet"), rows, parquet.MaxRowsPerRowGroup(10)); err != nil {
		return err
	}
	nested := []Nested{{X: 1, Tags: []string{"a"}}, {X: 2, Tags: []string{"b", "c"}}}
	nested[1].Point.A = 3
	return write(filepath.Join(dir, "nested.parquet"), nested)
}

// write writes rows to path.
func write[T any](path string, rows []T, opts ...parquet.WriterOption) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := parquet.NewGenericWriter[T](f, opts...)
	if _, err := w.Write(rows); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}
