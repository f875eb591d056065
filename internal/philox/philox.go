package philox

import (
	"math"
	"math/bits"
)

// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2,
// 3", SC'11) is wgml's one random stream. The WGSL kernels in shaders/
// implement the same function bit for bit, so a CPU and a GPU run of one seed
// draw the same numbers.
const (
	philoxM0 = 0xD2511F53
	philoxM1 = 0xCD9E8D57
	philoxW0 = 0x9E3779B9
	philoxW1 = 0xBB67AE85
)

// Block applies the 10-round Philox4x32 bijection to ctr under key.
func Block(ctr [4]uint32, key [2]uint32) [4]uint32 {
	for r := 0; r < 10; r++ {
		p0 := uint64(philoxM0) * uint64(ctr[0])
		p1 := uint64(philoxM1) * uint64(ctr[2])
		ctr = [4]uint32{
			uint32(p1>>32) ^ ctr[1] ^ key[0], uint32(p1),
			uint32(p0>>32) ^ ctr[3] ^ key[1], uint32(p0),
		}
		key[0] += philoxW0
		key[1] += philoxW1
	}
	return ctr
}

// Bits returns the four 32-bit words of element e of stream (seed,
// stream): Block with counter (e, 0, lo(stream), hi(stream)) and key
// (lo(seed), hi(seed)).
func Bits(seed, stream uint64, e uint32) [4]uint32 {
	return Block(
		[4]uint32{e, 0, uint32(stream), uint32(stream >> 32)},
		[2]uint32{uint32(seed), uint32(seed >> 32)})
}

// Uniform maps 32 random bits to a float32 in the open interval (0, 1):
// (x>>9)·2⁻²³ + 2⁻²⁴, exact in float32 on every device (23 bits so that the
// largest value, 1-2⁻²⁴, is representable below 1).
func Uniform(x uint32) float32 {
	return float32(x>>9)*(1.0/(1<<23)) + 1.0/(1<<24)
}

// BoxMuller returns sqrt(-2·ln u1)·cos(2π·u2), a standard normal sample
// for independent uniforms u1, u2 in (0, 1).
func BoxMuller(u1, u2 float32) float32 {
	return float32(math.Sqrt(-2*math.Log(float64(u1))) * math.Cos(2*math.Pi*float64(u2)))
}

// Normal returns the standard normal sample of element e of stream
// (seed, stream): BoxMuller of the uniforms of its bits 0 and 1.
func Normal(seed, stream uint64, e uint32) float32 {
	r := Bits(seed, stream, e)
	return BoxMuller(Uniform(r[0]), Uniform(r[1]))
}

// Streams of wgml's fixed shuffles, far above the small stream numbers
// (steps) that noise and sampling draw from.
const (
	PermutationStream = 1 << 40 // + epoch: the per-epoch data order
	SplitStream       = 2 << 40 // train/test and train/validation splits
	ChunkStream       = 3 << 40 // + epoch: a streamed epoch's chunk order
	WindowStream      = 1 << 48 // + epoch<<24 + window: a streamed epoch's shuffle buffer orders
)

// Shuffle returns a Fisher–Yates shuffle of 0..n-1 drawn from the Philox
// stream (seed, stream). For k = 0, 1, …, n-2 it swaps p[i] and p[j] with
//
//	i = n-1-k
//	r = Bits(seed, stream, uint32(k))
//	j = ((uint64(r[1])<<32 | uint64(r[0])) · (i+1)) >> 64
//
// (the high word of a 128-bit product, uniform over 0..i up to a bias of
// n/2⁶⁴). It returns nil unless 0 ≤ n ≤ math.MaxInt32.
func Shuffle(n int, seed, stream uint64) []int32 {
	if n < 0 || n > math.MaxInt32 {
		return nil
	}
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	for k := 0; k < n-1; k++ {
		i := n - 1 - k
		r := Bits(seed, stream, uint32(k))
		j, _ := bits.Mul64(uint64(r[1])<<32|uint64(r[0]), uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
	return p
}
