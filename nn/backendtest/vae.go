package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/nn"
)

// vaeShapes are the (B,L) of the latent-space tests.
var vaeShapes = [][2]int{{1, 1}, {7, 13}, {65, 129}, {257, 3}}

func testReparameterize(t *testing.T, b nn.Backend) {
	for _, s := range vaeShapes {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) {
			f := newFixture(t, b)
			n := s[0] * s[1]
			md, lvd, ed := f.uniform(n, -2, 2), f.uniform(n, -3, 3), f.uniform(n, -2, 2)
			mu, logvar, eps := f.input("mu", s[0], s[1], md), f.input("logvar", s[0], s[1], lvd), f.input("eps", s[0], s[1], ed)
			z, _ := f.output(s[0], s[1])
			b.Reparameterize(z, mu, logvar, eps)
			want := make([]float64, n)
			for i := range want {
				want[i] = float64(md[i]) + math.Exp(0.5*float64(lvd[i]))*float64(ed[i])
			}
			checkClose(t, "z", f.read(z), f32(want), atol, rtol)
			f.check()
		})
	}
}

func testReparameterizeBackward(t *testing.T, b nn.Backend) {
	for _, s := range vaeShapes {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) {
			f := newFixture(t, b)
			n := s[0] * s[1]
			dzd, lvd, ed := f.uniform(n, -1, 1), f.uniform(n, -3, 3), f.uniform(n, -2, 2)
			dz, logvar, eps := f.input("dz", s[0], s[1], dzd), f.input("logvar", s[0], s[1], lvd), f.input("eps", s[0], s[1], ed)
			dMu, _ := f.output(s[0], s[1])
			dLogvar, _ := f.output(s[0], s[1])
			b.ReparameterizeBackward(dMu, dLogvar, dz, logvar, eps)
			want := make([]float64, n)
			for i := range want {
				want[i] = float64(dzd[i]) * float64(ed[i]) * 0.5 * math.Exp(0.5*float64(lvd[i]))
			}
			checkClose(t, "dMu", f.read(dMu), dzd, 0, 0)
			checkClose(t, "dLogvar", f.read(dLogvar), f32(want), atol, rtol)
			f.check()
		})
	}
}
