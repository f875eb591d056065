package plot

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// TestPrincipalAxes pins PrincipalAxes on a fixed 5×3 matrix: the means,
// and each component by value, sign included (the sign gonum's SVD gives,
// which numpy.linalg.svd gives too), checked besides as an eigenvector of
// the covariance with the eigenvalue numpy.linalg.eigh gives, by
// decreasing eigenvalue.
func TestPrincipalAxes(t *testing.T) {
	x := mat.NewDense(5, 3, []float64{
		2, 0, 1,
		0, 1, 3,
		4, 2, 2,
		1, 5, 0,
		3, 2, 4,
	})
	means, vecs, ok := PrincipalAxes(x, 2)
	if !ok {
		t.Fatal("decomposition failed")
	}
	for j, want := range []float64{2, 2, 2} {
		if means[j] != want {
			t.Errorf("mean %d = %v, want %v", j, means[j], want)
		}
	}
	if r, c := vecs.Dims(); r != 3 || c != 2 {
		t.Fatalf("vectors %d×%d, want 3×2", r, c)
	}
	want := [2][3]float64{
		{-0.24333514573507231, 0.78966491538601458, -0.56322049701559163},
		{-0.92024414492700046, -0.37144576596555356, -0.12320209687273251},
	}
	eigen := [2]float64{4.4685873, 2.46603033} // of the covariance (n-1 divisor)
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, x, nil)
	for k := range want {
		v := mat.Col(nil, k, vecs)
		var cv mat.VecDense
		cv.MulVec(&cov, mat.NewVecDense(3, v))
		for d := range want[k] {
			if math.Abs(v[d]-want[k][d]) > 1e-12 {
				t.Errorf("component %d, entry %d = %.17g, want %.17g", k, d, v[d], want[k][d])
			}
			if math.Abs(cv.AtVec(d)-eigen[k]*v[d]) > 1e-6 {
				t.Errorf("component %d is no eigenvector of eigenvalue %v: (Σv)[%d] = %v, λv = %v", k, eigen[k], d, cv.AtVec(d), eigen[k]*v[d])
			}
		}
	}
}

func TestPCA2DominantDirections(t *testing.T) {
	// Codes of width 5: large spread along u, smaller along v, noise elsewhere.
	u := []float64{1, 2, 0, -2, 0} // |u| = 3
	v := []float64{2, 0, 0, 1, 0}  // orthogonal to u, |v| = sqrt(5)
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 2000
	rows := make([][]float32, n)
	a, b := make([]float64, n), make([]float64, n)
	for i := range rows {
		a[i], b[i] = 10*rng.NormFloat64(), 3*rng.NormFloat64()
		rows[i] = make([]float32, 5)
		for j := range rows[i] {
			rows[i][j] = float32(7 + a[i]*u[j]/3 + b[i]*v[j]/math.Sqrt(5) + 0.01*rng.NormFloat64())
		}
	}
	got, err := PCA2(rows)
	if err != nil {
		t.Fatal(err)
	}
	// Up to sign, component 1 follows a and component 2 follows b.
	for c, want := range [][]float64{a, b} {
		proj := make([]float64, n)
		for i := range got {
			proj[i] = got[i][c]
		}
		if r := math.Abs(correlation(proj, want)); r < 0.999 {
			t.Errorf("component %d: |correlation| with its source %.4f, want > 0.999", c+1, r)
		}
	}
}

func correlation(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i] / float64(len(x))
		my += y[i] / float64(len(y))
	}
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func TestPCA2NarrowCodes(t *testing.T) {
	got, err := PCA2([][]float32{{1, 2}, {3, 4}})
	if err != nil || got[0] != [2]float64{1, 2} || got[1] != [2]float64{3, 4} {
		t.Errorf("width 2: got %v, %v, want the codes as they are", got, err)
	}
	got, err = PCA2([][]float32{{5}, {6}})
	if err != nil || got[0] != [2]float64{5, 0} || got[1] != [2]float64{6, 0} {
		t.Errorf("width 1: got %v, %v, want (x, 0)", got, err)
	}
	got, err = PCA2([][]float32{{1, 2, 3}})
	if err != nil || got[0] != [2]float64{0, 0} {
		t.Errorf("one row: got %v, %v, want the origin", got, err)
	}
}

func TestPCA2Errors(t *testing.T) {
	for name, rows := range map[string][][]float32{
		"no rows":    nil,
		"no columns": {{}, {}},
		"ragged":     {{1, 2, 3}, {1, 2}},
	} {
		if _, err := PCA2(rows); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
