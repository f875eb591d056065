package data

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestDetectSeparator(t *testing.T) {
	for _, c := range []struct {
		text string
		want rune
	}{
		{"a,b,c\n1,2,3\n", ','},
		{"a;b;c\n1,5;2,5;3\n", ';'},
		{"a\tb\tc\n", '\t'},
		{"a|b|c\n", '|'},
		{"\"x,y\";b;c\n", ';'},
		{"\n\nsolo\n1;2;3\n", ','},
		{"\n\na;b\n1,2,3,4\n", ';'},
		{"", ','},
	} {
		if got := detectSeparator([]byte(c.text)); got != c.want {
			t.Errorf("detectSeparator(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestReadCSVSeparators(t *testing.T) {
	dir := t.TempDir()
	want := []float32{1.5, 2, 3, 4}
	for _, c := range []struct {
		text, sep string
	}{
		{"a;b\n1.5;2\n3;4\n", ""},
		{"a\tb\n1.5\t2\n3\t4\n", ""},
		{"a|b\n1.5|2\n3|4\n", ""},
		{"a b\n1.5 2\n3 4\n", " "},
		{"a\tb\n1.5\t2\n3\t4\n", "tab"},
		{"a;b\n1.5;2\n3;4\n", ";"},
	} {
		d, err := ReadCSV(writeFile(t, dir, "s.csv", []byte(c.text)), CSVOptions{Sep: c.sep})
		if err != nil {
			t.Errorf("%q sep %q: %v", c.text, c.sep, err)
			continue
		}
		if !slices.Equal(d.Floats, want) || !slices.Equal(d.Columns, []string{"a", "b"}) {
			t.Errorf("%q sep %q: %v %v", c.text, c.sep, d.Floats, d.Columns)
		}
	}
	// A tab file keeps its empty fields.
	d, err := ReadCSV(writeFile(t, dir, "s.tsv", []byte("a\tb\tc\n1\t\t3\n4\t5\t6\n")), CSVOptions{Missing: MissingMask})
	if err != nil || !slices.Equal(d.Mask, []uint8{1, 0, 1, 1, 1, 1}) || d.Floats[1] != 5 {
		t.Errorf("tab with an empty field: %v, %+v", err, d)
	}
	_, err = ReadCSV(writeFile(t, dir, "s.csv", []byte("a;b\n")), CSVOptions{Sep: ";;"})
	wantErr(t, err, `s.csv: separator ";;": want one character, e.g. , ; | or tab`)
}

func TestReadCSVMissing(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "m.csv", []byte("a,b,c\n1,NA,x\n3,4,?\n,8,y\n5,null,x\n7,nan,-\n"))
	_, err := ReadCSV(path, CSVOptions{})
	wantErr(t, err, path+`:2: column "b": "NA" is not a number`+missingHint)
	_, err = ReadCSV(path, CSVOptions{Missing: "maybe"})
	wantErr(t, err, `missing "maybe": want error, mean or mask`)

	d, err := ReadCSV(path, CSVOptions{Missing: MissingMean, NAValues: []string{"-"}})
	if err != nil {
		t.Fatal(err)
	}
	// a: mean of 1, 3, 5, 7 = 4; b: the one 4 and 8 = 6; c: x x y of 3 present.
	want := []float32{
		1, 6, 1, 0,
		3, 4, 2. / 3, 1. / 3,
		4, 8, 0, 1,
		5, 6, 1, 0,
		7, 6, 2. / 3, 1. / 3,
	}
	if d.Mask != nil || !slices.Equal(d.Columns, []string{"a", "b", "c=x", "c=y"}) || d.Cols != 4 {
		t.Fatalf("mean: mask %v, columns %v", d.Mask, d.Columns)
	}
	checkFloats(t, "mean", d.Floats, want)
	if got := d.Schema.Columns[2]; !slices.Equal(got.Categories, []string{"x", "y"}) || !slices.Equal(got.Means, []float64{2. / 3, 1. / 3}) {
		t.Errorf("column c: %+v", got)
	}

	d, err = ReadCSV(path, CSVOptions{Missing: MissingMask, NAValues: []string{"-"}})
	if err != nil {
		t.Fatal(err)
	}
	checkFloats(t, "mask", d.Floats, want)
	wantMask := []uint8{1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0}
	if !slices.Equal(d.Mask, wantMask) {
		t.Errorf("mask %v, want %v", d.Mask, wantMask)
	}
	// The normaliser skips missing values and one-hot columns: the imputed
	// mean becomes the training mean in normalised units (0 for zscore).
	n, err := FitNormalizer("zscore", d)
	if err != nil {
		t.Fatal(err)
	}
	if n.Offset[0] != 4 || n.Offset[1] != 6 || n.Offset[2] != 0 || n.Scale[2] != 1 || n.Scale[3] != 1 {
		t.Errorf("normaliser %+v", n)
	}
	nd, err := n.Apply(d)
	if err != nil || nd.Floats[1] != 0 || nd.Floats[8] != 0 || nd.Floats[2] != 1 {
		t.Errorf("normalised %v (%v)", nd.Floats, err)
	}
	sub := d.Subset([]int{2, 0})
	if !slices.Equal(sub.Mask, append(slices.Clone(wantMask[8:12]), wantMask[:4]...)) || !slices.Equal(d.Limit(1).Mask, wantMask[:4]) {
		t.Errorf("Subset/Limit mask %v", sub.Mask)
	}

	all := writeFile(t, dir, "all.csv", []byte("a,b\n1,\n2,NA\n"))
	_, err = ReadCSV(all, CSVOptions{Missing: MissingMean})
	wantErr(t, err, all+`: column "b": every value is missing, nothing to impute from`)
}

func TestReadCSVCategorical(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "c.csv", []byte("n,color,code,label\n1,red,7,a\n2,blue,7,b\n3,red,9,a\n"))
	d, err := ReadCSV(path, CSVOptions{Categorical: []string{"code"}, LabelCol: "label"})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []string{"n", "color=blue", "color=red", "code=7", "code=9"}
	want := []float32{1, 0, 1, 1, 0, 2, 1, 0, 1, 0, 3, 0, 1, 0, 1}
	if !slices.Equal(d.Columns, wantCols) || !slices.Equal(d.Floats, want) || !slices.Equal(d.Labels, []int{0, 1, 0}) {
		t.Fatalf("got columns %v floats %v labels %v", d.Columns, d.Floats, d.Labels)
	}
	if !slices.Equal(d.Schema.GroupSizes(), []int{0, 2, 2}) || !d.Schema.HasCategorical() || d.Schema.Width() != 5 {
		t.Errorf("schema %+v", d.Schema)
	}
	// The schema survives JSON and encodes new files alike; an unseen
	// category is an all-zero group, reported once.
	b, err := json.Marshal(d.Schema)
	if err != nil {
		t.Fatal(err)
	}
	var s Schema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	other := writeFile(t, dir, "o.csv", []byte("n,color,code,label\n4,green,9,a\n5,green,7,b\n6,pink,8,a\n"))
	o, err := ReadCSV(other, CSVOptions{Schema: &s, LabelCol: "label"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.Floats, []float32{4, 0, 0, 0, 1, 5, 0, 0, 1, 0, 6, 0, 0, 0, 0}) || len(o.Warnings) != 2 ||
		!strings.Contains(o.Warnings[0], `column "color": 3 rows hold categories not seen in training ("green", "pink")`) ||
		!strings.Contains(o.Warnings[1], `column "code": 1 rows hold categories not seen in training ("8")`) {
		t.Errorf("unseen: %v %q", o.Floats, o.Warnings)
	}
	wrong := writeFile(t, dir, "w.csv", []byte("n,colour,code\n4,green,9\n"))
	_, err = ReadCSV(wrong, CSVOptions{Schema: &s})
	wantErr(t, err, wrong+": columns n,colour,code differ from the model's n,color,code")
	bad := writeFile(t, dir, "b.csv", []byte("n,color,code\nx,red,9\n"))
	_, err = ReadCSV(bad, CSVOptions{Schema: &s})
	wantErr(t, err, bad+`:2: column "n": "x" is not a number`)

	// Decode and Errors speak in the original columns.
	if got := s.Decode([]float32{2.5, 0.1, 3, -1, 2}); !slices.Equal(got, []string{"2.5", "red", "9"}) {
		t.Errorf("Decode: %v", got)
	}
	errs := s.Errors([]float32{2, 0, 0, 5, 5}, []float32{1, 1, 0, 0, 0}, nil)
	if errs[0] != 1 || math.Abs(errs[1]-math.Log(2)) > 1e-12 || errs[2] != 0 {
		t.Errorf("Errors: %v", errs)
	}
	if errs := s.Errors(make([]float32, 5), make([]float32, 5), []uint8{1, 0, 0, 1, 1}); !math.IsNaN(errs[1]) || math.IsNaN(errs[2]) {
		t.Errorf("masked Errors: %v", errs)
	}

	var many strings.Builder
	many.WriteString("id,x\n")
	for i := range 10000 {
		many.WriteString("u" + string(rune('a'+i%26)) + strconv.Itoa(i) + ",1\n")
	}
	huge := writeFile(t, dir, "h.csv", []byte(many.String()))
	_, err = ReadCSV(huge, CSVOptions{})
	wantErr(t, err, huge+`: column "id": more than 100 categories; raise --max-categories or leave the column out`)
	if d, err := ReadCSV(huge, CSVOptions{MaxCategories: 10000}); err != nil || d.Cols != 10001 {
		t.Errorf("max categories 10000: %v", err)
	}
	_, err = ReadCSV(path, CSVOptions{Categorical: []string{"nope"}})
	wantErr(t, err, path+`: categorical column "nope" not found (feature columns: n, color, code, label)`)
}

func TestOpenCSVFitsOnTraining(t *testing.T) {
	dir := t.TempDir()
	var text strings.Builder
	text.WriteString("x;kind\n")
	for i := range 20 {
		kind := "common"
		if i == 7 {
			kind = "rare"
		}
		text.WriteString(strconv.Itoa(i) + ";" + kind + "\n")
	}
	path := writeFile(t, dir, "f.csv", []byte(text.String()))
	for seed := range uint64(40) {
		train, test, err := Open(path, OpenOptions{Seed: seed, TestFrac: 0.25})
		if err != nil {
			t.Fatal(err)
		}
		// The categories are the training rows': where "rare" fell in the
		// test rows, the test set reports it and the model has no column.
		rareInTest := slices.Contains(test.Floats, 7)
		if rareInTest != (len(test.Warnings) == 1) || rareInTest == slices.Contains(train.Columns, "kind=rare") {
			t.Fatalf("seed %d: train columns %v, test warnings %v", seed, train.Columns, test.Warnings)
		}
		if rareInTest {
			return
		}
	}
	t.Fatal("no seed put the rare row in the test set")
}

// checkFloats compares float32 slices to 1e-6.
func checkFloats(t *testing.T, name string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > 1e-6 {
			t.Fatalf("%s: value %d is %v, want %v (all: %v)", name, i, got[i], want[i], got)
		}
	}
}

// TestReadIrisMessy reads the real mixed table of testdata/iris_messy: a
// semicolon file with a text column, empty fields, NA and ?.
func TestReadIrisMessy(t *testing.T) {
	const path = "../testdata/iris_messy/iris.csv"
	_, err := ReadCSV(path, CSVOptions{})
	wantErr(t, err, path+`:2: column "sepal_length": empty field`+missingHint)
	d, err := ReadCSV(path, CSVOptions{Missing: MissingMask})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []string{"sepal_length", "sepal_width", "petal_length", "petal_width", "species=setosa", "species=versicolor", "species=virginica"}
	if d.Rows != 150 || !slices.Equal(d.Columns, wantCols) || !slices.Equal(d.Schema.GroupSizes(), []int{0, 0, 0, 0, 3}) {
		t.Fatalf("%d rows, columns %v", d.Rows, d.Columns)
	}
	missing := 0
	for _, m := range d.Mask {
		if m == 0 {
			missing++
		}
	}
	if missing != 32+4*3 {
		t.Errorf("%d missing values, want 32 measurements and 4 species of 3 columns", missing)
	}
	// Species frequencies over the 146 present; every row's group sums to 1.
	if m := d.Schema.Columns[4].Means; math.Abs(m[0]+m[1]+m[2]-1) > 1e-12 || m[0] < 0.3 || m[0] > 0.36 {
		t.Errorf("species means %v", m)
	}
	train, test, err := Open(path, OpenOptions{CSV: CSVOptions{Missing: MissingMean}, Seed: 1})
	if err != nil || train.Rows != 120 || test.Rows != 30 || train.Mask != nil || train.Cols != 7 {
		t.Fatalf("Open: %v", err)
	}
}
