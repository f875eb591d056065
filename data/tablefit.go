package data

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// idMinRows is the fewest rows in which a text column whose every value
// differs is refused as an ID (unless MaxCategories is raised past DefaultMaxCategories).
const idMinRows = 20

// permute reorders t's rows in place as SplitInPlace does a data set's:
// row k becomes the old row perm[k].
func (t *Table) permute(perm []int32) {
	permuteRows(t.Nums, t.NumCols(), perm)
	if tc := t.TextCols(); tc > 0 {
		permuteRows(t.Codes, tc, perm)
	}
	if t.Labels != nil {
		permuteRows(t.Labels, 1, perm)
	}
}

// fit makes the schema of the rows lo..hi of t: its Text columns are
// categorical, with the sorted categories present in those rows, and
// every column has the means that impute its missing values (sums in row
// order).
func (t *Table) fit(lo, hi int, opt CSVOptions) (*Schema, error) {
	nc, tc := t.NumCols(), t.TextCols()
	sums, present := make([]float64, nc), make([]int, nc)
	counts := make([][]int, tc)
	for k := range counts {
		counts[k] = make([]int, len(t.Dicts[k]))
	}
	for i := lo; i < hi; i++ {
		for k, v := range t.Nums[i*nc : (i+1)*nc] {
			if !isMissingNum(v) {
				sums[k] += float64(v)
				present[k]++
			}
		}
		for k, c := range t.Codes[i*tc : (i+1)*tc] {
			if c != MissingCode {
				counts[k][c]++
			}
		}
	}
	rows := hi - lo
	imputes := opt.Missing == MissingMean || opt.Missing == MissingMask
	s := &Schema{Columns: make([]Column, len(t.Names))}
	slots := t.Slots()
	for j, name := range t.Names {
		c, k := Column{Name: name}, slots[j]
		var n int
		if t.Kinds[j] == Number {
			n = present[k]
			c.Means = []float64{0}
			if n > 0 {
				c.Means[0] = sums[k] / float64(n)
			}
		} else {
			var err error
			if c, n, err = t.categories(name, t.Dicts[k], counts[k], rows, opt.MaxCategories); err != nil {
				return nil, err
			}
		}
		if n == 0 && imputes && rows > 0 {
			return nil, fmt.Errorf("%s: column %q: every value is missing, nothing to impute from", t.Path, name)
		}
		s.Columns[j] = c
	}
	return s, nil
}

// categories makes the categorical column name of the values of dict seen
// counts[code] times in rows rows: its sorted categories and their
// frequencies among the n present values. It refuses more than limit
// categories (0: DefaultMaxCategories) and, unless the limit is raised
// past DefaultMaxCategories, a
// column whose every one of at least idMinRows rows has its own value.
func (t *Table) categories(name string, dict []string, counts []int, rows, limit int) (Column, int, error) {
	c := Column{Name: name}
	n := 0
	for code, k := range counts {
		if k > 0 {
			c.Categories = append(c.Categories, dict[code])
			n += k
		}
	}
	max := limit
	if max == 0 {
		max = DefaultMaxCategories
	}
	id := len(c.Categories) == rows && rows >= idMinRows
	switch {
	case len(c.Categories) > max && id:
		return c, 0, fmt.Errorf("%s: column %q: more than %d categories; raise --max-categories or leave the column out (--drop %s): each row has its own value, an ID?", t.Path, name, max, name)
	case len(c.Categories) > max:
		return c, 0, fmt.Errorf("%s: column %q: more than %d categories; raise --max-categories or leave the column out (--drop %s)", t.Path, name, max, name)
	case id && max <= DefaultMaxCategories:
		return c, 0, fmt.Errorf("%s: column %q: each of its %d rows has its own value, an ID?: leave it out with --drop %s (or raise --max-categories past %d to keep it)", t.Path, name, rows, name, DefaultMaxCategories)
	}
	slices.Sort(c.Categories)
	index := make(map[string]int, len(dict))
	for code, v := range dict {
		index[v] = code
	}
	for _, cat := range c.Categories {
		c.Means = append(c.Means, float64(counts[index[cat]])/float64(n))
	}
	return c, n, nil
}

