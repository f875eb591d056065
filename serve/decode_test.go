package serve

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"
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
// missing values) never panics, answers one-line errors that name the
// body, and accepts only rows of the model's width with a mask entry per
// value.
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
		req, err := decodeCSV(strings.NewReader(body), m)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "body") {
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

// slowBody yields head, then good rows without end, 64 KB a millisecond;
// it counts the Reads that end after done is set.
type slowBody struct {
	head  *strings.Reader
	row   string
	done  atomic.Bool
	after atomic.Int32
}

func (b *slowBody) Read(p []byte) (int, error) {
	defer func() {
		if b.done.Load() {
			b.after.Add(1)
		}
	}()
	if b.head.Len() > 0 {
		return b.head.Read(p)
	}
	time.Sleep(time.Millisecond) // a client's next packet
	p = p[:min(len(p), 64<<10)]
	return copy(p, strings.Repeat(b.row, len(p)/len(b.row)+1)), nil
}

// TestDecodeCSVStopsReading: a malformed row past the reader's sample
// stops decodeCSV with one line naming the body and its line, and no Read
// of the body ends after decodeCSV has returned, though the CSV reader was
// reading ahead on its own goroutine.
func TestDecodeCSVStopsReading(t *testing.T) {
	s, err := New(fitIris(t, t.TempDir()), nil, Config{}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const header, row = "sepal_length;sepal_width;petal_length;petal_width;species\n", "5.1;3.5;1.4;0.2;setosa\n"
	good := strings.Repeat(row, 3<<20/len(row)) // past the 1 MB sample
	body := &slowBody{head: strings.NewReader(header + good + "5.1;abc;1.4;0.2;setosa\n"), row: row}
	_, err = decodeCSV(body, s.model.Load())
	body.done.Store(true)
	line := strings.Count(good, "\n") + 2
	if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("body:%d:", line)) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error %v: want one line naming body:%d", err, line)
	}
	time.Sleep(20 * time.Millisecond) // room for a read-ahead that was not stopped
	if n := body.after.Load(); n > 0 {
		t.Fatalf("%d Reads of the body ended after decodeCSV returned", n)
	}
}
