package serve

import (
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"
)

// FuzzDecodeJSON: the request decoder never panics; what it accepts is
// valid JSON whose rows all have the width asked for, of finite values
// equal to encoding/json's reading of them.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"rows": [[1, 2, 3]]}`, `{"rows": [[1e-3, -2, 3.5], [0, 0, 0]], "per_feature": true}`,
		`{"rows": [[1, 2]]}`, `{"rows": []}`, `{"rows": [[1, "a", 3]]}`, `{"rows": [[1, null, 3]]}`, `{"rows": [[1, 2, 1e39]]}`,
		`{"rows": [[1, 2, 3]]`, `[]`, `{"rows": [[1, 2, 3]], "x": 1}`, `{"rows": [{"a": 1}]}`, `{"per_feature": 1}`, ``, `{"rows": [[1, 2, 3]]} 7`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		const width = 3
		req, err := decodeJSON(strings.NewReader(body), width)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a multi-line error: %q", err)
			}
			return
		}
		var ref struct {
			Rows [][]float64 `json:"rows"`
		}
		if err := json.Unmarshal([]byte(body), &ref); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", body, err)
		}
		d := req.rows
		if d.Rows == 0 || d.Rows != len(ref.Rows) || d.Cols != width || len(d.Floats) != d.Rows*width {
			t.Fatalf("%q: %d rows of %d, %d values; encoding/json reads %d rows", body, d.Rows, d.Cols, len(d.Floats), len(ref.Rows))
		}
		for i, row := range ref.Rows {
			for j, v := range row {
				got := d.Floats[i*width+j]
				if got != float32(v) || math.IsInf(float64(got), 0) {
					t.Fatalf("%q: row %d, column %d: %v, encoding/json reads %v", body, i, j, got, v)
				}
			}
		}
	})
}

// BenchmarkDecodeJSON decodes a request of one MNIST-sized row (784
// values, most of them 0, as pixels in [0,1] are sent).
func BenchmarkDecodeJSON(b *testing.B) {
	row := make([]float64, 784)
	for j := range row {
		if j%5 == 0 {
			row[j] = float64(float32(j%255) * float32(1.0/255))
		}
	}
	body, _ := json.Marshal(map[string]any{"rows": [][]float64{row}})
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeJSON(strings.NewReader(string(body)), len(row)); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecodeCSV: the CSV body decoder (the iris model's schema, masked
// missing values) never panics, answers one-line errors that name the body
// and not the file it passes through, and accepts only rows of the model's
// width with a mask entry per value.
func FuzzDecodeCSV(f *testing.F) {
	s, err := New(fitIris(f, f.TempDir()), nil, Config{}, io.Discard)
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	m := s.model.Load()
	const header = "sepal_length;sepal_width;petal_length;petal_width;species\n"
	for _, body := range []string{header + "5.1;3.5;1.4;0.2;setosa\n", header + ";NA;?;0.2;tulip\n", header + "5.1;abc;1.4;0.2;setosa\n",
		"a;b\n1;2\n", "", header, header + "1;2;3\n", "\xff\xfe;\x00\n1;2\n"} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := s.decodeCSV(strings.NewReader(body), m)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || strings.Contains(msg, s.tmp) {
				t.Fatalf("error %q: want one line naming the body", msg)
			}
			return
		}
		d := req.rows
		if d.Rows == 0 || d.Cols != m.Net.Config.Input() || len(d.Floats) != d.Rows*d.Cols || d.Mask != nil && len(d.Mask) != len(d.Floats) {
			t.Fatalf("%d rows of %d, %d values, %d mask entries", d.Rows, d.Cols, len(d.Floats), len(d.Mask))
		}
	})
}
