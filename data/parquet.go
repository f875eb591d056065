package data

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// ParquetReader reads a Parquet file row group by row group (a
// TableReader) through Apache Arrow's pqarrow: integer, floating-point and
// boolean columns as Number, string, binary and dictionary columns as Text,
// nulls (and NaN) as missing values.
type ParquetReader struct {
	hdr     TableHeader
	pf      *file.Reader
	fr      *pqarrow.FileReader
	cols    []parquetCol // the features, then the label
	missing string
	rg      int // the next row group
	row     int // rows before it
	hint    int
	dicts   []dict
	labels  dict
}

// parquetCol is a column read: its leaf index in the file, name, kind,
// slot (see TableHeader.Slots) and whether it is the label.
type parquetCol struct {
	leaf  int
	name  string
	kind  Kind
	slot  int
	label bool
}

// OpenParquet opens a Parquet file for reading by row group, with the
// label column, column selection, categorical columns, schema and missing
// policy of opt (its CSV syntax options do not apply). A column of another
// type (a list, a struct, a date) is an error naming it, unless left out.
func OpenParquet(path string, opt CSVOptions) (_ *ParquetReader, err error) {
	defer guard(path, &err)
	switch opt.Missing {
	case "", MissingError, MissingMean, MissingMask:
	default:
		return nil, fmt.Errorf("missing %q: want error, mean or mask", opt.Missing)
	}
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, oneLine(err))
	}
	r := &ParquetReader{pf: pf, missing: opt.Missing, hint: int(pf.NumRows()), labels: newDict()}
	if err := r.plan(path, opt); err != nil {
		pf.Close()
		return nil, err
	}
	return r, nil
}

// plan chooses the columns read and their kinds.
func (r *ParquetReader) plan(path string, opt CSVOptions) error {
	fr, err := pqarrow.NewFileReader(r.pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return fmt.Errorf("%s: %s", path, oneLine(err))
	}
	r.fr = fr
	fields := fr.Manifest.Fields
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Field.Name
	}
	names = uniqueNames(names)
	label, err := labelIndex(path, names, opt.LabelCol, true)
	if err != nil {
		return err
	}
	keep, err := selectColumns(path, names, label, opt.Columns, opt.Drop)
	if err != nil {
		return err
	}
	r.hdr = TableHeader{Path: path}
	for i, f := range fields {
		if !keep[i] && i != label {
			continue
		}
		kind, ok := parquetKind(f.Field.Type)
		if !ok || !f.IsLeaf() {
			return fmt.Errorf("%s: column %q: type %s is not supported (want numbers or text); leave it out with --drop %s", path, names[i], f.Field.Type, names[i])
		}
		c := parquetCol{leaf: f.ColIndex, name: names[i], kind: kind, label: i == label}
		if c.label {
			r.hdr.Label = c.name
			continue
		}
		if s := opt.Schema; s != nil && len(r.hdr.Names) < len(s.Columns) {
			c.kind = Number
			if s.Columns[len(r.hdr.Names)].IsCategorical() {
				c.kind = Text
			}
		} else if slices.Contains(opt.Categorical, c.name) {
			c.kind = Text
		}
		r.hdr.Names = append(r.hdr.Names, c.name)
		r.hdr.Kinds = append(r.hdr.Kinds, c.kind)
		r.cols = append(r.cols, c)
	}
	if label >= 0 {
		r.cols = append(r.cols, parquetCol{leaf: fields[label].ColIndex, name: names[label], label: true})
	}
	return r.check(opt)
}

// check finishes plan: slots, and the names opt refers to.
func (r *ParquetReader) check(opt CSVOptions) error {
	h := &r.hdr
	if len(h.Names) == 0 {
		return fmt.Errorf("%s: no feature columns", h.Path)
	}
	for _, name := range opt.Categorical {
		if !slices.Contains(h.Names, name) {
			return fmt.Errorf("%s: categorical column %q not found (feature columns: %s)", h.Path, name, strings.Join(h.Names, ", "))
		}
	}
	if s := opt.Schema; s != nil && !slices.Equal(s.Names(), h.Names) {
		return fmt.Errorf("%s: columns %s differ from the model's %s", h.Path, strings.Join(h.Names, ","), strings.Join(s.Names(), ","))
	}
	slots := h.Slots()
	for j := range h.Names {
		r.cols[j].slot = slots[j]
	}
	r.dicts = make([]dict, h.TextCols())
	for k := range r.dicts {
		r.dicts[k] = newDict()
	}
	return nil
}

// parquetKind is the kind an Arrow type reads as; false for types wgml
// does not read.
func parquetKind(t arrow.DataType) (Kind, bool) {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.BOOL:
		return Number, true
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
		return Text, true
	case arrow.DICTIONARY:
		k, ok := parquetKind(t.(*arrow.DictionaryType).ValueType)
		return Text, ok && k == Text
	}
	return 0, false
}

// Header implements TableReader.
func (r *ParquetReader) Header() *TableHeader { return &r.hdr }

