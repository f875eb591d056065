package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// npyBytes encodes a .npy file (format 1.0) of dtype descr and shape
// holding data, as NumPy's np.save writes it; for tests and examples.
func npyBytes(descr string, shape []int, data []byte) []byte {
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, npyShape(shape))
	if len(shape) == 0 {
		h = fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (), }", descr)
	}
	pad := 64 - (len(npyMagic)+4+len(h)+1)%64
	h += strings.Repeat(" ", pad%64) + "\n"
	var buf bytes.Buffer
	buf.WriteString(npyMagic)
	buf.Write([]byte{1, 0})
	binary.Write(&buf, binary.LittleEndian, uint16(len(h)))
	buf.WriteString(h)
	buf.Write(data)
	return buf.Bytes()
}

// le encodes values little-endian.
func le(values ...any) []byte {
	var buf bytes.Buffer
	for _, v := range values {
		binary.Write(&buf, binary.LittleEndian, v)
	}
	return buf.Bytes()
}

func TestReadNPY(t *testing.T) {
	dir := t.TempDir()
	f32 := writeFile(t, dir, "f32.npy", npyBytes("<f4", []int{2, 3}, le([]float32{1, 2, 3, 4, 5, -6})))
	d, err := ReadNPY(f32)
	if err != nil || d.Rows != 2 || d.Cols != 3 || !slices.Equal(d.Floats, []float32{1, 2, 3, 4, 5, -6}) || d.Width != 0 {
		t.Fatalf("float32: %v %+v", err, d)
	}
	f64 := writeFile(t, dir, "f64.npy", npyBytes("<f8", []int{3}, le([]float64{0.5, 1e-300, -2})))
	if d, err := ReadNPY(f64); err != nil || d.Rows != 3 || d.Cols != 1 || !slices.Equal(d.Floats, []float32{0.5, 1e-300, -2}) {
		t.Fatalf("float64: %v %+v", err, d)
	}
	be := writeFile(t, dir, "be.npy", npyBytes(">f4", []int{1, 1}, []byte{0x3f, 0x80, 0, 0}))
	if d, err := ReadNPY(be); err != nil || d.Floats[0] != 1 {
		t.Fatalf("big-endian: %v %+v", err, d)
	}
	u8 := writeFile(t, dir, "u8.npy", npyBytes("|u1", []int{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}))
	if d, err := ReadNPY(u8); err != nil || d.Rows != 2 || d.Cols != 6 || d.Height != 2 || d.Width != 3 || d.Bytes[11] != 255 {
		t.Fatalf("uint8 images: %v %+v", err, d)
	}
	rgb := writeFile(t, dir, "rgb.npy", npyBytes("|u1", []int{1, 2, 2, 3}, make([]byte, 12)))
	if d, err := ReadNPY(rgb); err != nil || d.Cols != 12 || d.Channels != 3 || d.Width != 2 {
		t.Fatalf("rgb: %v %+v", err, d)
	}
	labels := writeFile(t, dir, "y.npy", npyBytes("<i8", []int{2}, le([]int64{7, 3})))
	if l, c, err := ReadNPYLabels(labels, 2); err != nil || !slices.Equal(l, []int{7, 3}) || c != nil {
		t.Fatalf("labels: %v %v %v", l, c, err)
	}
	signed := writeFile(t, dir, "s.npy", npyBytes("<i4", []int{3, 1}, le([]int32{-1, 1, -1})))
	if l, c, err := ReadNPYLabels(signed, 3); err != nil || !slices.Equal(l, []int{0, 1, 0}) || !slices.Equal(c, []string{"-1", "1"}) {
		t.Fatalf("-1/1 labels: %v %v %v", l, c, err)
	}

	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"magic", []byte("PK\x03\x04 not numpy"), "not a NumPy .npy file"},
		{"version", append([]byte(npyMagic), 9, 0, 0, 0), ".npy format version 9.0 is not supported"},
		{"cut header", npyBytes("<f4", []int{1}, nil)[:20], "file ends inside the .npy header"},
		{"dtype", npyBytes("<c8", []int{1}, make([]byte, 8)), "dtype '<c8' is not supported"},
		{"object", npyBytes("|O", []int{1}, make([]byte, 8)), "dtype '|O' is not supported"},
		{"int data", npyBytes("<i4", []int{1}, make([]byte, 4)), "dtype '<i4': want float32, float64 or uint8 data"},
		{"fortran", bytes.Replace(npyBytes("<f4", []int{2, 2}, make([]byte, 16)), []byte("False"), []byte("True "), 1), "arrays in Fortran order are not supported"},
		{"short data", npyBytes("<f4", []int{2, 3}, make([]byte, 20)), "shape (2, 3) of '<f4' needs 24 bytes of data, the file has 20"},
		{"huge", npyBytes("<f8", []int{1 << 31, 1 << 31, 1 << 31}, nil), "is too large"},
		{"scalar", npyBytes("<f4", nil, make([]byte, 4)), "a scalar, want an array of rows"},
		{"no rows", npyBytes("<f4", []int{0, 3}, nil), "no rows"},
		{"nan", npyBytes("<f4", []int{1, 2}, le([]float32{1, float32(math.NaN())})), "row 0, value 1 is NaN, want a finite float32"},
		{"f32 overflow", npyBytes("<f8", []int{1}, le([]float64{1e300})), "value 0 is 1e+300, want a finite float32"},
		{"garbage header", append([]byte(npyMagic+"\x01\x00\x05\x00"), "{'a':"...), ".npy header"},
	} {
		path := writeFile(t, dir, "bad.npy", c.b)
		_, err := ReadNPY(path)
		wantErr(t, err, path+": ", c.want)
	}
	_, _, err = ReadNPYLabels(labels, 3)
	wantErr(t, err, labels+": 2 labels for 3 rows")
	_, _, err = ReadNPYLabels(u8, 2)
	wantErr(t, err, u8+": shape (2, 2, 3), want a vector of labels")
	frac := writeFile(t, dir, "frac.npy", npyBytes("<f4", []int{1}, le([]float32{0.5})))
	_, _, err = ReadNPYLabels(frac, 1)
	wantErr(t, err, frac+": label 0 is 0.5, want an integer")
}