// encode returns every row of t encoded by s: numbers, one-hot groups, and
// imputed missing values (marked in Mask under MissingMask). A table
// without Text columns hands its Nums to the data set (no copy): t must
// not be used afterwards.
func (t *Table) encode(s *Schema, opt CSVOptions) (*Dataset, error) {
	if names := s.Names(); !slices.Equal(names, t.Names) {
		return nil, fmt.Errorf("%s: columns %s differ from the model's %s", t.Path, strings.Join(t.Names, ","), strings.Join(names, ","))
	}
	width, nc, tc := s.Width(), t.NumCols(), t.TextCols()
	d := &Dataset{Name: t.Path, Rows: t.Rows, Cols: width, Columns: s.ModelColumns(), Schema: s}
	if opt.Missing == MissingMask {
		d.Mask = makeBig[uint8](t.Rows*width, t.Rows*width)
	}
	if tc == 0 && width == nc {
		d.Floats, t.Nums = t.Nums[:t.Rows*nc:t.Rows*nc], nil
		means := make([]float32, nc)
		for j := range means {
			means[j] = float32(s.Columns[j].Means[0])
		}
		for e, v := range d.Floats {
			switch {
			case isMissingNum(v):
				d.Floats[e] = means[e%nc]
			case d.Mask != nil:
				d.Mask[e] = 1
			}
		}
	} else {
		d.Floats = makeBig[float32](t.Rows*width, t.Rows*width)
		d.Warnings = t.encodeMixed(s, d)
	}
	t.labels(d)
	return d, nil
}

// encodeMixed is encode for a table with Text columns: it writes d.Floats
// (and d.Mask) and returns the warnings about unseen categories.
func (t *Table) encodeMixed(s *Schema, d *Dataset) []string {
	nc, tc, width := t.NumCols(), t.TextCols(), d.Cols
	slots := t.Slots()
	pos := make([][]int, tc) // per Text column: code -> category index, -1 if unseen
	unseen := make([][]int, tc)
	for j, c := range s.Columns {
		if t.Kinds[j] != Text {
			continue
		}
		k := slots[j]
		index := make(map[string]int, len(c.Categories))
		for m, cat := range c.Categories {
			index[cat] = m
		}
		pos[k], unseen[k] = make([]int, len(t.Dicts[k])), make([]int, len(t.Dicts[k]))
		for code, v := range t.Dicts[k] {
			if m, ok := index[v]; ok {
				pos[k][code] = m
			} else {
				pos[k][code] = -1
			}
		}
	}
	for i := range t.Rows {
		row, col := d.Floats[i*width:(i+1)*width], 0
		nums, codes := t.Nums[i*nc:(i+1)*nc], t.Codes[i*tc:(i+1)*tc]
		for j, c := range s.Columns {
			w, k := c.Width(), slots[j]
			missing := false
			switch {
			case t.Kinds[j] == Number:
				row[col], missing = nums[k], isMissingNum(nums[k])
			case codes[k] == MissingCode:
				missing = true
			case pos[k][codes[k]] >= 0:
				row[col+pos[k][codes[k]]] = 1
			case c.IsCategorical(): // a category training did not see: all zeros
				unseen[k][codes[k]]++
			}
			if missing {
				for m := range w {
					row[col+m] = float32(c.Means[m])
				}
			} else if d.Mask != nil {
				for m := range w {
					d.Mask[i*width+col+m] = 1
				}
			}
			col += w
		}
	}
	return t.unseenWarnings(s, unseen)
}

// unseenWarnings reports, per categorical column, the rows whose category
// training did not see (unseen[slot][code] rows each).
func (t *Table) unseenWarnings(s *Schema, unseen [][]int) []string {
	var warnings []string
	slots := t.Slots()
	for j, c := range s.Columns {
		if t.Kinds[j] != Text {
			continue
		}
		var names []string
		n := 0
		for code, k := range unseen[slots[j]] {
			if k > 0 {
				names = append(names, strconv.Quote(t.Dicts[slots[j]][code]))
				n += k
			}
		}
		if n == 0 {
			continue
		}
		slices.Sort(names)
		if len(names) > 5 {
			names = append(names[:5], "…")
		}
		warnings = append(warnings, fmt.Sprintf("%s: column %q: %d rows hold categories not seen in training (%s), encoded as all zeros",
			t.Path, c.Name, n, strings.Join(names, ", ")))
	}
	return warnings
}

// labels sets d's labels from t's label codes (see parseLabels).
func (t *Table) labels(d *Dataset) {
	if t.Label == "" {
		return
	}
	byCode, classes := parseLabels(t.LabelDict)
	d.Labels, d.Classes = make([]int, t.Rows), classes
	for i, c := range t.Labels[:t.Rows] {
		d.Labels[i] = byCode[c]
	}
}
