package data

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestHeaderDetection: a first row is a header unless it reads as data:
// text atop a numeric column names it, and so do integers (years) atop
// columns of fractions; a headerless first row with an empty field, or of
// numbers like its column's, is data.
func TestHeaderDetection(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		text    string
		columns []string
		rows    int
	}{
		{"Country Name,Country Code,1960,1961,1962\nAruba,ABW,,12.5,13.25\nAngola,AGO,1.5,2.75,\nChad,TCD,0.5,,9.125\n",
			[]string{"Country Name=Angola", "Country Name=Aruba", "Country Name=Chad", "Country Code=ABW", "Country Code=AGO", "Country Code=TCD", "1960", "1961", "1962"}, 3},
		{"1,,3\n4,5,6\n7,8,9\n", []string{"col0", "col1", "col2"}, 3},
		{"2.5,1.25\n3.5,4.5\n", []string{"col0", "col1"}, 2},
		{"3,2.5\n1.5,2.75\n", []string{"col0", "col1"}, 2}, // one integer is not a header
		{"red,1\nblue,2\nred,3\n", []string{"col0=blue", "col0=red", "col1"}, 3},
	} {
		d, err := ReadCSV(writeFile(t, dir, "h.csv", []byte(c.text)), CSVOptions{Missing: MissingMean})
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if !slices.Equal(d.Columns, c.columns) || d.Rows != c.rows {
			t.Errorf("%q: %d rows, columns %q; want %d, %q", c.text, d.Rows, d.Columns, c.rows, c.columns)
		}
	}
}

// TestDuplicateNames: repeated header names get pandas' suffixes.
func TestDuplicateNames(t *testing.T) {
	if got := uniqueNames([]string{"a", "a", "b", "a", "a.1", "c", "c"}); !slices.Equal(got, []string{"a", "a.1", "b", "a.2", "a.1.1", "c", "c.1"}) {
		t.Errorf("uniqueNames: %q", got)
	}
	d, err := ReadCSV(writeFile(t, t.TempDir(), "d.csv", []byte("a,a,b\n1,2,3\n")), CSVOptions{})
	if err != nil || !slices.Equal(d.Columns, []string{"a", "a.1", "b"}) {
		t.Errorf("duplicates: %v %v", err, d)
	}
}

// TestIDColumnRefused: a text column with a value per row is refused,
// naming --drop, unless dropped or --max-categories is raised.
func TestIDColumnRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,x\n")
	for i := range 30 {
		fmt.Fprintf(&b, "user%d,%d\n", i, i%4)
	}
	path := writeFile(t, t.TempDir(), "id.csv", []byte(b.String()))
	_, err := ReadCSV(path, CSVOptions{})
	wantErr(t, err, path+`: column "id": each of its 30 rows has its own value, an ID?: leave it out with --drop id`)
	if d, err := ReadCSV(path, CSVOptions{Drop: []string{"id"}}); err != nil || !slices.Equal(d.Columns, []string{"x"}) {
		t.Errorf("--drop id: %v", err)
	}
	if d, err := ReadCSV(path, CSVOptions{MaxCategories: 200}); err != nil || d.Cols != 31 {
		t.Errorf("--max-categories 200: %v", err)
	}
}

// TestSelectColumns: Columns keeps, Drop leaves out, the label stays, and
// a name the file lacks is an error listing the columns.
func TestSelectColumns(t *testing.T) {
	path := writeFile(t, t.TempDir(), "s.csv", []byte("a,b,c,y\n1,2,x,0\n4,5,z,1\n"))
	for _, c := range []struct {
		opt  CSVOptions
		want []string
	}{
		{CSVOptions{Columns: []string{"c", "a"}}, []string{"a", "c=x", "c=z"}},
		{CSVOptions{Drop: []string{"b", "c"}, LabelCol: "y"}, []string{"a"}},
		{CSVOptions{Columns: []string{"a", "b", "y"}, Drop: []string{"b"}, LabelCol: "y"}, []string{"a"}},
	} {
		d, err := ReadCSV(path, c.opt)
		if err != nil || !slices.Equal(d.Columns, c.want) {
			t.Errorf("%+v: %v, columns %v; want %v", c.opt, err, d, c.want)
			continue
		}
		if c.opt.LabelCol != "" && !slices.Equal(d.Labels, []int{0, 1}) {
			t.Errorf("%+v: labels %v", c.opt, d.Labels)
		}
	}
	_, err := ReadCSV(path, CSVOptions{Drop: []string{"nope"}})
	wantErr(t, err, path+`: column "nope" (--drop) not found (columns: a, b, c, y)`)
	_, err = ReadCSV(path, CSVOptions{Drop: []string{"y"}, LabelCol: "y"})
	wantErr(t, err, path+`: column "y" (--drop) is the label column`)
	_, err = ReadCSV(path, CSVOptions{Columns: []string{"y"}, LabelCol: "y"})
	wantErr(t, err, path+": no feature columns")
	// A model's schema reads the same columns of a new file.
	d, err := ReadCSV(path, CSVOptions{Drop: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	again, err := ReadCSV(path, CSVOptions{Drop: []string{"b"}, Schema: d.Schema})
	if err != nil || !slices.Equal(again.Floats, d.Floats) {
		t.Errorf("through the schema: %v", err)
	}
}
