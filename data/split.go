package data

import (
	"slices"

	"github.com/wgml/wgml/internal/philox"
)

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

// SplitInPlace is Split without a copy, for a data set whose owner has no
// further use for it: it reorders d's rows in place (test rows first) and
// returns the two sets as views of d's memory, holding the rows Split
// returns, in the same order. d must not be used afterwards.
func SplitInPlace(d *Dataset, testFrac float64, seed uint64) (train, test *Dataset) {
	trainIdx, testIdx := splitIndex(d.Rows, testFrac, seed)
	train, test = splitRows(d, trainIdx, testIdx)
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

// splitRows is Split of the rows trainIdx and testIdx of d without a copy:
// it reorders d's rows in place, test rows first, and returns the two runs
// as views of d's memory (d must not be used afterwards).
func splitRows(d *Dataset, trainIdx, testIdx []int) (train, test *Dataset) {
	perm := splitOrder(trainIdx, testIdx)
	if d.Bytes != nil {
		permuteRows(d.Bytes, d.Cols, perm)
	} else {
		permuteRows(d.Floats, d.Cols, perm)
	}
	if d.Mask != nil {
		permuteRows(d.Mask, d.Cols, perm)
	}
	if d.Labels != nil {
		permuteRows(d.Labels, 1, perm)
	}
	n := len(testIdx)
	return d.rows(n, d.Rows), d.rows(0, n)
}

// splitOrder is the order of the rows after a split: testIdx, then
// trainIdx.
func splitOrder(trainIdx, testIdx []int) []int {
	return append(slices.Clip(testIdx), trainIdx...)
}

// permuteRows reorders the rows of w values of s so that row k becomes
// the old row perm[k], following perm's cycles with one row of scratch.
func permuteRows[T any](s []T, w int, perm []int) {
	done := make([]bool, len(perm))
	tmp := make([]T, w)
	for start := range perm {
		if done[start] {
			continue
		}
		copy(tmp, s[start*w:(start+1)*w])
		for k := start; ; {
			done[k] = true
			src := perm[k]
			if src == start {
				copy(s[k*w:(k+1)*w], tmp)
				break
			}
			copy(s[k*w:(k+1)*w], s[src*w:(src+1)*w])
			k = src
		}
	}
}
