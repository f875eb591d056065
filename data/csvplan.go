package data

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// plan decides, from the sample, the columns of the table r reads: their
// names (the header's, made unique, or col<k>), the label column, the
// columns kept, and each feature column's kind.
func (r *CSVReader) plan(p *chunkParser, smp *sample, header bool, opt CSVOptions) error {
	path, first := p.path, smp.rows[0]
	names := make([]string, len(first))
	for j := range first {
		if header {
			names[j] = strings.TrimSpace(first[j])
			if !isText(names[j]) {
				return notText(path, smp.lines[0], "col"+strconv.Itoa(j), names[j])
			}
		}
		if names[j] == "" { // an unnamed header column is named as without a header
			names[j] = "col" + strconv.Itoa(j)
		}
	}
	names = uniqueNames(names)
	label, err := labelIndex(path, names, opt.LabelCol, header)
	if err != nil {
		return err
	}
	keep, err := selectColumns(path, names, label, opt.Columns, opt.Drop)
	if err != nil {
		return err
	}
	h := TableHeader{Path: path}
	if label >= 0 {
		h.Label = names[label]
	}
	for j, name := range names {
		if keep[j] {
			h.Names = append(h.Names, name)
		}
	}
	if len(h.Names) == 0 {
		return fmt.Errorf("%s: no feature columns", path)
	}
	for _, name := range opt.Categorical {
		if !slices.Contains(h.Names, name) {
			return fmt.Errorf("%s: categorical column %q not found (feature columns: %s)", path, name, strings.Join(h.Names, ", "))
		}
	}
	if s := opt.Schema; s != nil && !slices.Equal(s.Names(), h.Names) {
		return fmt.Errorf("%s: columns %s differ from the model's %s", path, strings.Join(h.Names, ","), strings.Join(s.Names(), ","))
	}
	data := smp.rows
	if header {
		data = data[1:]
	}
	p.names, p.plan = names, make([]colPlan, len(names))
	for j := range names {
		switch {
		case j == label:
			p.plan[j].act = labelCol
		case !keep[j]:
			p.plan[j].act = skipCol
		default:
			k := p.kind(j, len(h.Kinds), data, opt)
			h.Kinds = append(h.Kinds, k)
			p.plan[j].act = numCol
			if k == Text {
				p.plan[j].act = textCol
			}
		}
	}
	slots := h.Slots()
	for j, f := 0, 0; j < len(names); j++ {
		if p.plan[j].act == numCol || p.plan[j].act == textCol {
			p.plan[j].slot = slots[f]
			f++
		}
	}
	p.nc, p.tc, p.label = h.NumCols(), h.TextCols(), label >= 0
	r.hdr = h
	return nil
}

// kind infers the kind of file column j, feature column f, from the sample
// rows data (see OpenCSV).
func (p *chunkParser) kind(j, f int, data [][]string, opt CSVOptions) Kind {
	if s := opt.Schema; s != nil {
		if s.Columns[f].IsCategorical() {
			return Text
		}
		return Number
	}
	if slices.Contains(opt.Categorical, p.names[j]) {
		return Text
	}
	text := false
	for _, row := range data {
		if len(row) != len(p.names) {
			continue
		}
		v := strings.TrimSpace(row[j])
		if p.isMissing([]byte(v)) {
			continue
		}
		if isNumber(v) {
			return Number
		}
		text = true
	}
	if text {
		return Text
	}
	return Number
}

// isHeader decides whether first is a header row (see CSVOptions.Header)
// from it and the sample rows after it.
func isHeader(mode string, first []string, rest [][]string, p *chunkParser) (bool, error) {
	switch mode {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	case "", "auto":
	default:
		return false, fmt.Errorf("header option %q: want auto, yes or no", mode)
	}
	numeric, votes := 0, 0
	for j, f := range first {
		f = strings.TrimSpace(f)
		if len(rest) == 0 {
			if f != "" && !isNumber(f) {
				return true, nil
			}
			continue
		}
		present, fractions := 0, 0
		for _, row := range rest {
			if len(row) != len(first) {
				continue
			}
			v := strings.TrimSpace(row[j])
			if p.isMissing([]byte(v)) {
				continue
			}
			if !isNumber(v) {
				present = -1
				break
			}
			present++
			if !isInteger(v) {
				fractions++
			}
		}
		if present <= 0 {
			continue // not a numeric column: it does not vote
		}
		numeric++
		switch {
		case p.isMissing([]byte(f)):
		case !isNumber(f):
			return true, nil // text atop numbers: a name
		case fractions == present && isInteger(f):
			votes++ // an integer atop fractions: a year, a code
		}
	}
	return votes >= 2 && 2*votes > numeric, nil
}

// isInteger reports whether s is an integer literal: digits after an
// optional sign.
func isInteger(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// uniqueNames makes column names unique as pandas does: a repeated name
// gets a suffix .1, .2, … (the first free one).
func uniqueNames(names []string) []string {
	out := make([]string, len(names))
	counts := map[string]int{}
	for i, name := range names {
		k := counts[name]
		for k > 0 {
			counts[name] = k + 1
			name = name + "." + strconv.Itoa(k)
			k = counts[name]
		}
		out[i] = name
		counts[name] = k + 1
	}
	return out
}

// selectColumns returns which columns are features: all but the label,
// only those in columns when it is set, less those in drop.
func selectColumns(path string, names []string, label int, columns, drop []string) ([]bool, error) {
	keep := make([]bool, len(names))
	for j := range names {
		keep[j] = j != label && len(columns) == 0
	}
	for _, c := range []struct {
		flag  string
		names []string
		to    bool
	}{{"--columns", columns, true}, {"--drop", drop, false}} {
		for _, name := range c.names {
			j := slices.Index(names, name)
			switch {
			case j < 0:
				return nil, fmt.Errorf("%s: column %q (%s) not found (columns: %s)", path, name, c.flag, strings.Join(names, ", "))
			case j == label && !c.to:
				return nil, fmt.Errorf("%s: column %q (%s) is the label column", path, name, c.flag)
			case j != label:
				keep[j] = c.to
			}
		}
	}
	return keep, nil
}
