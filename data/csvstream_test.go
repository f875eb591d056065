package data

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzReadCSVFrom: a table read from an io.Reader (ReadCSVFrom) is the
// table ReadCSV reads from a file of the same bytes: the same rows, mask,
// labels and columns, or the same error with the reader's name for the
// path.
func FuzzReadCSVFrom(f *testing.F) {
	for _, s := range []struct {
		text    string
		missing bool
	}{
		{"a,b,c\n1,2,3\n4,5,6\n", false}, {"a;b;c\n1;NA;red\n;2;blue\n3;4;\n", true}, {"a,b\n1,\"2\n", false},
		{"\n\n", false}, {"a,b\n1,2\n3\n", false}, {"\ufeffx,y\n1,x\n2,y\n", true}, {"a,b\n1,2\n3,oops\n", false},
	} {
		f.Add([]byte(s.text), s.missing)
	}
	path := filepath.Join(fuzzDir(f), "fuzz.csv")
	f.Fuzz(func(t *testing.T, text []byte, missing bool) {
		if err := os.WriteFile(path, text, 0o644); err != nil {
			t.Fatal(err)
		}
		opt := CSVOptions{}
		if missing {
			opt.Missing = MissingMask
		}
		want, werr := ReadCSV(path, opt)
		got, err := ReadCSVFrom("body", bytes.NewReader(text), opt)
		switch {
		case werr != nil || err != nil:
			if werr == nil || err == nil || strings.ReplaceAll(werr.Error(), path, "body") != err.Error() {
				t.Fatalf("ReadCSV: %v; ReadCSVFrom: %v", werr, err)
			}
		case got.Rows != want.Rows || !slices.Equal(got.Floats, want.Floats) || !slices.Equal(got.Mask, want.Mask) ||
			!slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.Columns, want.Columns):
			t.Fatalf("ReadCSVFrom: %d rows, columns %v; ReadCSV: %d rows, columns %v", got.Rows, got.Columns, want.Rows, want.Columns)
		}
	})
}
