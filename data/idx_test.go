package data

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

func TestReadIDXRawAndGzip(t *testing.T) {
	dir := t.TempDir()
	pix := []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}
	raw := idxBytes(0x08, []int{2, 2, 3}, pix)
	// gzip is recognised by its magic bytes, not by the file name.
	for _, path := range []string{
		writeFile(t, dir, "raw", raw),
		writeFile(t, dir, "raw-named.gz", raw),
		writeFile(t, dir, "gz.gz", gzipBytes(t, raw)),
		writeFile(t, dir, "gz-named-raw", gzipBytes(t, raw)),
	} {
		dims, data, err := ReadIDX(path)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(dims, []int{2, 2, 3}) || !slices.Equal(data, pix) {
			t.Errorf("%s: got dims %v data %v", filepath.Base(path), dims, data)
		}
	}
}

func TestReadIDXErrors(t *testing.T) {
	dir := t.TempDir()
	good := idxBytes(0x08, []int{60, 28, 28}, make([]byte, 60*28*28))
	gz := gzipBytes(t, good)
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"magic", []byte{0x12, 0x34, 0xab, 0xcd, 0, 0, 0, 1}, "not an IDX file (magic 0x1234abcd)"},
		{"zero-dims", []byte{0, 0, 8, 0}, "not an IDX file (magic 0x00000800)"},
		{"float32", idxBytes(0x0d, []int{1}, make([]byte, 4)), "IDX data type 0x0d (float32) is not supported, only unsigned bytes (0x08)"},
		{"unknown-type", idxBytes(0x42, []int{1}, []byte{1}), "IDX data type 0x42 (unknown)"},
		{"short", idxBytes(0x08, []int{60, 28, 28}, make([]byte, 1234)), "header says 60x28x28 = 47040 bytes, file has 1234"},
		{"long", idxBytes(0x08, []int{2, 3}, make([]byte, 10)), "header says 2x3 = 6 bytes, file has 10"},
		{"short-gz", gzipBytes(t, idxBytes(0x08, []int{3}, []byte{1})), "header says 3 = 3 bytes, file has 1"},
		{"empty", nil, "file ends inside the IDX header"},
		{"short-header", []byte{0, 0, 8, 3, 0, 0}, "file ends inside the IDX header"},
		{"huge", idxBytes(0x08, []int{1 << 31, 1 << 31, 1 << 31}, nil), "header says 2147483648x2147483648x2147483648, too large"},
		{"truncated-gz", gz[:len(gz)/2], "truncated or corrupt data: unexpected EOF"},
		{"gz-no-crc", gz[:len(gz)-4], "truncated or corrupt data: unexpected EOF"},
		{"gz-bad-header", []byte{0x1f, 0x8b, 0}, "bad gzip data"},
	}
	for _, c := range cases {
		path := writeFile(t, dir, c.name+".idx", c.file)
		_, _, err := ReadIDX(path)
		wantErr(t, err, path+": "+c.want)
	}
	_, _, err := ReadIDX(filepath.Join(dir, "missing"))
	wantErr(t, err, "missing: no such file")
}

func TestLoadIDXPair(t *testing.T) {
	dir := t.TempDir()
	images := writeFile(t, dir, "img", idxBytes(8, []int{3, 1, 2}, []byte{0, 255, 1, 2, 3, 4}))
	labels := writeFile(t, dir, "lab.gz", gzipBytes(t, idxBytes(8, []int{3}, []byte{7, 0, 255})))
	d, err := LoadIDXPair(images, labels)
	if err != nil {
		t.Fatal(err)
	}
	if d.Rows != 3 || d.Cols != 2 || d.Width != 2 || d.Height != 1 || !slices.Equal(d.Labels, []int{7, 0, 255}) {
		t.Errorf("got %+v", d)
	}
	flat := writeFile(t, dir, "flat", idxBytes(8, []int{3, 2}, make([]byte, 6)))
	if d, err := LoadIDXPair(flat, labels); err != nil || d.Cols != 2 || d.Width != 0 {
		t.Errorf("flat rows: %+v, %v", d, err)
	}

	fewer := writeFile(t, dir, "fewer", idxBytes(8, []int{2}, []byte{1, 2}))
	_, err = LoadIDXPair(images, fewer)
	wantErr(t, err, fmt.Sprintf("%s: 2 labels for 3 images in %s", fewer, images))
	_, err = LoadIDXPair(labels, labels)
	wantErr(t, err, labels+": 1-dimensional, want images")
	_, err = LoadIDXPair(images, images)
	wantErr(t, err, images+": 3-dimensional, want a vector of labels")
	none := writeFile(t, dir, "none", idxBytes(8, []int{0, 28, 28}, nil))
	_, err = LoadIDXPair(none, labels)
	wantErr(t, err, none+": no images")
	_, err = LoadIDXPair(images, filepath.Join(dir, "nolabels"))
	wantErr(t, err, "nolabels: no such file")
}
