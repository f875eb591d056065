package data

import (
	"fmt"
	"sort"
)

// rowRun is the rows first..first+n-1 of a file.
type rowRun struct{ first, n int }

// RowView is a subset of a RowStream's rows read as a set of its own: row
// k of the view is the k-th row of its runs taken in order (a streamed
// training set without its held-out rows). It reads nothing itself.
type RowView struct {
	Rows int
	src  *RowStream
	runs []rowRun
	at   []int // at[k]: the view row of runs[k]'s first row; at[len(runs)] = Rows
}

// newRowView returns the view of src's blocks (of block rows each, the
// last one possibly short) listed in blocks, in that order; consecutive
// blocks make one run.
func newRowView(src *RowStream, block int, blocks []int32) *RowView {
	v := &RowView{src: src, at: []int{0}}
	for _, b := range blocks {
		first := int(b) * block
		n := min(block, src.Rows-first)
		if k := len(v.runs) - 1; k >= 0 && v.runs[k].first+v.runs[k].n == first {
			v.runs[k].n += n
			v.at[k+1] += n
		} else {
			v.runs = append(v.runs, rowRun{first, n})
			v.at = append(v.at, v.at[k+1]+n)
		}
		v.Rows += n
	}
	return v
}

// ReadRows writes rows first..first+n-1 of the view into dst[:n·Cols] as
// the RowStream's ReadRows writes them.
func (v *RowView) ReadRows(dst []float32, first, n int) error {
	return v.each(first, n, func(at, file, m int) error {
		return v.src.ReadRows(dst[at*v.src.Cols:(at+m)*v.src.Cols], file, m)
	})
}

// each calls f for the file rows of view rows first..first+n-1, one call
// per run they touch: at is the offset of the call's first row from
// first, file its file row, m its rows.
func (v *RowView) each(first, n int, f func(at, file, m int) error) error {
	if first < 0 || n < 0 || first+n > v.Rows {
		return fmt.Errorf("%s: rows %d to %d of a view of %d", v.src.Path, first, first+n-1, v.Rows)
	}
	k := sort.SearchInts(v.at, first+1) - 1
	for at := 0; at < n; k++ {
		off := first + at - v.at[k]
		m := min(n-at, v.runs[k].n-off)
		if err := f(at, v.runs[k].first+off, m); err != nil {
			return err
		}
		at += m
	}
	return nil
}
