package data

import "math"

// npyFitRows is the rows FitNormalizer reads at a time.
const npyFitRows = 1 << 14

// FitNormalizer fits a normaliser of kind ("none", "minmax", "zscore") to
// every row of s in one pass over the file, holding npyFitRows rows at a
// time: zscore from each column's mean and sample standard deviation
// (Welford's update in float64), minmax from its minimum and range; a
// constant column gets scale 1, as the in-memory FitNormalizer fits them.
// It reads the raw values, whatever s.Normalize holds.
func (s *NPYStream) FitNormalizer(kind string) (Normalizer, error) {
	if err := checkNormalizerKind(kind); err != nil {
		return Normalizer{}, err
	}
	n := Normalizer{Kind: kind}
	if kind == "none" {
		return n, nil
	}
	mean, m2 := make([]float64, s.Cols), make([]float64, s.Cols)
	lo, hi := make([]float64, s.Cols), make([]float64, s.Cols)
	for j := range lo {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	keep := s.Normalize
	s.Normalize = Normalizer{}
	defer func() { s.Normalize = keep }()
	buf := make([]float32, min(npyFitRows, s.Rows)*s.Cols)
	for first := 0; first < s.Rows; first += npyFitRows {
		k := min(npyFitRows, s.Rows-first)
		if err := s.ReadRows(buf[:k*s.Cols], first, k); err != nil {
			return Normalizer{}, err
		}
		for i := range k {
			count := float64(first + i + 1)
			for j, v32 := range buf[i*s.Cols : (i+1)*s.Cols] {
				v := float64(v32)
				d := v - mean[j]
				mean[j] += d / count
				m2[j] += d * (v - mean[j])
				lo[j], hi[j] = math.Min(lo[j], v), math.Max(hi[j], v)
			}
		}
	}
	n.Offset, n.Scale = make([]float32, s.Cols), make([]float32, s.Cols)
	for j := range n.Offset {
		offset, spread := lo[j], hi[j]-lo[j]
		if kind == "zscore" {
			offset, spread = mean[j], math.Sqrt(m2[j]/float64(s.Rows-1))
		}
		n.Offset[j], n.Scale[j] = float32(offset), 1
		if spread > 0 { // false for 0 and for the NaN std of one row
			n.Scale[j] = float32(1 / spread)
		}
	}
	return n, nil
}

// normalize applies s.Normalize to rows of dst in place, as Normalizer.Apply
// computes it: x' = (x-Offset)·Scale in float64.
func (s *NPYStream) normalize(dst []float32) {
	n := s.Normalize
	if len(n.Offset) == 0 {
		return
	}
	for i := 0; i+s.Cols <= len(dst); i += s.Cols {
		row := dst[i : i+s.Cols]
		for j := range n.Offset {
			row[j] = float32((float64(row[j]) - float64(n.Offset[j])) * float64(n.Scale[j]))
		}
	}
}
