package data

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzReadCSVFrom: ReadCSVFrom of a text answers as ReadCSV of a file
// holding it — the same rows, schema and warnings, or the same error with
// the name in place of the path.
func FuzzReadCSVFrom(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n4,5,6\n",
		"x;k\n1.5;p\n2;q\n;p\n",
		"a,k\n1,\"p\nq\"\n2,r\n",
		"a,b\n1,abc\n",
		"a\n",
		"",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	path := filepath.Join(fuzzDir(f), "t.csv")
	f.Fuzz(func(t *testing.T, text string, mean bool) {
		opt := CSVOptions{}
		if mean {
			opt.Missing = MissingMean
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		want, werr := ReadCSV(path, opt)
		got, err := ReadCSVFrom("text", strings.NewReader(text), opt)
		if (err == nil) != (werr == nil) {
			t.Fatalf("ReadCSVFrom: %v; ReadCSV: %v", err, werr)
		}
		if err != nil {
			if w := strings.ReplaceAll(werr.Error(), path, "text"); err.Error() != w {
				t.Fatalf("ReadCSVFrom: %q, want %q", err, w)
			}
			return
		}
		want.Name, got.Name = "", ""
		for i := range want.Warnings {
			want.Warnings[i] = strings.ReplaceAll(want.Warnings[i], path, "text")
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ReadCSVFrom: %+v\nReadCSV: %+v", got, want)
		}
	})
}
