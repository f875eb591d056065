package wgmlbeam

import (
	"cmp"
	"fmt"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

func init() {
	for _, t := range []any{Row{}, DeadLetter{}, Scored{}, Encoded{}, Summary{}, Line{}} {
		beam.RegisterType(reflect.TypeOf(t))
	}
}

// Row is one data row of a CSV input: its fields as text and where it came
// from.
type Row struct {
	// Key is the key column's field ("" without a key column).
	Key string
	// File is the file the row was read from.
	File string
	// Line is the line the row starts on in File (the header is line 1).
	Line int64
	// Pos is the row's position among File's data rows, from 0: the index
	// `wgml score` prints for it.
	Pos int64
	// Fields are the row's other fields, in the order of Table.Columns.
	Fields []string
}

// DeadLetter is a row that did not fit: unreadable, the wrong width, or
// values the model's schema rejects. Reason names the file and line.
type DeadLetter struct {
	Key    string
	File   string
	Line   int64
	Pos    int64
	Reason string
}

// deadLetter is the dead letter of r for reason.
func deadLetter(r Row, format string, args ...any) DeadLetter {
	return DeadLetter{Key: r.Key, File: r.File, Line: r.Line, Pos: r.Pos, Reason: fmt.Sprintf(format, args...)}
}

// byPosition orders rows by input position: file, then position in the
// file.
func byPosition(a, b Row) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Pos, b.Pos))
}
