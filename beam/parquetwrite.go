package wgmlbeam

import (
	"fmt"
	"io"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// writeParquet writes lines as one Parquet row group to w (arrow-go's
// pqarrow, Snappy pages): column j named header[j], of types[j] (Text when
// types is nil), each field parsed from its text.
func writeParquet(w io.Writer, header []string, types []Type, lines []Line) error {
	fields := make([]arrow.Field, len(header))
	for j, name := range header {
		fields[j] = arrow.Field{Name: name, Type: typeAt(types, j).arrow()}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, l := range lines {
		for j, v := range l.Fields {
			if err := typeAt(types, j).append(b.Field(j), v); err != nil {
				return fmt.Errorf("column %s: %w", header[j], err)
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy))
	// The writer closes a sink that is an io.Closer: writeFile closes w.
	fw, err := pqarrow.NewFileWriter(schema, struct{ io.Writer }{w}, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

// typeAt is types[j], Text when types is nil.
func typeAt(types []Type, j int) Type {
	if types == nil {
		return Text
	}
	return types[j]
}

// arrow is t's Arrow type.
func (t Type) arrow() arrow.DataType {
	return [...]arrow.DataType{Text: arrow.BinaryTypes.String, Int: arrow.PrimitiveTypes.Int64,
		Float: arrow.PrimitiveTypes.Float64, Bool: arrow.FixedWidthTypes.Boolean}[t]
}

// append parses field v as t and appends it to b (a builder of t.arrow()).
func (t Type) append(b array.Builder, v string) error {
	switch t {
	case Int:
		n, err := strconv.ParseInt(v, 10, 64)
		b.(*array.Int64Builder).Append(n)
		return err
	case Float:
		x, err := strconv.ParseFloat(v, 64)
		b.(*array.Float64Builder).Append(x)
		return err
	case Bool:
		b.(*array.BooleanBuilder).Append(v == "1")
		return nil
	}
	b.(*array.StringBuilder).Append(v)
	return nil
}
