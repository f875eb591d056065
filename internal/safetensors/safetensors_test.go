package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// stTestTensors are tensors of odd shapes, a scalar and an empty one among
// them, with values that must survive bit for bit.
func stTestTensors() []Tensor {
	seq := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(i)*0.37 - 5
		}
		return v
	}
	return []Tensor{
		{Name: "enc.0.weight", Shape: []int{7, 13}, Data: seq(91)},
		{Name: "enc.0.bias", Shape: []int{7}, Data: seq(7)},
		{Name: "step", Shape: []int{}, Data: []float32{42}},
		{Name: "empty", Shape: []int{0, 4}, Data: []float32{}},
		{Name: "odd", Shape: []int{1, 3, 1, 2}, Data: []float32{
			float32(math.Inf(-1)), math.SmallestNonzeroFloat32, -0, math.MaxFloat32,
			float32(math.NaN()), math.Float32frombits(0x7fc00001)}},
		{Name: "A", Shape: []int{1}, Data: []float32{1}},
	}
}

// stTestFile writes stTestTensors to a file in a new directory and returns
// its path and contents.
func stTestFile(t testing.TB) (string, []byte) {
	path := filepath.Join(t.TempDir(), "ckpt.safetensors")
	meta := map[string]string{"config": `{"layers":[784,256,2]}`, "note": "ünïcode \"quoted\"\n"}
	if err := Write(path, stTestTensors(), meta); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, b
}

func TestSafetensorsRoundTrip(t *testing.T) {
	path, b := stTestFile(t)
	tensors, meta, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"config": `{"layers":[784,256,2]}`, "note": "ünïcode \"quoted\"\n"}; !reflect.DeepEqual(meta, want) {
		t.Errorf("metadata %q, want %q", meta, want)
	}
	want := stTestTensors()
	if len(tensors) != len(want) {
		t.Errorf("%d tensors, want %d", len(tensors), len(want))
	}
	for _, w := range want {
		got, ok := tensors[w.Name]
		if !ok {
			t.Errorf("tensor %q missing", w.Name)
			continue
		}
		if got.Name != w.Name || !reflect.DeepEqual(got.Shape, w.Shape) || len(got.Data) != len(w.Data) {
			t.Errorf("tensor %q: got %q shape %v with %d values, want shape %v with %d",
				w.Name, got.Name, got.Shape, len(got.Data), w.Shape, len(w.Data))
			continue
		}
		for i := range w.Data {
			if math.Float32bits(got.Data[i]) != math.Float32bits(w.Data[i]) {
				t.Errorf("tensor %q [%d] = %x, want %x", w.Name, i, math.Float32bits(got.Data[i]), math.Float32bits(w.Data[i]))
			}
		}
	}

	// The data starts 8-byte aligned, and lies in the order given.
	n := binary.LittleEndian.Uint64(b)
	if (8+n)%8 != 0 {
		t.Errorf("data starts at byte %d, want a multiple of 8", 8+n)
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &header); err != nil {
		t.Fatal(err)
	}
	var end int64
	for _, w := range want {
		var info stInfo
		if err := json.Unmarshal(header[w.Name], &info); err != nil {
			t.Fatal(err)
		}
		if info.DataOffsets[0] != end {
			t.Errorf("tensor %q begins at %d, want %d", w.Name, info.DataOffsets[0], end)
		}
		end = info.DataOffsets[1]
	}
}

// TestSafetensorsBytes pins the exact layout of a small file.
func TestSafetensorsBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.safetensors")
	if err := Write(path, []Tensor{{Name: "a", Shape: []int{2}, Data: []float32{1, -2}}}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	header := `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}  ` // 54 bytes + 2 spaces
	want := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	want = append(want, header...)
	want = append(want, 0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0) // 1.0, -2.0
	if !bytes.Equal(got, want) {
		t.Errorf("file bytes\n%q\nwant\n%q", got, want)
	}
}

func TestSafetensorsEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.safetensors")
	if err := Write(path, nil, nil); err != nil {
		t.Fatal(err)
	}
	tensors, meta, err := Read(path)
	if err != nil || len(tensors) != 0 || meta == nil || len(meta) != 0 {
		t.Errorf("got %v, %v, %v; want no tensors, empty metadata", tensors, meta, err)
	}
}

func TestSafetensorsWriteErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.safetensors")
	ok := Tensor{Name: "w", Shape: []int{2}, Data: []float32{1, 2}}
	for name, tensors := range map[string][]Tensor{
		"duplicate name": {ok, ok},
		"empty name":     {{Shape: []int{1}, Data: []float32{1}}},
		"reserved name":  {{Name: "__metadata__", Shape: []int{1}, Data: []float32{1}}},
		"short shape":    {{Name: "w", Shape: []int{3}, Data: []float32{1, 2}}},
		"long shape":     {{Name: "w", Shape: []int{1}, Data: []float32{1, 2}}},
		"negative dim":   {{Name: "w", Shape: []int{-1, -2}, Data: []float32{1, 2}}},
		"huge dims":      {{Name: "w", Shape: []int{1 << 40, 1 << 40, 0}, Data: []float32{1, 2}}},
		"scalar no data": {{Name: "w", Shape: []int{}, Data: nil}},
	} {
		err := Write(path, tensors, nil)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming %s", name, err, path)
		}
	}
	if err := Write(filepath.Join(dir, "no", "such.safetensors"), []Tensor{ok}, nil); err == nil {
		t.Error("missing directory: no error")
	}
	stOnlyFiles(t, dir)
}

// stOnlyFiles checks that dir holds exactly the named files.
func stOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("directory holds %q, want %q", got, names)
	}
}

func TestSafetensorsReplace(t *testing.T) {
	path, _ := stTestFile(t)
	next := []Tensor{{Name: "only", Shape: []int{1, 1}, Data: []float32{3}}}
	if err := Write(path, next, map[string]string{"step": "2"}); err != nil {
		t.Fatal(err)
	}
	tensors, meta, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(tensors) != 1 || tensors["only"].Data[0] != 3 || meta["step"] != "2" {
		t.Errorf("after the rewrite: %v, %v; want the new file", tensors, meta)
	}
	stOnlyFiles(t, filepath.Dir(path), "ckpt.safetensors")

	// A failed write leaves the old file as it was.
	if err := Write(path, append(next, next...), nil); err == nil {
		t.Fatal("duplicate name: no error")
	}
	if _, _, err := Read(path); err != nil {
		t.Errorf("after a failed write: %v", err)
	}
	stOnlyFiles(t, filepath.Dir(path), "ckpt.safetensors")
}

// stRaw builds a file from a header string and n data bytes.
func stRaw(header string, n int) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), make([]byte, n)...)
}