// TestReadNPYFromNumPy reads files that NumPy 1.24's np.save wrote (see
// testdata/npy/README.md).
func TestReadNPYFromNumPy(t *testing.T) {
	want := make([]float32, 12)
	for i := range want {
		want[i] = float32(i)/4 - 1
	}
	for _, name := range []string{"x_f4.npy", "x_f8.npy", "x_v2.npy"} {
		d, err := ReadNPY("testdata/npy/" + name)
		if err != nil || d.Rows != 3 || d.Cols != 4 || !slices.Equal(d.Floats, want) {
			t.Errorf("%s: %v %+v", name, err, d)
		}
	}
	d, err := ReadNPY("testdata/npy/img_u1.npy")
	if err != nil || d.Rows != 2 || d.Cols != 18 || d.Height != 3 || d.Width != 2 || d.Channels != 3 || d.Bytes[17] != 17 || d.Bytes[35] != 35 {
		t.Errorf("img_u1.npy: %v %+v", err, d)
	}
	if l, _, err := ReadNPYLabels("testdata/npy/y_i8.npy", 3); err != nil || !slices.Equal(l, []int{2, 0, 1}) {
		t.Errorf("y_i8.npy: %v %v", l, err)
	}
	_, err = ReadNPY("testdata/npy/x_fortran.npy")
	wantErr(t, err, "x_fortran.npy: .npy header: arrays in Fortran order are not supported")
}

// TestReadNPYDtypes reads NumPy's files of every dtype and byte order the
// reader accepts (scripts/npy-fixtures.py): the committed set in
// testdata/npy/numpy and, where /usr/bin/python3 has NumPy, a fresh one.
func TestReadNPYDtypes(t *testing.T) {
	dirs := []string{"testdata/npy/numpy"}
	fresh := t.TempDir()
	if exec.Command("/usr/bin/python3", "../scripts/npy-fixtures.py", fresh).Run() == nil {
		dirs = append(dirs, fresh)
	}
	x := make([]float32, 12)
	for i := range x {
		x[i] = float32(i)/4 - 1
	}
	img := make([]uint8, 24)
	for i := range img {
		img[i] = uint8(i * 10 % 256)
	}
	for _, dir := range dirs {
		for _, name := range []string{"x_lef4.npy", "x_bef4.npy", "x_nat_f4.npy", "x_lef8.npy", "x_bef8.npy"} {
			d, err := ReadNPY(filepath.Join(dir, name))
			if err != nil || d.Rows != 3 || d.Cols != 4 || !slices.Equal(d.Floats, x) {
				t.Errorf("%s/%s: %v %+v", dir, name, err, d)
			}
		}
		for _, name := range []string{"img_u1_nhw1.npy", "img_u1_nhw.npy"} {
			d, err := ReadNPY(filepath.Join(dir, name))
			if err != nil || d.Rows != 2 || d.Cols != 12 || d.Height != 3 || d.Width != 4 || !slices.Equal(d.Bytes, img) ||
				(d.Channels == 1) != strings.Contains(name, "nhw1") {
				t.Errorf("%s/%s: %v %+v", dir, name, err, d)
			}
		}
		for _, name := range []string{"y_i1.npy", "y_i2_be.npy", "y_i4.npy", "y_i8.npy"} {
			// Negative labels make class names, numbered by first appearance.
			l, classes, err := ReadNPYLabels(filepath.Join(dir, name), 3)
			if err != nil || !slices.Equal(l, []int{0, 1, 2}) || !slices.Equal(classes, []string{"-3", "0", "5"}) {
				t.Errorf("%s/%s: %v %v %v", dir, name, l, classes, err)
			}
		}
		for _, name := range []string{"z_u2.npy", "z_u4_be.npy", "z_f8.npy"} {
			l, classes, err := ReadNPYLabels(filepath.Join(dir, name), 3)
			if err != nil || !slices.Equal(l, []int{0, 7, 2}) || classes != nil {
				t.Errorf("%s/%s: %v %v %v", dir, name, l, classes, err)
			}
		}
	}
	if len(dirs) == 1 {
		t.Log("no NumPy: read the committed files only")
	}
}
