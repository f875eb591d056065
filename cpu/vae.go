package cpu

import (
	"math"

	"github.com/wgml/wgml/nn"
)

// KL computes rowLoss[i] = -½ Σ_j (1 + logvar - mu² - exp(logvar)) and, when
// dMu is not nil, adds its gradient: dMu += gradScale·mu,
// dLogvar += gradScale·½(exp(logvar)-1).
// mu, logvar, dMu, dLogvar are (B,L), rowLoss is (B,1).
func (*Backend) KL(rowLoss, dMu, dLogvar, mu, logvar nn.Tensor, gradScale float32) {
	b, l := mu.Rows(), mu.Cols()
	m := mat("KL", "mu", mu, b, l)
	lv := mat("KL", "logvar", logvar, b, l)
	loss := mat("KL", "rowLoss", rowLoss, b, 1)
	var dm, dlv []float32
	if dMu != nil {
		dm = mat("KL", "dMu", dMu, b, l)
		dlv = mat("KL", "dLogvar", dLogvar, b, l)
	}
	for i := range b {
		var sum float64
		for j := i * l; j < (i+1)*l; j++ {
			mj, lvj := float64(m[j]), float64(lv[j])
			sum += 1 + lvj - mj*mj - math.Exp(lvj)
			if dm != nil {
				dm[j] += gradScale * m[j]
				dlv[j] += gradScale * float32(0.5*(math.Exp(lvj)-1))
			}
		}
		loss[i] = float32(-0.5 * sum)
	}
}

// Reparameterize computes z = mu + exp(½·logvar)·eps.
// mu, logvar, eps, z are (B,L).
func (*Backend) Reparameterize(z, mu, logvar, eps nn.Tensor) {
	b, l := mu.Rows(), mu.Cols()
	m := mat("Reparameterize", "mu", mu, b, l)
	lv := mat("Reparameterize", "logvar", logvar, b, l)
	e := mat("Reparameterize", "eps", eps, b, l)
	zd := mat("Reparameterize", "z", z, b, l)
	for i := range zd {
		zd[i] = m[i] + float32(math.Exp(0.5*float64(lv[i])))*e[i]
	}
}

// ReparameterizeBackward computes dMu = dz and
// dLogvar = dz·eps·½·exp(½·logvar).
// dz, logvar, eps, dMu, dLogvar are (B,L).
func (*Backend) ReparameterizeBackward(dMu, dLogvar, dz, logvar, eps nn.Tensor) {
	b, l := dz.Rows(), dz.Cols()
	dzd := mat("ReparameterizeBackward", "dz", dz, b, l)
	lv := mat("ReparameterizeBackward", "logvar", logvar, b, l)
	e := mat("ReparameterizeBackward", "eps", eps, b, l)
	dm := mat("ReparameterizeBackward", "dMu", dMu, b, l)
	dlv := mat("ReparameterizeBackward", "dLogvar", dLogvar, b, l)
	copy(dm, dzd)
	for i := range dlv {
		dlv[i] = dzd[i] * e[i] * 0.5 * float32(math.Exp(0.5*float64(lv[i])))
	}
}
