package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
	"github.com/wgml/wgml/shaders"
)

// Gather computes dst[i,:] = scale·data[index[start+i],:] on the device,
// unpacking byte datasets in the kernel; start is the dispatch's per-step
// value, so a new batch costs no bind group and a 16-byte upload.
// data is (R,N) from UploadBytes or Alloc, index a vector of at least
// start+B rows, dst is (B,N).
func (b *Backend) Gather(dst, data, index nn.Tensor, start int, scale float32) {
	d, src, idx := b.tensor(dst), b.tensor(data), b.tensor(index)
	rows, cols := d.rows, d.cols
	if src.cols != cols || src.dtype == int32s {
		panic(fmt.Sprintf("gpu: Gather: data (%d,%d) into dst (%d,%d)", src.rows, src.cols, rows, cols))
	}
	if idx.dtype != int32s || start < 0 || start+rows > nn.Len(idx) {
		panic(fmt.Sprintf("gpu: Gather: rows %d..%d of an index of %d", start, start+rows, nn.Len(idx)))
	}
	v := shaders.Variant{DataU8: src.dtype == bytes}
	b.run(kernel{kGather, v}, b.groups1D((rows*cols+wg-1)/wg), dynamic{uint32(start)},
		static{uint32(rows), uint32(cols), f32(scale)}, src, idx, d)
}

// streamWords are the per-step values of the random kernels: seed and
// stream as (lo, hi) word pairs.
func streamWords(seed, stream uint64) dynamic {
	return dynamic{uint32(seed), uint32(seed >> 32), uint32(stream), uint32(stream >> 32)}
}

// RandNormal fills dst with standard normal samples: element e is
// philox.Normal(seed, stream, e), from the same Philox words bit for bit.
// dst is (R,N).
func (b *Backend) RandNormal(dst nn.Tensor, seed, stream uint64) {
	b.elementwise("RandNormal", kernel{id: kRandNormal}, streamWords(seed, stream), static{}, dst)
}

// Corrupt writes dst = noise applied to src: element e is
// noise.Apply(src[e], seed, stream, e).
// src is (R,N), dst is (R,N).
func (b *Backend) Corrupt(dst, src nn.Tensor, noise noise.Noise, seed, stream uint64) {
	v := shaders.Variant{Noise: uint32(noise.Kind), Clip: noise.Clip}
	b.elementwise("Corrupt", kernel{kCorrupt, v}, streamWords(seed, stream), static{0, f32(noise.Level)}, src, dst)
}
