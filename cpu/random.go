package cpu

import (
	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// RandNormal fills dst with standard normal samples: element e is
// philox.Normal(seed, stream, e).
// dst is (R,N).
func (*Backend) RandNormal(dst nn.Tensor, seed, stream uint64) {
	d := mat("RandNormal", "dst", dst, dst.Rows(), dst.Cols())
	for e := range d {
		d[e] = philox.Normal(seed, stream, uint32(e))
	}
}

// Corrupt writes dst = noise applied to src: element e is
// noise.Apply(src[e], seed, stream, e).
// src is (R,N), dst is (R,N).
func (*Backend) Corrupt(dst, src nn.Tensor, noise noise.Noise, seed, stream uint64) {
	s := mat("Corrupt", "src", src, src.Rows(), src.Cols())
	d := mat("Corrupt", "dst", dst, src.Rows(), src.Cols())
	for e, x := range s {
		d[e] = noise.Apply(x, seed, stream, uint32(e))
	}
}
