package data

import "fmt"

// SeekRowGroup makes row group g the chunk Next returns next, the rows
// before it skipped unread (their count kept, so that errors name file
// rows): a worker that reads one row group of a file. Text codes are
// numbered over the row groups read.
func (r *ParquetReader) SeekRowGroup(g int) error {
	if n := r.pf.NumRowGroups(); g < 0 || g >= n {
		return fmt.Errorf("%s: row group %d: the file has %d", r.hdr.Path, g, n)
	}
	r.rg, r.row = g, 0
	for i := range g {
		r.row += int(r.pf.MetaData().RowGroup(i).NumRows())
	}
	return nil
}

// Row is the file row (from 0) of the first row of the chunk Next returns
// next.
func (r *ParquetReader) Row() int { return r.row }
