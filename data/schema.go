package data

import (
	"math"
	"strconv"

	"github.com/wgml/wgml/internal/vec"
)

// Schema describes the original columns of a table and the model columns
// each one becomes: a numeric column is one model column, a categorical
// column a group of one-hot model columns, one per category seen in
// training. It is fitted on the training rows and recorded with a model
// (it marshals to JSON), so that later files are encoded the same way and
// results speak in the original columns again.
type Schema struct {
	Columns []Column `json:"columns"`
}

// Column is one original (feature) column of a table.
type Column struct {
	// Name is the column's header name (col<k> without a header).
	Name string `json:"name"`
	// Categories are the one-hot categories, sorted; nil for a numeric
	// column.
	Categories []string `json:"categories,omitempty"`
	// Means is what a missing value becomes under --missing mean or mask,
	// in data units (normalised, a numeric mean becomes the training mean
	// in normalised units): for a numeric column its training mean (one
	// value), for a categorical one each category's training frequency.
	Means []float64 `json:"means"`
}

// IsCategorical reports whether c is a one-hot group.
func (c *Column) IsCategorical() bool { return c.Categories != nil }

// Width is the number of model columns c becomes.
func (c *Column) Width() int { return max(len(c.Categories), 1) }

// Width is the number of model columns of s.
func (s *Schema) Width() int {
	var n int
	for i := range s.Columns {
		n += s.Columns[i].Width()
	}
	return n
}

// Names returns the original column names.
func (s *Schema) Names() []string {
	names := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = c.Name
	}
	return names
}

// ModelColumns names the model columns: a numeric column's name, and
// "name=category" for each column of a categorical group.
func (s *Schema) ModelColumns() []string {
	var names []string
	for _, c := range s.Columns {
		if !c.IsCategorical() {
			names = append(names, c.Name)
		}
		for _, cat := range c.Categories {
			names = append(names, c.Name+"="+cat)
		}
	}
	return names
}

// HasCategorical reports whether some column of s is categorical: then a
// model of the table needs nn's table loss (softmax cross-entropy over each
// group) rather than MSE.
func (s *Schema) HasCategorical() bool {
	for i := range s.Columns {
		if s.Columns[i].IsCategorical() {
			return true
		}
	}
	return false
}

// GroupSizes returns, per original column, 0 for a numeric column and the
// number of categories for a categorical one: the input of nn.TableLayout.
func (s *Schema) GroupSizes() []int {
	sizes := make([]int, len(s.Columns))
	for i, c := range s.Columns {
		sizes[i] = len(c.Categories)
	}
	return sizes
}

// Decode writes a model row in data units (a reconstruction after
// Normalizer.Invert) as original fields: a numeric column's value
// (AppendValue), and a categorical column's most likely category (its
// largest logit).
func (s *Schema) Decode(row []float32) []string {
	fields := make([]string, 0, len(s.Columns))
	s.DecodeTo(row, func(v float32) { fields = append(fields, string(AppendValue(nil, v))) },
		func(c string) { fields = append(fields, c) })
	return fields
}

// DecodeTo is Decode without the strings: for each original column in
// order it calls num with a numeric column's value or text with a
// categorical column's most likely category (its largest logit).
func (s *Schema) DecodeTo(row []float32, num func(float32), text func(string)) {
	j := 0
	for _, c := range s.Columns {
		if !c.IsCategorical() {
			num(row[j])
		} else {
			best := 0
			for k := range c.Categories {
				if row[j+k] > row[j+best] {
					best = k
				}
			}
			text(c.Categories[best])
		}
		j += c.Width()
	}
}

// AppendValue appends a numeric value as Decode writes it: the shortest
// decimal that reads back as the same float32.
func AppendValue(b []byte, v float32) []byte {
	return strconv.AppendFloat(b, float64(v), 'g', -1, 32)
}

// Errors returns one row's reconstruction error per original column, as
// nn's table loss counts it before its F/P scaling: (pred-target)² for a
// numeric column, Σ_c target_c·(log Σ exp(pred) - pred_c) (softmax
// cross-entropy of the logits) for a categorical one, and NaN for a
// missing value. pred and target are model rows (normalised); mask is the
// row's presence mask (a row of Dataset.Mask), nil when every value is
// present.
func (s *Schema) Errors(pred, target []float32, mask []uint8) []float64 {
	errs := make([]float64, len(s.Columns))
	j := 0
	for i, c := range s.Columns {
		w := c.Width()
		switch {
		case mask != nil && mask[j] == 0:
			errs[i] = math.NaN()
		case !c.IsCategorical():
			d := float64(pred[j]) - float64(target[j])
			errs[i] = d * d
		default:
			p := pred[j : j+w]
			lse := vec.LogSumExp(p)
			for k, v := range p {
				errs[i] += float64(target[j+k]) * (lse - float64(v))
			}
		}
		j += w
	}
	return errs
}

// categorical reports, per model column, whether it belongs to a one-hot
// group (the normaliser leaves those as they are).
func (s *Schema) categorical() []bool {
	var cat []bool
	for _, c := range s.Columns {
		for range c.Width() {
			cat = append(cat, c.IsCategorical())
		}
	}
	return cat
}
