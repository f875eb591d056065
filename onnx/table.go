package onnx

// tableLoss adds nn's table loss per row (B,1) (formula in nn.TableLayout's
// doc) of predictions y against targets t, both (B,In), for the original
// columns groups (0 numeric, k a one-hot group of k columns):
//
//	e_j = (y_j - t_j)²                       numeric column j
//	e_g = Σ_c t_c·(lse_g - y_c)              group g, lse_g = log Σ_c exp(y_c)
//	loss = Σ_f e_f                           without a mask
//	loss = (F/max(P,1))·Σ_f m_f·e_f          with mask (B,In), m_f at f's first column, P = Σ_f m_f
//
// (P = 0 gives 0 either way, as nn's).
func (g *graph) tableLoss(groups []int, y, t, mask string) string {
	var numeric, firsts []int64
	var terms []string
	j := 0
	for _, k := range groups {
		if k == 0 {
			numeric = append(numeric, int64(j))
			j++
			continue
		}
		firsts = append(firsts, int64(j))
		terms = append(terms, g.crossEntropy(g.slice(y, j, j+k), g.slice(t, j, j+k), k))
		j += k
	}
	if len(numeric) > 0 { // the numeric columns first, then the groups
		idx := g.ints("numeric", numeric...)
		d := g.op("Sub", "", []string{g.op("Gather", "", []string{y, idx}, intAttr("axis", 1)), g.op("Gather", "", []string{t, idx}, intAttr("axis", 1))})
		terms = append([]string{g.op("Mul", "", []string{d, d})}, terms...)
		firsts = append(numeric, firsts...)
	}
	F := len(groups)
	e := g.op("Concat", "", terms, intAttr("axis", 1)) // (B,F)
	if mask == "" {
		return g.rowSum(e, F)
	}
	m := g.op("Gather", "", []string{mask, g.ints("first", firsts...)}, intAttr("axis", 1))
	sum := g.rowSum(g.op("Mul", "", []string{e, m}), F)
	P := g.op("Max", "", []string{g.rowSum(m, F), g.scalar(1)})
	return g.op("Mul", "", []string{sum, g.op("Div", "", []string{g.scalar(float32(F)), P})})
}

// crossEntropy adds Σ_c t_c·(lse - y_c) (B,1) of a group's logits y and
// targets t (B,k), with lse = log Σ_c exp(y_c) shifted by the row's
// largest logit m: lse - y_c = log Σ exp(y - m) - (y_c - m).
func (g *graph) crossEntropy(y, t string, k int) string {
	sh := g.op("Sub", "", []string{y, g.op("ReduceMax", "", []string{y}, intsAttr("axes", 1))})
	lse := g.op("Log", "", []string{g.rowSum(g.op("Exp", "", []string{sh}), k)})
	return g.rowSum(g.op("Mul", "", []string{t, g.op("Sub", "", []string{lse, sh})}), k)
}
