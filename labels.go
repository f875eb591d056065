package wgml

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wgml/wgml/data"
)

// labelValue resolves a label given on the command line (--normal-class,
// --outlier-label) against a data set's labels: a class name when the labels
// are names (classes not nil; a 0-based class number also works), else an
// integer.
func labelValue(s string, classes []string) (int, error) {
	s = strings.TrimSpace(s)
	for k, c := range classes {
		if c == s {
			return k, nil
		}
	}
	k, err := strconv.Atoi(s)
	switch {
	case classes != nil && (err != nil || k < 0 || k >= len(classes)):
		return 0, fmt.Errorf("label %q: not one of the classes %s", s, strings.Join(classes, ", "))
	case err != nil:
		return 0, fmt.Errorf("label %q: the labels are integers", s)
	}
	return k, nil
}

// LabelName is how label k is written: its class name, or the integer.
func LabelName(k int, classes []string) string {
	if k >= 0 && k < len(classes) {
		return classes[k]
	}
	return strconv.Itoa(k)
}

// keepClass returns the rows of d labelled normal (a --normal-class value).
func keepClass(d *data.Dataset, normal string) (*data.Dataset, error) {
	if d.Labels == nil {
		return nil, optionErr("normal-class %s: %s has no labels (for a CSV, name the label column with --label-col)", normal, d.Name)
	}
	k, err := labelValue(normal, d.Classes)
	if err != nil {
		return nil, optionErr("normal-class: %v", err)
	}
	kept := d.FilterLabel(k)
	if kept.Rows == 0 {
		return nil, optionErr("normal-class %s: no rows of %s have that label", normal, d.Name)
	}
	kept.Name = fmt.Sprintf("%s, label %s", d.Name, normal)
	return kept, nil
}

// Positives says which rows count as outliers when measuring a detector:
// labels in outlier (--outlier-label), else, for a model trained on one
// class, every other label. It returns nil when neither applies or the rows
// have no labels, and a description such as "label != 3".
func Positives(rows *data.Dataset, outlier []string, normal string) ([]bool, string, error) {
	if rows.Labels == nil {
		if len(outlier) > 0 {
			return nil, "", optionErr("outlier-label: %s has no labels (for a CSV, name the label column with --label-col)", rows.Name)
		}
		return nil, "", nil
	}
	pos := make([]bool, rows.Rows)
	switch {
	case len(outlier) > 0:
		set := map[int]bool{}
		var names []string
		for _, s := range outlier {
			k, err := labelValue(s, rows.Classes)
			if err != nil {
				return nil, "", optionErr("outlier-label: %v", err)
			}
			set[k] = true
			names = append(names, LabelName(k, rows.Classes))
		}
		for i, l := range rows.Labels {
			pos[i] = set[l]
		}
		if len(names) == 1 {
			return pos, "label " + names[0], nil
		}
		return pos, "label in {" + strings.Join(names, ", ") + "}", nil
	case normal != "":
		k, err := labelValue(normal, rows.Classes)
		if err != nil {
			return nil, "", fmt.Errorf("the model's normal class: %v", err)
		}
		for i, l := range rows.Labels {
			pos[i] = l != k
		}
		return pos, "label != " + LabelName(k, rows.Classes), nil
	}
	return nil, "", nil
}
