package data

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

func TestOpenCSVSplit(t *testing.T) {
	dir := t.TempDir()
	text := "x,y\n"
	for i := range 10 {
		text += string(rune('0'+i)) + ",a\n"
	}
	path := writeFile(t, dir, "t.CSV", []byte(text))
	train, test, err := Open(path, OpenOptions{CSV: CSVOptions{LabelCol: "y"}, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if train.Rows != 8 || test.Rows != 2 || !slices.Equal(test.Classes, []string{"a"}) {
		t.Errorf("default split: %d/%d rows, classes %v", train.Rows, test.Rows, test.Classes)
	}
	if train, test, err := Open(path, OpenOptions{CSV: CSVOptions{LabelCol: "1"}, TestFrac: 0.5}); err != nil || train.Rows != 5 || test.Rows != 5 {
		t.Errorf("TestFrac 0.5: %v", err)
	}
	_, _, err = Open(path, OpenOptions{TestFrac: 1})
	wantErr(t, err, "test fraction 1: want a number in (0, 1)")
}

func TestOpenCSVTestFile(t *testing.T) {
	dir := t.TempDir()
	train := writeFile(t, dir, "train.csv", []byte("x,kind\n1,cat\n2,dog\n"))
	test := writeFile(t, dir, "test.csv", []byte("x,kind\n3,dog\n4,fox\n5,cat\n"))
	tr, te, err := Open(train, OpenOptions{CSV: CSVOptions{LabelCol: "kind"}, TestFile: test})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cat", "dog", "fox"}
	if !slices.Equal(tr.Classes, want) || !slices.Equal(te.Classes, want) || !slices.Equal(te.Labels, []int{1, 2, 0}) || !slices.Equal(tr.Labels, []int{0, 1}) {
		t.Errorf("train %v %v, test %v %v: want one numbering of %v", tr.Classes, tr.Labels, te.Classes, te.Labels, want)
	}
	if tr.Name != train+" train" || te.Name != test+" test" {
		t.Errorf("names %q, %q", tr.Name, te.Name)
	}

	other := writeFile(t, dir, "other.csv", []byte("z,kind\n3,dog\n"))
	_, _, err = Open(train, OpenOptions{CSV: CSVOptions{LabelCol: "kind"}, TestFile: other})
	wantErr(t, err, other+": columns z differ from "+train+"'s x")
	ints := writeFile(t, dir, "ints.csv", []byte("x,kind\n3,1\n"))
	_, _, err = Open(train, OpenOptions{CSV: CSVOptions{LabelCol: "kind"}, TestFile: ints})
	wantErr(t, err, ints+": labels are integers, but "+train+"'s are class names")
	_, _, err = Open(train, OpenOptions{CSV: CSVOptions{LabelCol: "kind"}, TestFile: filepath.Join(dir, "nope.csv")})
	wantErr(t, err, "nope.csv: no such file")
}

func TestOpenIDX(t *testing.T) {
	dir := idxSet(t, [4]bool{true, true, true, true})
	train, test, err := Open(dir, OpenOptions{})
	if err != nil || train.Rows != 3 || test.Rows != 1 {
		t.Fatalf("Open(folder): %v", err)
	}
	t.Setenv("WGML_FASHION_MNIST_DIR", dir)
	if train, _, err := Open("fashion-mnist", OpenOptions{}); err != nil || train.Name != "fashion-mnist train" {
		t.Errorf("fashion-mnist: %v, %v", train, err)
	}
	t.Setenv("WGML_FASHION_MNIST_DIR", filepath.Join(dir, "missing"))
	_, _, err = Open("fashion-mnist", OpenOptions{})
	wantErr(t, err, "fashion-mnist: no folder "+dir+"/missing: put train-images-idx3-ubyte, train-labels-idx1-ubyte", "WGML_FASHION_MNIST_DIR")
	t.Setenv("WGML_MNIST_DIR", dir)
	if train, test, err := Open("mnist", OpenOptions{}); err != nil || train.Name != "mnist train" || test.Name != "mnist test" {
		t.Errorf("mnist: %v", err)
	}
}

func TestOpenBadSpec(t *testing.T) {
	dir := t.TempDir()
	_, _, err := Open(filepath.Join(dir, "nothing"), OpenOptions{})
	wantErr(t, err, "nothing\": no such file or directory; want "+dataKinds)
	txt := writeFile(t, dir, "f.txt", []byte("1,2\n"))
	_, _, err = Open(txt, OpenOptions{})
	wantErr(t, err, "f.txt\": want "+dataKinds)
}

// TestOpenOptionsJSON: the options marshal (a model records them), leaving
// out the schema, which is recorded on its own.
func TestOpenOptionsJSON(t *testing.T) {
	opt := OpenOptions{
		CSV: CSVOptions{LabelCol: "y", Sep: ";", Missing: MissingMask, NAValues: []string{"-"}, Categorical: []string{"c"},
			MaxCategories: 7, Schema: &Schema{Columns: []Column{{Name: "c", Categories: []string{"a"}, Means: []float64{1}}}}},
		Image: ImageOptions{Width: 8, Height: 6, Channels: 3, SkipBad: true}, Labels: "y.npy", TestFrac: 0.3, Seed: 9,
	}
	b, err := json.Marshal(opt)
	if err != nil {
		t.Fatal(err)
	}
	var back OpenOptions
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	opt.CSV.Schema = nil
	if !reflect.DeepEqual(back, opt) {
		t.Errorf("round trip of %s: %+v", b, back)
	}
}
