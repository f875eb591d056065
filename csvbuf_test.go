package wgml

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// FuzzCSVBuf: csvBuf writes any record of text fields byte for byte as
// encoding/csv's Writer does (quotes, separators, line breaks, spaces).
func FuzzCSVBuf(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"a", "b c"}, {"a,b", `say "hi"`}, {" lead", "\ttab"}, {`\.`, "x\ny"},
		{"x\r\ny", "ü"}, {"\u00a0nbsp", "\u2003em"}, {"-1.5e-07", "NaN"}, {`"`, ","}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		if err := w.Write([]string{a, b, "1"}); err != nil {
			t.Skip()
		}
		w.Flush()
		var got csvBuf
		got.record(a, b, "1")
		if string(got.b) != want.String() {
			t.Fatalf("record %q, %q: %q, encoding/csv %q", a, b, got.b, want.String())
		}
	})
}
