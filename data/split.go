package data

import "github.com/wgml/wgml/internal/philox"

// Split deals the rows of d into a training and a test set, for a table
// with no separate test file: it shuffles the rows with seed (its own
// Philox stream, independent of the epoch permutations) and puts the first
// round(testFrac·Rows) of them, clamped to [0, Rows], in test and the rest
// in train, each in shuffled order.
func Split(d *Dataset, testFrac float64, seed uint64) (train, test *Dataset) {
	trainIdx, testIdx := splitIndex(d.Rows, testFrac, seed)
	train, test = d.Subset(trainIdx), d.Subset(testIdx)
	train.Name, test.Name = d.Name+" train", d.Name+" test"
	return train, test
}

// splitIndex returns Split's training and test rows of n rows.
func splitIndex(n int, testFrac float64, seed uint64) (train, test []int) {
	nTest := min(max(int(testFrac*float64(n)+0.5), 0), n)
	idx := make([]int, n)
	for k, i := range philox.Shuffle(n, seed, philox.SplitStream) {
		idx[k] = int(i)
	}
	return idx[nTest:], idx[:nTest]
}
