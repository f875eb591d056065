package data

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestUnseenWarningsWholeTable: read in many small chunks, a table whose
// categories training did not see gets from UnseenWarnings, over the
// chunks' CodeCounts, the very warnings ReadCSV gives it whole, where
// each chunk's EncodeChunk words only its own rows.
func TestUnseenWarningsWholeTable(t *testing.T) {
	dir := t.TempDir()
	train, err := ReadCSV(writeFile(t, dir, "t.csv", []byte("n,color,code\n1,red,0\n2,blue,1\n3,red,2\n")), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("n,color,code\n")
	colors := []string{"red", "green", "pink", "teal", "gold", "gray", "navy", "blue"}
	for i := range 400 {
		fmt.Fprintf(&b, "%d,%s,%d\n", i, colors[(i*7/50)%len(colors)], i%3)
	}
	path := writeFile(t, dir, "new.csv", []byte(b.String()))
	opt := CSVOptions{Schema: train.Schema}
	whole, err := ReadCSV(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	smallBlocks(t, 256, 256, 5)
	r, err := OpenTable(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var cc CodeCounts
	chunks, partial := 0, 0
	for {
		c, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		d, err := EncodeChunk(r, c, opt)
		if err != nil {
			t.Fatal(err)
		}
		cc.Add(r.Header(), c)
		chunks, partial = chunks+1, partial+len(d.Warnings)
	}
	got := UnseenWarnings(r, train.Schema, cc)
	if !slices.Equal(got, whole.Warnings) || len(got) != 1 || chunks < 10 || partial < 10 {
		t.Fatalf("%d chunks (%d warnings): %q; ReadCSV: %q", chunks, partial, got, whole.Warnings)
	}
}
