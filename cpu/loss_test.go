package cpu_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// TestMSEBits: MSE (four rows at a time where it writes the gradient)
// equals its plain row loop bit for bit, on row counts that are not
// multiples of four, with and without the gradient.
func TestMSEBits(t *testing.T) {
	b := cpu.New()
	rng := rand.New(rand.NewPCG(13, 14))
	for _, s := range [][2]int{{1, 5}, {7, 13}, {9, 784}, {128, 784}} {
		rows, n := s[0], s[1]
		pd, td := make([]float32, rows*n), make([]float32, rows*n)
		for i := range pd {
			pd[i], td[i] = rng.Float32(), rng.Float32()
		}
		const scale = 0.37
		wantLoss, wantGrad := make([]float32, rows), make([]float32, rows*n)
		for i := range rows { // the plain loop
			var sum float64
			for j := i * n; j < (i+1)*n; j++ {
				d := pd[j] - td[j]
				sum += float64(d) * float64(d)
				wantGrad[j] = scale * 2 * d
			}
			wantLoss[i] = float32(sum)
		}
		for _, withGrad := range []bool{true, false} {
			pred, target, rowLoss, grad := upload(t, b, rows, n, pd), upload(t, b, rows, n, td), upload(t, b, rows, 1, nil), upload(t, b, rows, n, nil)
			if !withGrad {
				grad = nil
			}
			b.MSE(rowLoss, grad, pred, target, scale)
			same(t, "rowLoss", read(t, b, rowLoss, rows), wantLoss)
			if withGrad {
				same(t, "grad", read(t, b, grad, rows*n), wantGrad)
			}
		}
	}
}

// upload returns a (rows,cols) tensor holding data (zeros if nil).
func upload(t *testing.T, b *cpu.Backend, rows, cols int, data []float32) nn.Tensor {
	t.Helper()
	x, err := b.Alloc(rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	if data != nil {
		b.Upload(x, data)
	}
	return x
}

// read returns the n values of x.
func read(t *testing.T, b *cpu.Backend, x nn.Tensor, n int) []float32 {
	t.Helper()
	out := make([]float32, n)
	if err := b.Read(x, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// same fails unless got and want are equal bit for bit.
func same(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d] = %v, want %v", name, i, got[i], want[i])
		}
	}
}
