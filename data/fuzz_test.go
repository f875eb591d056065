package data

// Fuzz targets for the readers of untrusted files. Their seed corpora in
// testdata/fuzz/<FuzzName>/ (and the f.Add seeds) run as ordinary tests;
// to search for new failures run one at a time, e.g.
//
//	go test -run '^$' -fuzz '^FuzzReadIDX$' -fuzztime 60s ./data
//
// and commit any input it writes to testdata/fuzz as a regression seed.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzReadIDX feeds arbitrary bytes to the IDX reader (gzip streams among
// them, from the gzipped seeds): it must return an error or dims whose
// product is the data's length.
func FuzzReadIDX(f *testing.F) {
	good := idxBytes(0x08, []int{3, 2, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add(good)
	f.Add(idxBytes(0x08, []int{4}, []byte{1, 2, 3, 4}))
	f.Add(idxBytes(0x08, []int{0, 28, 28}, nil))
	f.Add(idxBytes(0x08, []int{2, 3}, []byte{1, 2}))
	f.Add(idxBytes(0x0d, []int{1}, []byte{0, 0, 128, 63}))
	f.Add(idxBytes(0x08, []int{1 << 31, 1 << 31, 4}, nil))
	f.Add(good[:6])
	f.Add([]byte{0x1f, 0x8b})
	f.Add(gz(good))
	f.Add(gz(good)[:20])
	f.Fuzz(func(t *testing.T, b []byte) {
		dims, data, err := readIDX(bytes.NewReader(b))
		if err != nil {
			if dims != nil || data != nil {
				t.Fatalf("error %v with dims %v and %d bytes", err, dims, len(data))
			}
			return
		}
		n := 1
		for _, d := range dims {
			if d < 0 {
				t.Fatalf("negative dimension in %v", dims)
			}
			n *= d
		}
		if n != len(data) {
			t.Fatalf("dims %v hold %d values, data has %d", dims, n, len(data))
		}
	})
}

// FuzzLoadIDXPair fuzzes an image file and a label file together: a data
// set that loads must be consistent (rows, columns, pixels, labels).
func FuzzLoadIDXPair(f *testing.F) {
	f.Add(idxBytes(0x08, []int{2, 2, 3}, make([]byte, 12)), idxBytes(0x08, []int{2}, []byte{3, 7}))
	f.Add(idxBytes(0x08, []int{3, 4}, make([]byte, 12)), idxBytes(0x08, []int{3}, []byte{0, 1, 2}))
	f.Add(idxBytes(0x08, []int{2, 0, 3}, nil), idxBytes(0x08, []int{2}, []byte{1, 1}))
	f.Add(idxBytes(0x08, []int{2, 2, 3}, make([]byte, 12)), idxBytes(0x08, []int{3}, []byte{1, 1, 1}))
	dir := fuzzDir(f) // each fuzz worker is its own process with its own folder
	images, labels := filepath.Join(dir, "images"), filepath.Join(dir, "labels")
	f.Fuzz(func(t *testing.T, img, lab []byte) {
		if err := os.WriteFile(images, img, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(labels, lab, 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := LoadIDXPair(images, labels)
		if err != nil {
			if !strings.HasPrefix(err.Error(), images+": ") && !strings.HasPrefix(err.Error(), labels+": ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		switch {
		case d.Rows <= 0 || d.Cols <= 0:
			t.Fatalf("%d rows of %d columns", d.Rows, d.Cols)
		case len(d.Bytes) != d.Rows*d.Cols || len(d.Labels) != d.Rows:
			t.Fatalf("%d rows of %d columns in %d bytes with %d labels", d.Rows, d.Cols, len(d.Bytes), len(d.Labels))
		case d.Width*d.Height != 0 && d.Width*d.Height != d.Cols:
			t.Fatalf("%dx%d images of %d columns", d.Height, d.Width, d.Cols)
		}
		row := make([]float32, d.Cols)
		d.Row(d.Rows-1, row)
	})
}

// FuzzReadCSV feeds arbitrary text to the CSV reader under every header
// mode, separator and missing-value policy, a label column and a named
// categorical column (the bits of opts choose them): it returns an error
// naming the file, or a table of finite numbers whose shape, names, mask,
// schema and labels agree, which reads the same again through its schema
// (after a JSON round trip), and splits and normalises to finite numbers.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []struct {
		text, label string
		opts        uint8
	}{
		{"a,b,c\n1,2,3\n4,5,6\n", "", 0},
		{"a,b,label\n1,2,x\n4,5,y\n7,8,x\n", "label", 0},
		{"1,2,3\n4,5,6\n", "2", 2},
		{"\ufeffid, y ,x\n1,0,-1e-3\n2,3,5\n", "y", 0},
		{"a,b\n1,2\n3\n", "", 0},
		{"a,b\n1,NaN\n", "", 0},
		{"a,b\n1,\"2\n", "", 1},
		{"a,,c,\n1,2,3,\n", "", 0},
		{"x,y\n3e38,-3e38\n-3.4e38,3.4e38\n0,1e-45\n", "", 0},
		{"f,l\n1,-1\n2,1\n3,-1\n", "l", 0},
		{"f,l\n1,99999999999\n2,0\n", "1", 0},
		{"\n\n", "", 0},
		{"a;b;c\n1;NA;red\n;2;blue\n3;4;\n", "", 1<<2 | 0<<4},
		{"a;b;c\n1;NA;red\n;2;blue\n3;4;\n", "", 2<<2 | 0<<4},
		{"a\tb\n1\t\n?\tx\n", "", 2<<2 | 2<<4},
		{"a|b|k\n1|x|0\n2|y|1\nnull|x|0\n", "k", 3<<2 | 3<<4 | 1<<6},
		{"a,b\n1,2\n3,4\n", "", 1 << 6},
	} {
		f.Add([]byte(s.text), s.label, s.opts)
	}
	dir := fuzzDir(f)
	path := filepath.Join(dir, "fuzz.csv")
	f.Fuzz(func(t *testing.T, text []byte, label string, opts uint8) {
		if err := os.WriteFile(path, text, 0o644); err != nil {
			t.Fatal(err)
		}
		opt := CSVOptions{
			LabelCol: label,
			Header:   []string{"auto", "yes", "no", ""}[opts&3],
			Missing:  []string{"", MissingMean, MissingMask, MissingMask}[opts>>2&3],
			Sep:      []string{"", ";", "tab", "|"}[opts>>4&3],
		}
		if opts>>2&3 == 3 {
			opt.NAValues = []string{"x"}
		}
		if opts>>6&1 == 1 {
			opt.Categorical = []string{"a"}
		}
		d, err := ReadCSV(path, opt)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		switch {
		case d.Rows <= 0 || d.Cols <= 0:
			t.Fatalf("%d rows of %d columns", d.Rows, d.Cols)
		case len(d.Floats) != d.Rows*d.Cols || d.Bytes != nil:
			t.Fatalf("%d rows of %d columns in %d floats", d.Rows, d.Cols, len(d.Floats))
		case len(d.Columns) != d.Cols || d.Schema == nil || d.Schema.Width() != d.Cols:
			t.Fatalf("%d column names and schema %+v for %d columns", len(d.Columns), d.Schema, d.Cols)
		case (opt.Missing == MissingMask) != (d.Mask != nil) || d.Mask != nil && len(d.Mask) != len(d.Floats):
			t.Fatalf("missing %q but mask of %d", opt.Missing, len(d.Mask))
		case (label == "") != (d.Labels == nil):
			t.Fatalf("label column %q but labels %v", label, d.Labels)
		case d.Labels != nil && len(d.Labels) != d.Rows:
			t.Fatalf("%d labels for %d rows", len(d.Labels), d.Rows)
		case len(d.Warnings) != 0:
			t.Fatalf("warnings reading with the file's own categories: %q", d.Warnings)
		}
		for j, name := range d.Columns {
			if name == "" {
				t.Fatalf("column %d has no name", j)
			}
		}
		for i, v := range d.Floats {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("value %d is %v", i, v)
			}
		}
		for i, m := range d.Mask {
			if m > 1 {
				t.Fatalf("mask %d is %d", i, m)
			}
		}
		for i, l := range d.Labels {
			if l < 0 || l > maxIntLabel || d.Classes != nil && l >= len(d.Classes) {
				t.Fatalf("label %d is %d (%d classes)", i, l, len(d.Classes))
			}
		}
		js, err := json.Marshal(d.Schema)
		if err != nil {
			t.Fatalf("schema does not marshal: %v", err)
		}
		var s Schema
		if err := json.Unmarshal(js, &s); err != nil {
			t.Fatal(err)
		}
		opt.Schema, opt.Categorical = &s, nil
		again, err := ReadCSV(path, opt)
		if err != nil || !slices.Equal(again.Floats, d.Floats) || !slices.Equal(again.Mask, d.Mask) {
			t.Fatalf("re-read through the schema: %v", err)
		}
		if len(d.Schema.Decode(d.Floats[:d.Cols])) != len(s.Columns) {
			t.Fatal("Decode lost columns")
		}
		var mask []uint8
		if d.Mask != nil {
			mask = d.Mask[:d.Cols]
		}
		for j, e := range d.Schema.Errors(d.Floats[:d.Cols], d.Floats[:d.Cols], mask) {
			if !(e >= 0) && !(mask != nil && math.IsNaN(e)) || math.IsInf(e, 0) {
				t.Fatalf("error of column %d is %v", j, e)
			}
		}
		train, test := Split(d, 0.25, 1)
		if train.Rows+test.Rows != d.Rows {
			t.Fatalf("split %d rows into %d and %d", d.Rows, train.Rows, test.Rows)
		}
		for _, kind := range []string{"zscore", "minmax"} {
			n, err := FitNormalizer(kind, d)
			if err != nil {
				t.Fatal(err)
			}
			nd, err := n.Apply(d)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range nd.Floats {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					t.Fatalf("%s: normalised value %d is %v (from %v)", kind, i, v, d.Floats[i])
				}
			}
		}
	})
}

// FuzzReadNPY feeds arbitrary bytes to the .npy reader, as data and as
// labels: it returns an error, or rows whose shape and values agree (finite
// floats, or bytes) and labels that index their classes.
func FuzzReadNPY(f *testing.F) {
	for _, name := range []string{"x_f4.npy", "x_f8.npy", "x_v2.npy", "img_u1.npy", "y_i8.npy", "x_fortran.npy"} {
		b, err := os.ReadFile(filepath.Join("testdata", "npy", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)-3])
	}
	f.Add(npyBytes("|u1", []int{2, 2, 2, 1}, make([]byte, 8)))
	f.Add(npyBytes(">i2", []int{3}, []byte{0, 1, 255, 255, 0, 2}))
	f.Add(npyBytes("<f4", []int{1 << 40, 1 << 40}, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		streamed, serr := readNPY("fuzz", bytes.NewReader(b), int64(len(b)))
		a, err := parseNPY(b)
		if err != nil {
			if serr == nil {
				t.Fatalf("read streaming but not parsed: %v", err)
			}
			return
		}
		d, err := a.dataset("fuzz")
		if (err == nil) != (serr == nil) || err == nil && (!slices.Equal(d.Floats, streamed.Floats) || !slices.Equal(d.Bytes, streamed.Bytes)) {
			t.Fatalf("streaming read (%v) and parse (%v) differ", serr, err)
		}
		if err == nil {
			switch {
			case d.Rows <= 0 || d.Cols <= 0:
				t.Fatalf("%d rows of %d columns", d.Rows, d.Cols)
			case (d.Bytes == nil) == (d.Floats == nil):
				t.Fatal("want exactly one of bytes and floats")
			case len(d.Bytes)+len(d.Floats) != d.Rows*d.Cols:
				t.Fatalf("%d rows of %d columns in %d values", d.Rows, d.Cols, len(d.Bytes)+len(d.Floats))
			case d.Width*d.Height != 0 && d.Width*d.Height*max(d.Channels, 1) != d.Cols:
				t.Fatalf("%dx%dx%d images of %d columns", d.Height, d.Width, d.Channels, d.Cols)
			}
			for i, v := range d.Floats {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					t.Fatalf("value %d is %v", i, v)
				}
			}
		}
		if len(a.shape) > 0 {
			labels, classes, err := a.labels(a.shape[0])
			if err != nil {
				return
			}
			for i, l := range labels {
				if l < 0 || l > maxIntLabel || classes != nil && l >= len(classes) {
					t.Fatalf("label %d is %d (%d classes)", i, l, len(classes))
				}
			}
		}
	})
}

