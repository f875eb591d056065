package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
	"github.com/wgml/wgml/shaders"
)

// Gather computes dst[i,:] = scale·data[index[start+i],:] on the device,
// unpacking byte datasets in the kernel. start is held relative to the
// steps the device's clock counted since index was uploaded (clock.go):
// successive batches of every epoch (start advancing by B while the clock
// advances by 1) reuse one Params block and upload nothing.
// A dataset split over several buffers takes one dispatch per buffer, each
// writing the rows whose index falls in its range [RowLo, RowHi).
// data is (R,N) from UploadBytes, UploadFloats or Alloc, index a vector of
// at least start+B rows, dst is (B,N).
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
	p := gatherParams{
		StartBase: uint32(start) - (b.clk-idx.buf.clk)*uint32(rows), Rows: uint32(rows), Cols: uint32(cols),
		Scale: scale, Bank: b.bank, IndexLen: uint32(nn.Len(idx)),
	}
	for _, part := range src.parts() {
		p.RowLo, p.RowHi = uint32(part.lo), uint32(part.lo+part.rows)
		dyn, st := pack(p)
		b.run(kernel{id: kGather, v: v}, b.groupsOf(rows*cols), dyn, st, part, idx, d, b.clock)
	}
}

// randomParamsOf are the Params of the random kernels over n elements: seed
// and stream as (lo, hi) word pairs, the stream's low word relative to the
// device's clock.
func (b *Backend) randomParamsOf(n int, seed, stream uint64, level float32) (dynamic, static) {
	return pack(randomParams{
		Seed:       [2]uint32{uint32(seed), uint32(seed >> 32)},
		StreamBase: uint32(stream) - b.clk, StreamHi: uint32(stream >> 32),
		N: uint32(n), Level: level, Bank: b.bank,
	})
}

// RandNormal fills dst with standard normal samples: element e is
// philox.Normal(seed, stream, e), from the same Philox words bit for bit.
// dst is (R,N).
func (b *Backend) RandNormal(dst nn.Tensor, seed, stream uint64) {
	d := b.tensor(dst)
	n := nn.Len(d)
	dyn, st := b.randomParamsOf(n, seed, stream, 0)
	b.run(kernel{id: kRandNormal}, b.groupsOf(n), dyn, st, d, b.clock)
}

// Corrupt writes dst = noise applied to src: element e is
// noise.Apply(src[e], seed, stream, e).
// src is (R,N), dst is (R,N).
func (b *Backend) Corrupt(dst, src nn.Tensor, noise noise.Noise, seed, stream uint64) {
	gs, n := b.same("Corrupt", src, dst)
	v := shaders.Variant{Noise: uint32(noise.Kind), Clip: noise.Clip}
	dyn, st := b.randomParamsOf(n, seed, stream, noise.Level)
	b.run(kernel{id: kCorrupt, v: v}, b.groupsOf(n), dyn, st, gs[0], gs[1], b.clock)
}
