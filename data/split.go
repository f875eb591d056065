package data

import "github.com/wgml/wgml/internal/philox"

// Split deals the rows of d into a training and a test set, for a table
// with no separate test file: it shuffles the rows with seed (its own
// Philox stream, independent of the epoch permutations) and puts the first
// round(testFrac·Rows) of them, clamped to [0, Rows], in test and the rest
// in train, each in shuffled order.
func Split(d *Dataset, testFrac float64, seed uint64) (train, test *Dataset) {
	nTest := min(max(int(testFrac*float64(d.Rows)+0.5), 0), d.Rows)
	idx := make([]int, d.Rows)
	for k, i := range philox.Shuffle(d.Rows, seed, philox.SplitStream) {
		idx[k] = int(i)
	}
	train, test = d.Subset(idx[nTest:]), d.Subset(idx[:nTest])
	train.Name, test.Name = d.Name+" train", d.Name+" test"
	return train, test
}
