package philox

import (
	"math"
	"testing"
)

// Known answers of Philox4x32-10 from the Random123 distribution's
// kat_vectors file.
func TestBlockKnownAnswers(t *testing.T) {
	cases := []struct {
		ctr  [4]uint32
		key  [2]uint32
		want [4]uint32
	}{
		{[4]uint32{0, 0, 0, 0}, [2]uint32{0, 0}, [4]uint32{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
		{[4]uint32{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, [2]uint32{0xffffffff, 0xffffffff}, [4]uint32{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
		{[4]uint32{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, [2]uint32{0xa4093822, 0x299f31d0}, [4]uint32{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
	}
	for _, c := range cases {
		if got := Block(c.ctr, c.key); got != c.want {
			t.Errorf("Block(%08x, %08x) = %08x, want %08x", c.ctr, c.key, got, c.want)
		}
	}
}

// TestBitsKnownAnswers pins wgml's stream layout (recorded when it was
// fixed); the WGSL kernels must reproduce these words exactly.
func TestBitsKnownAnswers(t *testing.T) {
	cases := []struct {
		seed, stream uint64
		e            uint32
		want         [4]uint32
	}{
		{0, 0, 0, [4]uint32{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
		{42, 7, 3, [4]uint32{0x945bcada, 0x7e42d578, 0x8747d589, 0xfcd7d3ce}},
		{0x123456789abcdef0, 0xfedcba9876543210, 1000003, [4]uint32{0xaef26086, 0xe273b38e, 0xe5f90430, 0x380ca8b3}},
	}
	for _, c := range cases {
		if got := Bits(c.seed, c.stream, c.e); got != c.want {
			t.Errorf("Bits(%#x, %#x, %d) = %08x, want %08x", c.seed, c.stream, c.e, got, c.want)
		}
	}
}

func TestUniformOpenInterval(t *testing.T) {
	for _, x := range []uint32{0, 1, 255, 256, 0x7fffffff, 0xffffff00, 0xffffffff} {
		u := Uniform(x)
		if !(u > 0 && u < 1) {
			t.Errorf("Uniform(%#x) = %v, want in (0,1)", x, u)
		}
	}
	if Uniform(0) != 1.0/(1<<24) || Uniform(0xffffffff) != 1-1.0/(1<<24) {
		t.Errorf("Uniform ends: %v %v", Uniform(0), Uniform(0xffffffff))
	}
}

func TestNormalMoments(t *testing.T) {
	const n = 200000
	var sum, sq float64
	for e := uint32(0); e < n; e++ {
		x := float64(Normal(1, 2, e))
		sum += x
		sq += x * x
	}
	mean, vari := sum/n, sq/n-(sum/n)*(sum/n)
	if math.Abs(mean) > 0.01 || math.Abs(vari-1) > 0.015 {
		t.Errorf("mean %.4f var %.4f, want 0 and 1", mean, vari)
	}
}
