package data

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// messyCSV writes a table of rows rows: three numeric columns, some values
// missing, and a class-name label column.
func messyCSV(t *testing.T, rows int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("a,b,c,kind\n")
	for i := range rows {
		fmt.Fprintf(&b, "%g,%g,", float32(math.Sin(float64(i))), float32(i)/7)
		if i%5 != 2 {
			fmt.Fprintf(&b, "%g", float32(math.Cos(float64(i)*1.3)*4))
		}
		fmt.Fprintf(&b, ",%s\n", []string{"ok", "bad", "odd"}[i%3])
	}
	path := filepath.Join(t.TempDir(), "messy.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// closeTo reports whether a and b agree to float32 rounding of values near 4.
func closeTo(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}

// TestStreamSetMatchesOpen opens a table with missing values (imputed by
// the mean) and class labels for streaming and as Open reads it: the same
// test rows, values and labels, the same imputation means (to float64
// rounding: Welford's mean against a sum) and a normaliser that agrees to
// float32 rounding; and the training view reads the other rows.
func TestStreamSetMatchesOpen(t *testing.T) {
	path := messyCSV(t, 90)
	opt := OpenOptions{CSV: CSVOptions{LabelCol: "kind", Missing: MissingMean}, TestFrac: 0.3, Seed: 5}
	s, err := OpenStream(path, opt, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	train, test, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if s.Test.Rows != test.Rows || !closeTo(s.Test.Floats, test.Floats) || !slices.Equal(s.Test.Labels, test.Labels) || !slices.Equal(s.Classes, test.Classes) {
		t.Fatalf("test rows differ:\n%v %v %v\n%v %v %v", s.Test.Floats[:9], s.Test.Labels[:3], s.Classes, test.Floats[:9], test.Labels[:3], test.Classes)
	}
	for j, c := range s.Schema.Columns {
		if w := train.Schema.Columns[j].Means[0]; math.Abs(c.Means[0]-w) > 1e-12 {
			t.Errorf("column %s: mean %v, Open's %v", c.Name, c.Means[0], w)
		}
	}
	got, err := s.FitNormalizer("zscore")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := FitNormalizer("zscore", train)
	if !closeTo(got.Offset, want.Offset) || !closeTo(got.Scale, want.Scale) {
		t.Errorf("normaliser %+v, in memory %+v", got, want)
	}
	rows := make([]float32, s.Train.Rows*s.File.Cols)
	if err := s.Train.ReadRows(rows, 0, s.Train.Rows); err != nil {
		t.Fatal(err)
	}
	sorted := func(v []float32) []float32 { return slices.Sorted(slices.Values(v)) }
	if s.Train.Rows != train.Rows || !closeTo(sorted(rows), sorted(train.Floats)) {
		t.Errorf("the training view's %d rows differ from Open's %d", s.Train.Rows, train.Rows)
	}
}

// TestStreamSetSplitsBlocks: 10000 rows split in 3334 blocks of 3 (the
// last of 1): the test and validation sets are whole blocks (333 and 750), and test, validation and training
// rows are every row once; FitNormalizer over the training view equals
// the in-memory FitNormalizer of its rows in view order.
func TestStreamSetSplitsBlocks(t *testing.T) {
	const rows = 10000
	path := filepath.Join(t.TempDir(), "rows.npy")
	if err := WriteNPY(path, rows, 1, func(i int, dst []float32) { dst[0] = float32(i) }); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(path, OpenOptions{TestFrac: 0.1, Seed: 2}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	val, err := s.SplitValidation(0.25)
	if err != nil {
		t.Fatal(err)
	}
	train := &Dataset{Name: "train", Rows: s.Train.Rows, Cols: 1, Floats: make([]float32, s.Train.Rows)}
	if err := s.Train.ReadRows(train.Floats, 0, train.Rows); err != nil {
		t.Fatal(err)
	}
	seen := make([]int, rows)
	for _, d := range []*Dataset{s.Test, val, train} {
		for _, v := range d.Floats {
			seen[int(v)]++
		}
	}
	for _, d := range []*Dataset{s.Test, val} {
		for _, v := range d.Floats {
			if b := int(v) / 3; !slices.Contains(d.Floats, float32(b*3)) || (b*3+2 < rows && !slices.Contains(d.Floats, float32(b*3+2))) {
				t.Fatalf("%s holds row %v without the rest of its block", d.Name, v)
			}
		}
	}
	if slices.ContainsFunc(seen, func(n int) bool { return n != 1 }) || !blocksOf(s.Test.Rows, 333) || !blocksOf(val.Rows, 750) {
		t.Errorf("test %d rows, validation %d, training %d; every row once: %v", s.Test.Rows, val.Rows, train.Rows, !slices.ContainsFunc(seen, func(n int) bool { return n != 1 }))
	}
	got, _ := s.FitNormalizer("minmax")
	want, _ := FitNormalizer("minmax", train)
	if !slices.Equal(got.Offset, want.Offset) || !slices.Equal(got.Scale, want.Scale) {
		t.Errorf("normaliser %+v, in memory %+v", got, want)
	}
}

// blocksOf reports whether rows are n blocks of 3, one of them maybe the
// last block, of 1 row.
func blocksOf(rows, n int) bool { return rows == 3*n || rows == 3*n-2 }

// TestTableCache: the cache is reused while its source and options stay,
// rebuilt when the source's size changes or other options read it, and a
// text column is refused with a line naming it; a Parquet table caches
// as a CSV does.
func TestTableCache(t *testing.T) {
	path, dir := messyCSV(t, 30), t.TempDir()
	opt := CSVOptions{LabelCol: "kind", Missing: MissingMean}
	for k, c := range []struct {
		change func()
		opt    CSVOptions
		built  bool
	}{
		{func() {}, opt, true},
		{func() {}, opt, false},
		{func() {}, CSVOptions{LabelCol: "kind", Missing: MissingMean, Drop: []string{"b"}}, true},
		{func() { os.WriteFile(path, []byte("a,b,c,kind\n1,2,3,x\n"), 0o644) }, opt, true},
	} {
		c.change()
		tc, built, err := CacheTable(path, dir, c.opt)
		if err != nil || built != c.built {
			t.Fatalf("step %d: built %v, want %v (%v)", k, built, c.built, err)
		}
		if k == 3 && tc.Rows != 1 {
			t.Errorf("rebuilt from a 1-row file: %d rows", tc.Rows)
		}
	}
	_, _, err := CacheTable(path, dir, CSVOptions{Categorical: []string{"a"}})
	if err == nil || !strings.Contains(err.Error(), `column "a" is text`) || !strings.Contains(err.Error(), "--drop a") {
		t.Errorf("a text column: %v", err)
	}
	pq := filepath.Join("testdata", "parquet", "mixed.parquet")
	r, err := OpenParquet(pq, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	var drop []string
	for j, k := range h.Kinds {
		if k == Text {
			drop = append(drop, h.Names[j])
		}
	}
	r.Close()
	popt := CSVOptions{Drop: drop, Missing: MissingMean}
	want, err := ReadCSV(pq, popt)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(pq, OpenOptions{CSV: popt, TestFrac: 0.5}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.File.Rows != want.Rows || s.File.Cols != want.Cols {
		t.Errorf("parquet cache %d×%d, ReadCSV %d×%d", s.File.Rows, s.File.Cols, want.Rows, want.Cols)
	}
}
