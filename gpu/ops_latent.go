package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// latent checks the shapes of a latent op: stats is (B,2L) and every t of
// ts (B,L) or nil; it returns B and L.
func latent(op string, stats *Tensor, ts ...*Tensor) (rows, l int) {
	rows, l = stats.rows, stats.cols/2
	for _, t := range ts {
		if t != nil && (t.rows != rows || t.cols != l) {
			panic(fmt.Sprintf("gpu: %s: a (%d,%d) tensor beside stats (%d,%d)", op, t.rows, t.cols, stats.rows, stats.cols))
		}
	}
	return rows, l
}

// KL computes rowKL[i] = -½ Σ_j (1 + logvar - mu² - exp(logvar)), one
// workgroup per row.
// stats is (B,2L), rowKL is (B,1).
func (b *Backend) KL(rowKL, stats nn.Tensor) {
	s := b.tensor(stats)
	rows, l := latent("KL", s)
	dyn, st := pack(klParams{Rows: uint32(rows), Latent: uint32(l)})
	b.run(kernel{id: kKL}, b.groups1D(rows), dyn, st, s, b.tensor(rowKL))
}

// Reparameterize draws eps[e] = philox.Normal(seed, stream, e) and writes
// z = mu + exp(½·logvar)·eps in one kernel; with eps nil, z = mu. The
// stream's low word is taken relative to the device's clock (clock.go).
// stats is (B,2L), eps and z are (B,L).
func (b *Backend) Reparameterize(z, eps, stats nn.Tensor, seed, stream uint64) {
	s, zt, et := b.tensor(stats), b.tensor(z), b.tensor(eps)
	rows, l := latent("Reparameterize", s, zt, et)
	p := reparamParams{
		Seed:       [2]uint32{uint32(seed), uint32(seed >> 32)},
		StreamBase: uint32(stream) - b.clk, StreamHi: uint32(stream >> 32),
		N: uint32(rows * l), Latent: uint32(l), Bank: b.bank,
	}
	dyn, st := pack(p)
	b.run(kernel{id: kReparameterize, v: shaders.Variant{Sample: et != nil}}, b.groupsOf(rows*l), dyn, st, s, et, zt, b.clock)
}

// ReparameterizeBackward writes dStats = (dz + klScale·mu,
// dz·eps·½·exp(½·logvar) + klScale·½(exp(logvar)-1)) and rowKL, one
// workgroup per row.
// dz and eps are (B,L), stats and dStats (B,2L), rowKL (B,1).
func (b *Backend) ReparameterizeBackward(dStats, rowKL, dz, stats, eps nn.Tensor, klScale float32) {
	s, ds := b.tensor(stats), b.tensor(dStats)
	rows, l := latent("ReparameterizeBackward", s, b.tensor(dz), b.tensor(eps))
	if ds.rows != s.rows || ds.cols != s.cols {
		panic(fmt.Sprintf("gpu: ReparameterizeBackward: dStats (%d,%d), stats (%d,%d)", ds.rows, ds.cols, s.rows, s.cols))
	}
	dyn, st := pack(reparamBackwardParams{Rows: uint32(rows), Latent: uint32(l), KLScale: klScale})
	b.run(kernel{id: kReparameterizeBackward}, b.groups1D(rows), dyn, st,
		b.tensor(dz), s, b.tensor(eps), ds, b.tensor(rowKL))
}
