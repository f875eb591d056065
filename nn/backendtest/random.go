package backendtest

import (
	"fmt"
	"testing"

	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// streams are (seed, stream) pairs, with high words set in the last.
var streams = [][2]uint64{{0, 0}, {42, 7}, {0x123456789abcdef0, 0xfedcba9876543210}}

func testRandNormal(t *testing.T, b nn.Backend) {
	for _, s := range [][2]int{{1, 1}, {7, 13}, {257, 130}} {
		for _, st := range streams {
			t.Run(fmt.Sprintf("%dx%d/seed=%#x/stream=%#x", s[0], s[1], st[0], st[1]), func(t *testing.T) {
				f := newFixture(t, b)
				dst, _ := f.output(s[0], s[1])
				b.RandNormal(dst, st[0], st[1])
				want := make([]float32, s[0]*s[1])
				for e := range want {
					want[e] = philox.Normal(st[0], st[1], uint32(e))
				}
				checkClose(t, "dst", f.read(dst), want, 1e-5, 1e-5)
				f.check()
			})
		}
	}
}

func testCorrupt(t *testing.T, b nn.Backend) {
	noises := []noise.Noise{{Kind: noise.None}, {Kind: noise.Gaussian, Level: 0.3}, {Kind: noise.Mask, Level: 0.3}, {Kind: noise.SaltPepper, Level: 0.2}}
	for _, s := range [][2]int{{1, 1}, {7, 13}, {65, 129}} {
		for _, nz := range noises {
			for _, clip := range []bool{false, true} {
				nz.Clip = clip
				t.Run(fmt.Sprintf("%dx%d/%v/clip=%v", s[0], s[1], nz, clip), func(t *testing.T) {
					f := newFixture(t, b)
					const seed, stream = 9, 0x100000003
					sd := f.uniform(s[0]*s[1], -0.5, 1.5)
					src := f.input("src", s[0], s[1], sd)
					dst, _ := f.output(s[0], s[1])
					b.Corrupt(dst, src, nz, seed, stream)
					want := make([]float32, len(sd))
					for e, x := range sd {
						want[e] = nz.Apply(x, seed, stream, uint32(e))
					}
					// Only Gaussian noise goes through log and cos; the
					// others compare uniforms, which are exact.
					tol := 0.0
					if nz.Kind == noise.Gaussian {
						tol = 1e-5
					}
					checkClose(t, "dst", f.read(dst), want, tol, tol)
					f.check()
				})
			}
		}
	}
}
