package nn

import "fmt"

// Layout entries of a table's model columns, as TableLoss reads them: a
// numeric column is TableNumeric, the first column of a categorical group
// of k one-hot columns holds k (k ≥ 1), and the group's other columns hold
// TableMember.
const (
	TableNumeric int32 = -1
	TableMember  int32 = 0
)

// TableLayout returns the layout vector of a table whose original columns
// (features) are, in order, numeric (size 0: one model column) or
// categorical groups of size k ≥ 1 (k one-hot model columns). Its length is
// the number of model columns; upload it with AllocIndex and UploadIndex.
//
// Backend.TableLoss computes, for row i with features f = 1..F (a numeric
// column j, or a group g of columns c = s..s+k-1), each present
// (m_f = mask at the feature's first column; 1 without a mask) or not:
//
//	e_j = (pred_j - target_j)²                           (squared error)
//	e_g = Σ_c target_c·(lse_g - pred_c)                  (softmax cross-entropy)
//	      with lse_g = log Σ_c exp(pred_c)
//	P   = Σ_f m_f                                        (present features)
//	rowLoss[i] = (F/P)·Σ_f m_f·e_f,  0 when P = 0
//
// so a row with gaps is the mean over its present features scaled to the
// full row width F, comparable with complete rows, and a table without
// gaps or groups gets MSE's Σ_j (pred-target)². A group whose target is
// all zero (a category unseen in training) adds nothing. The gradient,
// when asked for, is
//
//	grad_j = gradScale·(F/P)·m_j·2(pred_j - target_j)
//	grad_c = gradScale·(F/P)·m_g·((Σ_c' target_c')·softmax_g(pred)_c - target_c)
//
// (zero on missing features and on rows with P = 0).
func TableLayout(sizes []int) ([]int32, error) {
	var layout []int32
	for f, k := range sizes {
		switch {
		case k == 0:
			layout = append(layout, TableNumeric)
		case k > 0:
			layout = append(layout, int32(k))
			for range k - 1 {
				layout = append(layout, TableMember)
			}
		default:
			return nil, fmt.Errorf("table layout: feature %d has size %d, want 0 (numeric) or a group size ≥ 1", f, k)
		}
	}
	return layout, nil
}
