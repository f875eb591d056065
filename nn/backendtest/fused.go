package backendtest

import (
	"fmt"
	"testing"

	"github.com/wgml/wgml/nn"
)

// linearShapes are (B,In,Out) triples of the fused dense-layer tests:
// degenerate, odd, and a training layer's (128x784x400 and its mirror).
var linearShapes = [][3]int{
	{1, 1, 1}, {7, 13, 5}, {65, 129, 33}, {257, 130, 3}, {128, 784, 400}, {128, 400, 784},
}

func testLinearGrads(t *testing.T, b nn.Backend) {
	for _, s := range linearShapes {
		batch, in, out := s[0], s[1], s[2]
		t.Run(fmt.Sprintf("%dx%dx%d", batch, in, out), func(t *testing.T) {
			f := newFixture(t, b)
			dzd, xd := f.uniform(batch*out, -1, 1), f.uniform(batch*in, -1, 1)
			dz, x := f.input("dz", batch, out, dzd), f.input("x", batch, in, xd)
			dw, _ := f.output(out, in)
			db, _ := f.output(1, out)
			b.LinearGrads(dw, db, dz, x)
			wantW := make([]float64, out*in)
			wantB := make([]float64, out)
			for o := range out {
				for i := range batch {
					g := float64(dzd[i*out+o])
					wantB[o] += g
					for j := range in {
						wantW[o*in+j] += g * float64(xd[i*in+j])
					}
				}
			}
			atol, rtol := matMulTol(batch)
			checkClose(t, "dw", f.read(dw), f32(wantW), atol, rtol)
			checkClose(t, "db", f.read(db), f32(wantB), atol, rtol)
			f.check()
		})
	}
}

func testLinearInputGrad(t *testing.T, b nn.Backend) {
	for _, s := range linearShapes {
		batch, in, out := s[0], s[1], s[2]
		for _, act := range activations {
			t.Run(fmt.Sprintf("%dx%dx%d/%v", batch, in, out, act), func(t *testing.T) {
				f := newFixture(t, b)
				dzd, wd := f.uniform(batch*out, -1, 1), f.uniform(out*in, -1, 1)
				dz, w := f.input("dz", batch, out, dzd), f.input("w", out, in, wd)
				// y is an output of act, so its derivative is taken where
				// the activation can produce it.
				yd := f.uniform(batch*in, -2, 2)
				for i, v := range yd {
					yd[i] = float32(actRef(act, float64(v)))
				}
				var y nn.Tensor
				if act != nn.Identity {
					y = f.input("y", batch, in, yd)
				}
				dx, _ := f.output(batch, in)
				b.LinearInputGrad(dx, dz, w, y, act)
				want := make([]float64, batch*in)
				for i := range batch {
					for j := range in {
						var sum float64
						for o := range out {
							sum += float64(dzd[i*out+o]) * float64(wd[o*in+j])
						}
						want[i*in+j] = sum * derivRef(act, float64(yd[i*in+j]))
					}
				}
				atol, rtol := matMulTol(out)
				checkClose(t, "dx", f.read(dx), f32(want), atol, rtol)
				f.check()
			})
		}
	}
}