func TestSafetensorsCorrupt(t *testing.T) {
	_, valid := stTestFile(t)
	n := int(binary.LittleEndian.Uint64(valid))
	withLength := func(l uint64) []byte {
		b := bytes.Clone(valid)
		binary.LittleEndian.PutUint64(b, l)
		return b
	}
	cases := []struct {
		name string
		file []byte
		want string // in the error
	}{
		{"empty file", nil, "truncated"},
		{"cut in the length", valid[:5], "truncated"},
		{"cut after the length", valid[:8], "truncated"},
		{"cut in the header", valid[:8+n/2], "truncated"},
		{"cut after the header", valid[:8+n], "truncated: header says 424 data bytes, file has 0"},
		{"cut in the data", valid[:8+n+3], "truncated: header says 424 data bytes, file has 3"},
		{"cut one byte short", valid[:len(valid)-1], "truncated"},
		{"trailing bytes", append(bytes.Clone(valid), 0, 0, 0, 0), "4 trailing bytes"},
		{"huge header length", withLength(1 << 62), "exceeds"},
		{"header length over 100 MiB", withLength(100<<20 + 1), "exceeds"},
		{"header length past the end", withLength(uint64(len(valid) - 7)), "truncated"},
		{"header length short", withLength(uint64(n - 8)), "header"},
		{"bad JSON", stRaw(`{"a":`, 0), "header"},
		{"JSON array", stRaw(`[]`, 0), "header"},
		{"JSON null", stRaw(`null`, 0), "header"},
		{"entry not an object", stRaw(`{"a":3}`, 0), `tensor "a"`},
		{"wrong dtype", stRaw(`{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, 4), `dtype "F16", want F32`},
		{"no dtype", stRaw(`{"a":{"shape":[1],"data_offsets":[0,4]}}`, 4), "dtype"},
		{"no shape", stRaw(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, 4), "no shape"},
		{"unknown field", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, 4), "unknown field"},
		{"one offset", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4]}}`, 4), "data_offsets"},
		{"no offsets", stRaw(`{"a":{"dtype":"F32","shape":[1]}}`, 4), "data_offsets"},
		{"reversed offsets", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}`, 4), "not a byte range"},
		{"negative offset", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`, 4), "not a byte range"},
		{"offset past the data", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[1000000,1000004]}}`, 4), "belong to no tensor"},
		{"end past the data", stRaw(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}`, 4), "truncated: header says 12 data bytes, file has 4"},
		{"offset overflow", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}}`, 4), "data_offsets"},
		{"shape too small", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}`, 8), "does not match"},
		{"shape too big", stRaw(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, 8), "does not match"},
		{"odd byte count", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,5]}}`, 5), "does not match"},
		{"negative dim", stRaw(`{"a":{"dtype":"F32","shape":[-1,-2],"data_offsets":[0,8]}}`, 8), "does not match"},
		{"overflowing dims", stRaw(`{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}`, 8), "does not match"},
		{"overlap", stRaw(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, 12), "overlap"},
		{"gap", stRaw(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, 12), "belong to no tensor"},
		{"metadata not strings", stRaw(`{"__metadata__":{"step":3}}`, 0), "__metadata__"},
		{"metadata not an object", stRaw(`{"__metadata__":"x"}`, 0), "__metadata__"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		path := filepath.Join(dir, "ckpt.safetensors")
		if err := os.WriteFile(path, c.file, 0o644); err != nil {
			t.Fatal(err)
		}
		tensors, _, err := Read(path)
		switch {
		case err == nil:
			t.Errorf("%s: no error, read %d tensors", c.name, len(tensors))
		case !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: error %q, want one naming the file and saying %q", c.name, err, c.want)
		}
	}
	if _, _, err := Read(filepath.Join(dir, "missing.safetensors")); err == nil {
		t.Error("missing file: no error")
	}
}

func FuzzReadSafetensors(f *testing.F) {
	// A small valid file keeps the minimisation of interesting inputs quick.
	dir := f.TempDir()
	path := filepath.Join(dir, "fuzz.safetensors") // each fuzz worker is its own process
	small := []Tensor{{Name: "w", Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}, {Name: "s", Shape: []int{}, Data: []float32{7}}}
	if err := Write(path, small, map[string]string{"k": "v"}); err != nil {
		f.Fatal(err)
	}
	valid, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	n := int(binary.LittleEndian.Uint64(valid))
	f.Add(valid)
	f.Add(valid[:8+n])
	f.Add(valid[:len(valid)-3])
	f.Add(append(bytes.Clone(valid), 1, 2, 3))
	for _, i := range []int{0, 7, 9, 8 + n/2, 8 + n - 1, 8 + n} {
		b := bytes.Clone(valid)
		b[i] ^= 0x55
		f.Add(b)
	}
	f.Add(stRaw(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, 12))
	f.Add(stRaw(`{"__metadata__":{"a":"b"},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`, 4))
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		Read(path) // must not panic; errors are expected
	})
}
