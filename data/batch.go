package data

import (
	"math"
	"math/bits"

	"github.com/wgml/wgml/nn"
)

// Philox streams of this package, far above the small stream numbers
// (steps) that noise draws from.
const (
	permStream  = 1 << 40 // + epoch: Permutation
	splitStream = 2 << 40 // Split
)

// Permutation returns the order in which epoch visits n rows: a
// Fisher–Yates shuffle of 0..n-1 that depends only on (n, seed, epoch), the
// same on every machine. For k = 0, 1, …, n-2 it swaps p[i] and p[j] with
//
//	i = n-1-k
//	r = nn.RandomBits(seed, 1<<40 + uint64(epoch), uint32(k))
//	j = ((uint64(r[1])<<32 | uint64(r[0])) · (i+1)) >> 64
//
// (the high word of a 128-bit product, uniform over 0..i up to a bias of
// n/2⁶⁴). It returns nil unless 0 ≤ n ≤ math.MaxInt32.
func Permutation(n int, seed uint64, epoch int) []int32 {
	return shuffle(n, seed, permStream+uint64(epoch))
}

// shuffle is Permutation on the Philox stream (seed, stream).
func shuffle(n int, seed, stream uint64) []int32 {
	if n < 0 || n > math.MaxInt32 {
		return nil
	}
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	for k := 0; k < n-1; k++ {
		i := n - 1 - k
		r := nn.RandomBits(seed, stream, uint32(k))
		j, _ := bits.Mul64(uint64(r[1])<<32|uint64(r[0]), uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
	return p
}