// FuzzReadImageDir feeds arbitrary bytes to the image folder reader as one
// file, read at its own size or resized, gray or RGB (the bits of opts):
// it returns an error naming the file, or one row of Width×Height×Channels
// bytes.
func FuzzReadImageDir(f *testing.F) {
	f.Add(pngBytes(f, 3, 2, 7), uint8(0))
	f.Add(pngBytes(f, 1, 1, 0), uint8(3))
	f.Add(pngBytes(f, 5, 5, 0)[:40], uint8(1))
	f.Add([]byte("\xff\xd8\xff\xe0 not a jpeg"), uint8(2))
	dir := fuzzDir(f)
	path := filepath.Join(dir, "x.png")
	f.Fuzz(func(t *testing.T, b []byte, opts uint8) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		opt := ImageOptions{Channels: []int{1, 3}[opts&1]}
		if opts&2 != 0 {
			opt.Width, opt.Height = 4, 3
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil && cfg.Width*cfg.Height > 1<<20 {
			return // fast fuzzing: the reader decodes up to maxImagePixels
		}
		d, err := ReadImageDir(dir, opt)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if d.Rows != 1 || d.Cols != d.Width*d.Height*opt.Channels || len(d.Bytes) != d.Cols || opt.Width != 0 && d.Width != 4 {
			t.Fatalf("%d rows of %d columns (%dx%d, %d channels) in %d bytes", d.Rows, d.Cols, d.Width, d.Height, opt.Channels, len(d.Bytes))
		}
	})
}

// gz compresses b (gzipBytes needs a *testing.T).
func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// fuzzDir is a new folder for the files a fuzz target writes for each
// input: on tmpfs (/dev/shm) where there is one, since rewriting a small
// file on ext4 costs milliseconds (a truncated file is flushed on close).
func fuzzDir(f *testing.F) string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "wgml-fuzz-"); err == nil {
			f.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return f.TempDir()
}
