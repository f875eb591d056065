package wgml

import (
	"errors"
	"slices"
	"testing"

	"github.com/wgml/wgml/data"
)

func TestLabelValue(t *testing.T) {
	classes := []string{"benign", "malignant"}
	for _, c := range []struct {
		s       string
		classes []string
		want    int
		ok      bool
	}{
		{"3", nil, 3, true},
		{" 7 ", nil, 7, true},
		{"-1", nil, -1, true},
		{"seven", nil, 0, false},
		{"malignant", classes, 1, true},
		{"1", classes, 1, true}, // a class number works too
		{"2", classes, 0, false},
		{"Benign", classes, 0, false},
		{"2", []string{"4", "2"}, 1, true}, // names win over numbers
	} {
		got, err := labelValue(c.s, c.classes)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("labelValue(%q, %v) = %d, %v; want %d, ok %v", c.s, c.classes, got, err, c.want, c.ok)
		}
	}
}

func TestPositives(t *testing.T) {
	d := &data.Dataset{Name: "d", Rows: 5, Cols: 1, Floats: make([]float32, 5), Labels: []int{0, 1, 2, 1, 0}}
	pos, desc, err := Positives(d, []string{"1", "2"}, "0")
	if want := []bool{false, true, true, true, false}; err != nil || !slices.Equal(pos, want) || desc != "label in {1, 2}" {
		t.Errorf("outlier labels 1, 2: %v %q %v", pos, desc, err)
	}
	pos, desc, err = Positives(d, nil, "0")
	if want := []bool{false, true, true, true, false}; err != nil || !slices.Equal(pos, want) || desc != "label != 0" {
		t.Errorf("normal class 0: %v %q %v", pos, desc, err)
	}
	if pos, _, err := Positives(d, nil, ""); pos != nil || err != nil {
		t.Errorf("no outlier labels, no normal class: %v %v, want nothing", pos, err)
	}
	named := *d
	named.Classes = []string{"a", "b", "c"}
	pos, desc, err = Positives(&named, []string{"c"}, "")
	if want := []bool{false, false, true, false, false}; err != nil || !slices.Equal(pos, want) || desc != "label c" {
		t.Errorf("class name c: %v %q %v", pos, desc, err)
	}
	if _, _, err := Positives(&named, []string{"z"}, ""); !errors.As(err, new(*OptionError)) {
		t.Errorf("unknown class: %v, want a usage error", err)
	}
	unlabelled := *d
	unlabelled.Labels = nil
	if _, _, err := Positives(&unlabelled, []string{"1"}, ""); !errors.As(err, new(*OptionError)) {
		t.Errorf("outlier label without labels: %v, want a usage error", err)
	}
	if pos, _, err := Positives(&unlabelled, nil, "1"); pos != nil || err != nil {
		t.Errorf("normal class without labels: %v %v, want nothing", pos, err)
	}
}

func TestKeepClass(t *testing.T) {
	d := &data.Dataset{Name: "d", Rows: 4, Cols: 2, Floats: []float32{0, 0, 1, 1, 2, 2, 3, 3}, Labels: []int{5, 6, 5, 7}}
	k, err := keepClass(d, "5")
	if err != nil || k.Rows != 2 || !slices.Equal(k.Floats, []float32{0, 0, 2, 2}) || !slices.Equal(k.Labels, []int{5, 5}) {
		t.Fatalf("keepClass 5: %+v, %v", k, err)
	}
	for _, bad := range []string{"8", "x"} {
		if _, err := keepClass(d, bad); !errors.As(err, new(*OptionError)) {
			t.Errorf("keepClass %q: %v, want a usage error", bad, err)
		}
	}
	d.Labels = nil
	if _, err := keepClass(d, "5"); !errors.As(err, new(*OptionError)) {
		t.Errorf("keepClass without labels: %v, want a usage error", err)
	}
}
