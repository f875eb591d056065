package data

import (
	"github.com/wgml/wgml/internal/philox"
)

// Split deals the rows of d into a training and a test set, for a table
// with no separate test file: it shuffles the rows with seed (its own
// Philox stream, independent of the epoch permutations) and puts the first
// round(testFrac·Rows) of them, clamped to [0, Rows], in test and the rest
// in train, each in shuffled order.
func Split(d *Dataset, testFrac float64, seed uint64) (train, test *Dataset) {
	perm, nTest := splitPerm(d.Rows, testFrac, seed)
	idx := make([]int, len(perm))
	for k, i := range perm {
		idx[k] = int(i)
	}
	train, test = d.Subset(idx[nTest:]), d.Subset(idx[:nTest])
	train.Name, test.Name = d.Name+" train", d.Name+" test"
	return train, test
}

// SplitInPlace is Split without a copy, for a data set whose owner has no
// further use for it: it reorders d's rows in place (test rows first) and
// returns the two sets as views of d's memory, holding the rows Split
// returns, in the same order. d must not be used afterwards.
func SplitInPlace(d *Dataset, testFrac float64, seed uint64) (train, test *Dataset) {
	perm, nTest := splitPerm(d.Rows, testFrac, seed)
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
	train, test = d.rows(nTest, d.Rows), d.rows(0, nTest)
	train.Name, test.Name = d.Name+" train", d.Name+" test"
	return train, test
}

// splitPerm returns Split's order of n rows: perm, a shuffle of 0..n-1 by
// seed's own Philox stream, and nTest = round(testFrac·n) clamped to
// [0, n]. The rows perm[:nTest] are the test rows, perm[nTest:] the
// training rows, each in that order.
func splitPerm(n int, testFrac float64, seed uint64) (perm []int32, nTest int) {
	nTest = min(max(int(testFrac*float64(n)+0.5), 0), n)
	return philox.Shuffle(n, seed, philox.SplitStream), nTest
}

// permuteRows reorders the rows of w values of s so that row k becomes
// the old row perm[k] (s_new[k] = s_old[perm[k]]), in place: it follows
// perm's cycles with one row of scratch and one bit per row to mark the
// rows done.
func permuteRows[T any](s []T, w int, perm []int32) {
	done := make([]uint64, (len(perm)+63)/64)
	tmp := make([]T, w)
	for start := range perm {
		if done[start/64]&(1<<(start%64)) != 0 {
			continue
		}
		copy(tmp, s[start*w:(start+1)*w])
		for k := start; ; {
			done[k/64] |= 1 << (k % 64)
			src := int(perm[k])
			if src == start {
				copy(s[k*w:(k+1)*w], tmp)
				break
			}
			copy(s[k*w:(k+1)*w], s[src*w:(src+1)*w])
			k = src
		}
	}
}
