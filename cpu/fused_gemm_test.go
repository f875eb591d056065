package cpu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestFusedMatchesPlain: on every gemm kernel this CPU runs, LinearGrads and
// LinearInputGrad (bias gradient and act' fused into the product) agree
// with the plain compositions of fused.go, on odd shapes and a training one.
func TestFusedMatchesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, name := range Kernels() {
		be, err := NewKernel(name)
		if err != nil {
			t.Logf("skipping %s: %v", name, err)
			continue
		}
		if be.kern == nil {
			continue // blas32 runs the plain compositions themselves
		}
		tensor := func(rows, cols int, lo, hi float32) (nn.Tensor, []float32) {
			x, _ := be.Alloc(rows, cols)
			v := make([]float32, rows*cols)
			for i := range v {
				v[i] = lo + (hi-lo)*rng.Float32()
			}
			be.Upload(x, v)
			return x, v
		}
		read := func(x nn.Tensor) []float32 {
			v := make([]float32, nn.Len(x))
			if err := be.Read(x, v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		same := func(what string, got, want []float32, k int) {
			t.Helper()
			for i := range got {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-6*float64(k)*(1+math.Abs(float64(want[i]))) {
					t.Fatalf("%s: element %d = %v, plain %v", what, i, got[i], want[i])
				}
			}
		}
		for _, s := range [][3]int{{1, 1, 1}, {7, 13, 5}, {65, 129, 33}, {128, 784, 20}} {
			batch, in, out := s[0], s[1], s[2]
			id := fmt.Sprintf("%s/%dx%dx%d", name, batch, in, out)
			dz, _ := tensor(batch, out, -1, 1)
			x, _ := tensor(batch, in, -1, 1)
			w, _ := tensor(out, in, -1, 1)
			dw, db := must(be.Alloc(out, in)), must(be.Alloc(1, out))
			pw, pb := must(be.Alloc(out, in)), must(be.Alloc(1, out))
			be.LinearGrads(dw, db, dz, x)
			be.linearGradsPlain(pw, pb, dz, x)
			same(id+" dw", read(dw), read(pw), batch)
			same(id+" db", read(db), read(pb), batch)
			for _, act := range []nn.Activation{nn.Identity, nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid} {
				y, _ := tensor(batch, in, -2, 2)
				be.Activate(y, y, act)
				dx, px := must(be.Alloc(batch, in)), must(be.Alloc(batch, in))
				be.LinearInputGrad(dx, dz, w, y, act)
				be.linearInputGradPlain(px, dz, w, y, act)
				same(id+"/"+act.String()+" dx", read(dx), read(px), out)
			}
		}
	}
}

func must(t nn.Tensor, err error) nn.Tensor {
	if err != nil {
		panic(err)
	}
	return t
}
