package data

// npyFitRows is the rows FitNormalizer reads at a time.
const npyFitRows = 1 << 14

// FitNormalizer fits a normaliser of kind ("none", "minmax", "zscore") to
// every row of s in one pass over the file, holding npyFitRows rows at a
// time: zscore from each column's mean and sample standard deviation
// (Stats: Welford's update in float64), minmax from its minimum and range; a
// constant column gets scale 1, as the in-memory FitNormalizer fits them.
// It reads the raw values, whatever s.Normalize holds.
func (s *NPYStream) FitNormalizer(kind string) (Normalizer, error) {
	if err := checkNormalizerKind(kind); err != nil {
		return Normalizer{}, err
	}
	if kind == "none" {
		return Normalizer{Kind: kind}, nil
	}
	keep := s.Normalize
	s.Normalize = Normalizer{}
	defer func() { s.Normalize = keep }()
	st := NewStats(s.Cols)
	buf := make([]float32, min(npyFitRows, s.Rows)*s.Cols)
	for first := 0; first < s.Rows; first += npyFitRows {
		k := min(npyFitRows, s.Rows-first)
		if err := s.ReadRows(buf[:k*s.Cols], first, k); err != nil {
			return Normalizer{}, err
		}
		st.Add(buf[:k*s.Cols], nil)
	}
	return st.Normalizer(kind, nil), nil
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
