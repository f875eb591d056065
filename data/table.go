package data

import (
	"errors"
	"io"
	"math"
)

// Kind is the type of a table column as read.
type Kind uint8

// Column kinds.
const (
	Number Kind = iota // float32 values; NaN marks a missing value
	Text               // dictionary codes; MissingCode marks a missing value
)

// MissingCode is the code of a missing value in a Text column.
const MissingCode = ^uint32(0)

// TableHeader describes the feature columns of a table (the label column
// aside) in file order.
type TableHeader struct {
	// Path names the file in errors.
	Path string
	// Names and Kinds are the feature columns' names and kinds.
	Names []string
	Kinds []Kind
	// Label is the label column's name, "" for a table without labels.
	Label string
}

// Slots returns, per feature column, its index among the columns of its
// kind: its place in a row of Chunk.Nums or of Chunk.Codes.
func (h *TableHeader) Slots() []int {
	slots := make([]int, len(h.Kinds))
	var n [2]int
	for j, k := range h.Kinds {
		slots[j] = n[k]
		n[k]++
	}
	return slots
}

// NumCols and TextCols count the Number and the Text columns.
func (h *TableHeader) NumCols() int  { return len(h.Kinds) - h.TextCols() }
func (h *TableHeader) TextCols() int { return count(h.Kinds, Text) }

// count counts the elements of s equal to v.
func count[T comparable](s []T, v T) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

// Chunk is a run of consecutive rows of a table, typed by column: the
// Number columns as a row-major float32 matrix, the Text columns as a
// row-major matrix of dictionary codes (see TableReader.Dicts).
type Chunk struct {
	Rows   int
	Nums   []float32 // Rows×NumCols
	Codes  []uint32  // Rows×TextCols
	Labels []uint32  // Rows label codes (into the label dictionary), nil without labels
}

// TableReader reads a table chunk by chunk, in file order, in memory
// proportional to a chunk (the dictionaries aside).
type TableReader interface {
	// Header describes the columns.
	Header() *TableHeader
	// Next returns the next chunk, or io.EOF after the last one.
	Next() (*Chunk, error)
	// Dicts returns the dictionaries of the Text columns (by slot) and of
	// the labels, holding every code returned so far, in order of first
	// appearance.
	Dicts() (text [][]string, labels []string)
	// SizeHint estimates the rows of the table; 0 when unknown.
	SizeHint() int
	// Close releases the file and stops any work in flight.
	Close() error
}

// Table is a whole table in memory, typed by column (see Chunk).
type Table struct {
	TableHeader
	Rows      int
	Nums      []float32 // Rows×NumCols, NaN where missing
	Codes     []uint32  // Rows×TextCols, MissingCode where missing
	Dicts     [][]string
	Labels    []uint32 // nil without a label column
	LabelDict []string
}

// ReadTable reads every chunk of r into one Table and closes r.
func ReadTable(r TableReader) (*Table, error) {
	defer r.Close()
	h := r.Header()
	t := &Table{TableHeader: *h}
	nc, tc := h.NumCols(), h.TextCols()
	if hint := r.SizeHint(); hint > 0 {
		hint += hint/16 + 64
		t.Nums = makeBig[float32](0, hint*nc)
		t.Codes = makeBig[uint32](0, hint*tc)
		if h.Label != "" {
			t.Labels = makeBig[uint32](0, hint)
		}
	}
	for {
		c, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		t.Rows += c.Rows
		t.Nums = grow(t.Nums, c.Nums)
		t.Codes = grow(t.Codes, c.Codes)
		if h.Label != "" {
			t.Labels = grow(t.Labels, c.Labels)
		}
		if rel, ok := r.(interface{ Release(*Chunk) }); ok {
			rel.Release(c)
		}
	}
	t.Dicts, t.LabelDict = r.Dicts()
	return t, nil
}

// grow appends add to s, growing s by a quarter at most when it is full:
// a large table grows with little slack.
func grow[T any](s, add []T) []T {
	if need := len(s) + len(add); need > cap(s) {
		n := makeBig[T](len(s), max(need, cap(s)+cap(s)/4))
		copy(n, s)
		s = n
	}
	return append(s, add...)
}

// isMissingNum reports whether a Number value is a missing value.
func isMissingNum(v float32) bool { return math.IsNaN(float64(v)) }
