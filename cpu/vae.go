package cpu

import (
	"math"

	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/nn"
)

// The latent ops read stats (B,2L): row i is mu[i,:] then logvar[i,:].

// latent returns the (B,L) shape of stats and its storage.
func latent(op string, stats nn.Tensor) (b, l int, s []float32) {
	b, l = stats.Rows(), stats.Cols()/2
	return b, l, mat(op, "stats", stats, b, 2*l)
}

// klRow returns -½ Σ_j (1 + logvar - mu² - exp(logvar)) of row i of stats.
func klRow(s []float32, i, l int) float64 {
	var sum float64
	for j := range l {
		m, lv := float64(s[2*l*i+j]), float64(s[2*l*i+l+j])
		sum += 1 + lv - m*m - math.Exp(lv)
	}
	return -0.5 * sum
}

// KL computes rowKL[i] = -½ Σ_j (1 + logvar - mu² - exp(logvar)).
// stats is (B,2L), rowKL is (B,1).
func (*Backend) KL(rowKL, stats nn.Tensor) {
	b, l, s := latent("KL", stats)
	loss := mat("KL", "rowKL", rowKL, b, 1)
	for i := range b {
		loss[i] = float32(klRow(s, i, l))
	}
}

// Reparameterize draws eps[e] = philox.Normal(seed, stream, e) and computes
// z = mu + exp(½·logvar)·eps; with eps nil, z = mu.
// stats is (B,2L), eps and z are (B,L).
func (*Backend) Reparameterize(z, eps, stats nn.Tensor, seed, stream uint64) {
	b, l, s := latent("Reparameterize", stats)
	zd := mat("Reparameterize", "z", z, b, l)
	var e []float32
	if eps != nil {
		e = mat("Reparameterize", "eps", eps, b, l)
	}
	for i := range b {
		for j := range l {
			k := i*l + j
			zd[k] = s[2*l*i+j]
			if e != nil {
				e[k] = philox.Normal(seed, stream, uint32(k))
				zd[k] += float32(math.Exp(0.5*float64(s[2*l*i+l+j]))) * e[k]
			}
		}
	}
}

// ReparameterizeBackward writes dStats = (dMu, dLogvar) with
// dMu = dz + klScale·mu, dLogvar = dz·eps·½·exp(½·logvar) +
// klScale·½(exp(logvar)-1), and each row's KL into rowKL.
// dz and eps are (B,L), stats and dStats (B,2L), rowKL (B,1).
func (*Backend) ReparameterizeBackward(dStats, rowKL, dz, stats, eps nn.Tensor, klScale float32) {
	const op = "ReparameterizeBackward"
	b, l, s := latent(op, stats)
	ds := mat(op, "dStats", dStats, b, 2*l)
	dzd := mat(op, "dz", dz, b, l)
	e := mat(op, "eps", eps, b, l)
	loss := mat(op, "rowKL", rowKL, b, 1)
	for i := range b {
		for j := range l {
			k, m, lv := i*l+j, s[2*l*i+j], float64(s[2*l*i+l+j])
			ds[2*l*i+j] = dzd[k] + klScale*m
			ds[2*l*i+l+j] = dzd[k]*e[k]*0.5*float32(math.Exp(0.5*lv)) + klScale*float32(0.5*(math.Exp(lv)-1))
		}
		loss[i] = float32(klRow(s, i, l))
	}
}
