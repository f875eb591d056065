package data

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTestNPY writes a rows×cols float32 .npy whose value (i, j) is
// i + j/100 and returns its path.
func writeTestNPY(t *testing.T, rows, cols int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.npy")
	if err := WriteNPY(path, rows, cols, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = float32(i) + float32(j)/100
		}
	}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestNPYStreamReadsWhatReadNPYReads reads every file of testdata/npy that
// ReadNPY accepts as data, and one WriteNPY wrote, in pieces of odd row
// counts: the same rows as ReadNPY's, as float32.
func TestNPYStreamReadsWhatReadNPYReads(t *testing.T) {
	paths := []string{writeTestNPY(t, 23, 5)}
	for _, name := range []string{"x_f4.npy", "x_f8.npy", "x_v2.npy", "img_u1.npy"} {
		paths = append(paths, filepath.Join("testdata", "npy", name))
	}
	for _, path := range paths {
		d, err := ReadNPY(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := OpenNPYStream(path)
		if err != nil {
			t.Fatal(err)
		}
		if s.Rows != d.Rows || s.Cols != d.Cols {
			t.Fatalf("%s: stream of %d×%d, ReadNPY %d×%d", path, s.Rows, s.Cols, d.Rows, d.Cols)
		}
		want := make([]float32, d.Cols)
		for first := 0; first < d.Rows; first += 3 {
			n := min(3, d.Rows-first)
			got := make([]float32, n*d.Cols)
			if err := s.ReadRows(got, first, n); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				d.Row(first+i, want)
				if !slices.Equal(got[i*d.Cols:(i+1)*d.Cols], want) {
					t.Fatalf("%s: row %d is %v, want %v", path, first+i, got[i*d.Cols:(i+1)*d.Cols], want)
				}
			}
		}
		s.Close()
	}
}

// TestNPYStreamBadFile: a file that shrinks or disappears after opening,
// and rows outside the file, give one error naming the file and the rows.
func TestNPYStreamBadFile(t *testing.T) {
	path := writeTestNPY(t, 40, 3)
	s, err := OpenNPYStream(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dst := make([]float32, 10*3)
	if err := s.ReadRows(dst, 35, 10); err == nil || !strings.Contains(err.Error(), "rows 35 to 44 of 40") {
		t.Errorf("rows past the end: %v", err)
	}
	st, _ := os.Stat(path)
	if err := os.Truncate(path, st.Size()-12); err != nil {
		t.Fatal(err)
	}
	if err := s.ReadRows(dst, 30, 10); err == nil || !strings.Contains(err.Error(), path+": reading rows 30 to 39: the file shrank") {
		t.Errorf("a file that shrank: %v", err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := s.ReadRows(dst, 0, 10); err == nil || !strings.Contains(err.Error(), "disappeared") {
		t.Errorf("a file that disappeared: %v", err)
	}
	if _, err := OpenNPYStream(path); err == nil {
		t.Error("opened a missing file")
	}
}

// FuzzNPYStream feeds arbitrary bytes to OpenNPYStream and reads every row:
// an error, or rows of finite values, never a panic.
func FuzzNPYStream(f *testing.F) {
	for _, name := range []string{"x_f4.npy", "x_f8.npy", "x_v2.npy", "img_u1.npy", "x_fortran.npy"} {
		b, err := os.ReadFile(filepath.Join("testdata", "npy", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)-3])
	}
	f.Add(npyBytes("<f4", []int{1 << 40, 1 << 40}, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "f.npy")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := OpenNPYStream(path)
		if err != nil {
			return
		}
		defer s.Close()
		if s.Rows <= 0 || s.Cols <= 0 {
			t.Fatalf("%d rows of %d columns", s.Rows, s.Cols)
		}
		if s.Rows*s.Cols > 1<<20 {
			return
		}
		dst := make([]float32, s.Rows*s.Cols)
		if err := s.ReadRows(dst, 0, s.Rows); err != nil && !strings.Contains(err.Error(), "finite") {
			t.Fatalf("a file that opened fails to read: %v", err)
		}
	})
}

// TestNPYStreamNormalizer fits zscore and minmax normalisers in one pass
// over a stream (in pieces of npyFitRows rows: the file has more) and
// compares them with FitNormalizer on the rows in memory; ReadRows through
// a normaliser returns Apply's rows exactly.
func TestNPYStreamNormalizer(t *testing.T) {
	rows := npyFitRows + 37
	path := filepath.Join(t.TempDir(), "x.npy")
	if err := WriteNPY(path, rows, 4, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = float32((i*7919+j*104729)%1000)/10 + float32(j*j) // column j: 0..99.9 + j²
		}
		dst[3] = 5 // a constant column
	}); err != nil {
		t.Fatal(err)
	}
	d, err := ReadNPY(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenNPYStream(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, kind := range []string{"zscore", "minmax"} {
		want, err := FitNormalizer(kind, d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FitNormalizer(kind)
		if err != nil {
			t.Fatal(err)
		}
		for j := range want.Offset {
			if math.Abs(float64(got.Offset[j]-want.Offset[j])) > 1e-5*math.Abs(float64(want.Offset[j])) ||
				math.Abs(float64(got.Scale[j]-want.Scale[j])) > 1e-5*math.Abs(float64(want.Scale[j])) {
				t.Errorf("%s column %d: offset %v scale %v, in memory %v %v", kind, j, got.Offset[j], got.Scale[j], want.Offset[j], want.Scale[j])
			}
		}
		nd, err := want.Apply(d)
		if err != nil {
			t.Fatal(err)
		}
		s.Normalize = want
		row := make([]float32, 3*4)
		if err := s.ReadRows(row, rows-3, 3); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(row, nd.Floats[(rows-3)*4:]) {
			t.Errorf("%s: normalised rows %v, Apply's %v", kind, row, nd.Floats[(rows-3)*4:])
		}
	}
	if _, err := s.FitNormalizer("robust"); err == nil {
		t.Error("an unknown normaliser kind was accepted")
	}
}
