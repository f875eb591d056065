package cpu

import "github.com/wgml/wgml/nn"

// AdamSums applies Adam, then adds each row's sum of rows into sums:
// sums[k,0] += Σ_j rows[k,j], in float64 from left to right.
// param, grad, m, v are (R,N), rows is (K,N'), sums is (K,M).
func (be *Backend) AdamSums(param, grad, m, v nn.Tensor, h nn.AdamParams, sums, rows nn.Tensor) {
	be.Adam(param, grad, m, v, h)
	k, n := rows.Rows(), rows.Cols()
	r := mat("AdamSums", "rows", rows, k, n)
	s := mat("AdamSums", "sums", sums, k, sums.Cols())
	for i := range k {
		var t float64
		for _, x := range r[i*n : (i+1)*n] {
			t += float64(x)
		}
		s[i*sums.Cols()] += float32(t)
	}
}
