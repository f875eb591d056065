package data

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// isMissing reports whether field f is a missing value: empty, one of
// DefaultNAValues (any case) or one of the csvTable's NAValues.
func (t *csvTable) isMissing(f string) bool {
	if f == "" || t.na[f] {
		return true
	}
	for _, v := range DefaultNAValues {
		if strings.EqualFold(f, v) {
			return true
		}
	}
	return false
}

// fit makes the schema of the rows idx of t: which columns are categorical
// (named in opt.Categorical, or no present value a number), their sorted
// categories, and the means that impute missing values.
func (t *csvTable) fit(idx []int, opt CSVOptions) (*Schema, error) {
	for _, name := range opt.Categorical {
		if !slices.Contains(t.names, name) {
			return nil, fmt.Errorf("%s: categorical column %q not found (feature columns: %s)", t.path, name, strings.Join(t.names, ", "))
		}
	}
	limit := opt.MaxCategories
	if limit == 0 {
		limit = DefaultMaxCategories
	}
	imputes := opt.Missing == MissingMean || opt.Missing == MissingMask
	s := &Schema{Columns: make([]Column, len(t.names))}
	for j, name := range t.names {
		c := Column{Name: name}
		var present []string
		numbers := 0
		for _, i := range idx {
			if f := t.fields[i][j]; !t.isMissing(f) {
				present = append(present, f)
				if isNumber(f) {
					numbers++
				}
			}
		}
		if len(present) == 0 && imputes && len(idx) > 0 {
			return nil, fmt.Errorf("%s: column %q: every value is missing, nothing to impute from", t.path, name)
		}
		if slices.Contains(opt.Categorical, name) || len(present) > 0 && numbers == 0 {
			counts := map[string]int{}
			for _, f := range present {
				if counts[f]++; len(counts) > limit {
					return nil, fmt.Errorf("%s: column %q: more than %d categories; raise --max-categories or leave the column out", t.path, name, limit)
				}
			}
			for cat := range counts {
				c.Categories = append(c.Categories, cat)
			}
			slices.Sort(c.Categories)
			for _, cat := range c.Categories {
				c.Means = append(c.Means, float64(counts[cat])/float64(len(present)))
			}
		} else {
			var sum float64
			var n int
			for _, f := range present {
				if v, err := strconv.ParseFloat(f, 32); err == nil && !math.IsInf(v, 0) {
					sum += v
					n++
				}
			}
			c.Means = []float64{0}
			if n > 0 {
				c.Means[0] = sum / float64(n)
			}
		}
		s.Columns[j] = c
	}
	return s, nil
}

// encode returns the rows idx of t encoded by s: numbers, one-hot groups,
// and imputed missing values (marked in Mask under MissingMask).
func (t *csvTable) encode(s *Schema, idx []int, opt CSVOptions) (*Dataset, error) {
	if names := s.Names(); !slices.Equal(names, t.names) {
		return nil, fmt.Errorf("%s: columns %s differ from the model's %s", t.path, strings.Join(t.names, ","), strings.Join(names, ","))
	}
	width := s.Width()
	d := &Dataset{Name: t.path, Rows: len(idx), Cols: width, Floats: make([]float32, len(idx)*width),
		Columns: s.ModelColumns(), Schema: s}
	if opt.Missing == MissingMask {
		d.Mask = make([]uint8, len(idx)*width)
	}
	index := make([]map[string]int, len(s.Columns))
	for j, c := range s.Columns {
		index[j] = map[string]int{}
		for k, cat := range c.Categories {
			index[j][cat] = k
		}
	}
	unseen := make([]map[string]int, len(s.Columns))
	for r, i := range idx {
		row := d.Floats[r*width : (r+1)*width]
		col := 0
		for j, c := range s.Columns {
			f, w := t.fields[i][j], c.Width()
			dst := row[col : col+w]
			switch {
			case t.isMissing(f):
				if opt.Missing == "" || opt.Missing == MissingError {
					return nil, fmt.Errorf("%s:%d: column %q: %s%s", t.path, t.lines[i], c.Name, missingWhat(f), missingHint)
				}
				for k := range dst {
					dst[k] = float32(c.Means[k])
				}
				col += w
				continue
			case c.IsCategorical():
				if k, ok := index[j][f]; ok {
					dst[k] = 1
				} else {
					if unseen[j] == nil {
						unseen[j] = map[string]int{}
					}
					unseen[j][f]++
				}
			default:
				v, err := parseValue(f)
				if err != nil {
					hint := ""
					if opt.Schema == nil && errors.Is(err, errNotNumber) {
						hint = " (a missing-value marker? list it in --na-values; text? name the column in --categorical)"
					}
					return nil, fmt.Errorf("%s:%d: column %q: %w%s", t.path, t.lines[i], c.Name, err, hint)
				}
				dst[0] = v
			}
			if d.Mask != nil {
				for k := range w {
					d.Mask[r*width+col+k] = 1
				}
			}
			col += w
		}
	}
	for j, cats := range unseen {
		if cats == nil {
			continue
		}
		var names []string
		n := 0
		for cat, k := range cats {
			names = append(names, strconv.Quote(cat))
			n += k
		}
		slices.Sort(names)
		if len(names) > 5 {
			names = append(names[:5], "…")
		}
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s: column %q: %d rows hold categories not seen in training (%s), encoded as all zeros",
			t.path, s.Columns[j].Name, n, strings.Join(names, ", ")))
	}
	if t.labels != nil {
		labels, classes := parseLabels(t.labels)
		d.Labels, d.Classes = make([]int, len(idx)), classes
		for r, i := range idx {
			d.Labels[r] = labels[i]
		}
	}
	return d, nil
}

// missingWhat says what missing field f is, for MissingError's message.
func missingWhat(f string) string {
	if f == "" {
		return "empty field"
	}
	if _, err := parseValue(f); err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%q", f)
}

// errNotNumber is parseValue's error for a field that is no number.
var errNotNumber = errors.New("is not a number")

// parseValue parses a numeric field as a finite float32.
func parseValue(f string) (float32, error) {
	v, err := strconv.ParseFloat(f, 32)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("%q is out of float32 range", f)
	case err != nil:
		return 0, fmt.Errorf("%q %w", f, errNotNumber)
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fmt.Errorf("%q is not a finite number", f)
	}
	return float32(v), nil
}
