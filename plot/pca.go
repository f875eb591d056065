package plot

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// PrincipalAxes returns the column means μ (d) of x (n×d) and its first k
// principal components as the columns of vecs (d×k, k ≤ min(n, d)): the
// unit right singular vectors of x − 1·μᵀ by decreasing singular value
// (gonum's stat.PC). Sign convention: each column's sign is the one
// gonum's SVD (LAPACK dgesvd as gonum/lapack implements it) gives — fixed
// for a given x, not chosen by a rule; TestPrincipalAxes pins it on a
// small matrix, so a gonum that flips it shows. ok is false where the
// decomposition fails.
func PrincipalAxes(x *mat.Dense, k int) (means []float64, vecs *mat.Dense, ok bool) {
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		return nil, nil, false
	}
	var all mat.Dense
	pc.VectorsTo(&all)
	_, d := x.Dims()
	means = make([]float64, d)
	for j := range d {
		means[j] = stat.Mean(mat.Col(nil, j, x), nil)
	}
	return means, mat.DenseCopyOf(all.Slice(0, d, 0, k)), true
}

// PCA2 projects rows (n codes of equal width d) onto their first two
// principal components (PrincipalAxes), for a scatter of latent codes
// wider than 2. The projection is centred on the mean code. Codes of
// width 2 are returned as they are, and codes of width 1 get a second
// coordinate of 0.
func PCA2(rows [][]float32) ([][2]float64, error) {
	if len(rows) == 0 {
		return nil, errors.New("pca: no rows")
	}
	d := len(rows[0])
	if d == 0 {
		return nil, errors.New("pca: rows have no columns")
	}
	for i, r := range rows {
		if len(r) != d {
			return nil, fmt.Errorf("pca: row %d has %d values, row 0 has %d", i, len(r), d)
		}
	}
	out := make([][2]float64, len(rows))
	if d <= 2 {
		for i, r := range rows {
			out[i][0] = float64(r[0])
			if d == 2 {
				out[i][1] = float64(r[1])
			}
		}
		return out, nil
	}

	x := mat.NewDense(len(rows), d, nil)
	for i, r := range rows {
		for j, v := range r {
			x.Set(i, j, float64(v))
		}
	}
	// With a single row there is only one component; the second stays 0.
	k := min(2, len(rows))
	means, vecs, ok := PrincipalAxes(x, k)
	if !ok {
		return nil, errors.New("pca: singular value decomposition failed")
	}
	for i := range rows {
		for j := range d {
			x.Set(i, j, x.At(i, j)-means[j])
		}
	}
	var proj mat.Dense
	proj.Mul(x, vecs)
	for i := range rows {
		for j := range k {
			out[i][j] = proj.At(i, j)
		}
	}
	return out, nil
}
