package data

// SplitIndex returns, in order, the rows of n rows that Split (and Open,
// for a file split by its test fraction) puts in the training set and in
// the test set: SplitInPlace of the row numbers.
func SplitIndex(n int, testFrac float64, seed uint64) (train, test []int) {
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	tr, te := SplitInPlace(&Dataset{Rows: n, Labels: rows}, testFrac, seed)
	return tr.Labels, te.Labels
}