// SizeHint implements TableReader: the file's row count.
func (r *ParquetReader) SizeHint() int { return r.hint }

// Dicts implements TableReader.
func (r *ParquetReader) Dicts() ([][]string, []string) {
	text := make([][]string, len(r.dicts))
	for k := range r.dicts {
		text[k] = r.dicts[k].words
	}
	return text, r.labels.words
}

// Close implements TableReader.
func (r *ParquetReader) Close() error { return r.pf.Close() }

// RowGroups is the number of row groups, each one chunk.
func (r *ParquetReader) RowGroups() int { return r.pf.NumRowGroups() }

// Next implements TableReader: the next row group.
func (r *ParquetReader) Next() (_ *Chunk, err error) {
	defer guard(r.hdr.Path, &err)
	if r.rg >= r.pf.NumRowGroups() {
		return nil, io.EOF
	}
	leaves := make([]int, len(r.cols))
	for i, c := range r.cols {
		leaves[i] = c.leaf
	}
	tbl, err := r.fr.RowGroup(r.rg).ReadTable(context.Background(), leaves)
	if err != nil {
		return nil, fmt.Errorf("%s: row group %d: %s", r.hdr.Path, r.rg, oneLine(err))
	}
	defer tbl.Release()
	rows := int(tbl.NumRows())
	c := &Chunk{Rows: rows, Nums: make([]float32, rows*r.hdr.NumCols()), Codes: make([]uint32, rows*r.hdr.TextCols())}
	if r.hdr.Label != "" {
		c.Labels = make([]uint32, rows)
	}
	for i, col := range r.cols {
		at := 0
		for _, a := range tbl.Column(i).Data().Chunks() {
			if err := r.column(c, col, a, at); err != nil {
				return nil, err
			}
			at += a.Len()
		}
	}
	r.rg++
	r.row += rows
	return c, nil
}

// column writes the values of array a, rows at.. of the chunk, of col.
func (r *ParquetReader) column(c *Chunk, col parquetCol, a arrow.Array, at int) error {
	nc, tc := r.hdr.NumCols(), r.hdr.TextCols()
	num, text := numGetter(a), textGetter(a)
	for i := range a.Len() {
		row := at + i
		where := func() string { return fmt.Sprintf("%s: row %d: column %q", r.hdr.Path, r.row+row+1, col.name) }
		null := a.IsNull(i)
		if !null && num != nil && col.kind == Number && !col.label {
			v := num(i)
			if !math.IsNaN(v) {
				if f := float32(v); math.IsInf(float64(f), 0) {
					return fmt.Errorf("%s: %v is not a finite float32", where(), v)
				}
				c.Nums[row*nc+col.slot] = float32(v)
				continue
			}
			null = true
		}
		if null {
			if col.label {
				return fmt.Errorf("%s: null label", where())
			}
			if r.missing == "" || r.missing == MissingError {
				return fmt.Errorf("%s: null%s", where(), missingHint)
			}
			if col.kind == Number {
				c.Nums[row*nc+col.slot] = nan32
			} else {
				c.Codes[row*tc+col.slot] = MissingCode
			}
			continue
		}
		var s string
		if text != nil {
			s = text(i)
		} else {
			s = strconv.FormatFloat(num(i), 'g', -1, 64)
		}
		if !isText(s) {
			return fmt.Errorf("%s: %q is not text", where(), s)
		}
		if col.label {
			c.Labels[row] = r.labels.code([]byte(s))
		} else {
			c.Codes[row*tc+col.slot] = r.dicts[col.slot].code([]byte(s))
		}
	}
	return nil
}

// numGetter returns the values of a numeric array as float64, nil for
// another array.
func numGetter(a arrow.Array) func(int) float64 {
	switch a := a.(type) {
	case *array.Float32:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Float64:
		return a.Value
	case *array.Int8:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Int16:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Int32:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Int64:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Uint8:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Uint16:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Uint32:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Uint64:
		return func(i int) float64 { return float64(a.Value(i)) }
	case *array.Boolean:
		return func(i int) float64 {
			if a.Value(i) {
				return 1
			}
			return 0
		}
	}
	return nil
}

// textGetter returns the values of a string, binary or dictionary array,
// nil for another array.
func textGetter(a arrow.Array) func(int) string {
	switch a := a.(type) {
	case *array.String:
		return a.Value
	case *array.LargeString:
		return a.Value
	case *array.Binary:
		return a.ValueString
	case *array.LargeBinary:
		return func(i int) string { return string(a.Value(i)) }
	case *array.Dictionary:
		values := textGetter(a.Dictionary())
		if values == nil {
			return nil
		}
		return func(i int) string { return values(a.GetValueIndex(i)) }
	}
	return nil
}

// guard turns a panic of the Parquet decoder on a malformed file into an
// error naming the file: bad input must never crash wgml.
func guard(path string, err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("%s: malformed Parquet file (%s)", path, oneLine(fmt.Errorf("%v", p)))
	}
}

// oneLine joins the lines of an error's message.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
}
