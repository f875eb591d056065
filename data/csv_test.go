package data

import (
	"slices"
	"testing"
)

func TestReadCSV(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, text string
		opt        CSVOptions
		floats     []float32
		labels     []int
		classes    []string
		columns    []string
	}{
		{"auto header", "a,b\n1,2\n3,4.5\n", CSVOptions{},
			[]float32{1, 2, 3, 4.5}, nil, nil, []string{"a", "b"}},
		{"auto no header", "1,2\n3,4\n", CSVOptions{},
			[]float32{1, 2, 3, 4}, nil, nil, []string{"col0", "col1"}},
		{"header yes", "1,2\n3,4\n", CSVOptions{Header: "yes"},
			[]float32{3, 4}, nil, nil, []string{"1", "2"}},
		{"header no", "x,2\n", CSVOptions{Header: "no", LabelCol: "0"},
			[]float32{2}, []int{0}, []string{"x"}, []string{"col1"}},
		{"label by name", "\ufeffid, y ,x\n1,0,-1e-3\n2,3,5\n", CSVOptions{LabelCol: "y"},
			[]float32{1, -1e-3, 2, 5}, []int{0, 3}, nil, []string{"id", "x"}},
		{"label by index", "a,b,c\n1,2,3\n4,5,6\n", CSVOptions{LabelCol: "2"},
			[]float32{1, 2, 4, 5}, []int{3, 6}, nil, []string{"a", "b"}},
		{"label index no header", "7, 8\n9, 10\n", CSVOptions{LabelCol: "0"},
			[]float32{8, 10}, []int{7, 9}, nil, []string{"col1"}},
		{"class names", "sepal,species\n5.1,setosa\n7.0,versicolor\n4.9,setosa\n6.3,virginica\n", CSVOptions{LabelCol: "species"},
			[]float32{5.1, 7, 4.9, 6.3}, []int{0, 1, 0, 2}, []string{"setosa", "versicolor", "virginica"}, []string{"sepal"}},
		{"class names no header", "5.1,setosa\n7.0,versicolor\n", CSVOptions{LabelCol: "1"},
			[]float32{5.1, 7}, []int{0, 1}, []string{"setosa", "versicolor"}, []string{"col0"}},
		{"quoted and blank lines", "\"a\",\"b\"\n\n\" 1\",2\n", CSVOptions{},
			[]float32{1, 2}, nil, nil, []string{"a", "b"}},
	}
	for _, c := range cases {
		path := writeFile(t, dir, "f.csv", []byte(c.text))
		d, err := ReadCSV(path, c.opt)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if d.Rows != len(c.floats)/d.Cols || d.Cols != len(c.columns) || d.Bytes != nil || d.Width != 0 ||
			!slices.Equal(d.Floats, c.floats) || !slices.Equal(d.Labels, c.labels) ||
			!slices.Equal(d.Classes, c.classes) || !slices.Equal(d.Columns, c.columns) {
			t.Errorf("%s: got %+v", c.name, d)
		}
	}
}

func TestReadCSVErrors(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/f.csv"
	cases := []struct {
		text string
		opt  CSVOptions
		want string // after "<path>"
	}{
		{"a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5,6\n\n1,2,3,4,5,6\n1,2,3,4,5\n", CSVOptions{},
			":7: 5 fields, want 6"},
		{"name,age\n1,2\n1,abc\n", CSVOptions{},
			`:3: column "age": "abc" is not a number (a missing-value marker? list it in --na-values; text? name the column in --categorical)`},
		{"1,2\n3,4,5\n", CSVOptions{}, ":2: 3 fields, want 2"},
		{"age\n1\nNaN\n", CSVOptions{}, `:3: column "age": "NaN" is not a finite number` + missingHint},
		{"age\n1\n-Inf\n", CSVOptions{}, `:3: column "age": "-Inf" is not a finite number`},
		{"age\n1e39\n", CSVOptions{}, `:2: column "age": "1e39" is out of float32 range`},
		{"a,b\n1,2\n3, \n", CSVOptions{}, `:3: column "b": empty field` + missingHint},
		{"1,2\n,4\n", CSVOptions{}, `:2: column "col0": empty field` + missingHint},
		{"a,b\n1,2\n3,\n", CSVOptions{LabelCol: "b"}, `:3: column "b": empty field`},
		{"a,b\n1,2\n", CSVOptions{LabelCol: "c"}, `: label column "c" not found (columns: a, b)`},
		{"a,b\n1,2\n", CSVOptions{LabelCol: "2"}, ": label column 2 out of range (2 columns)"},
		{"a,b\n1,2\n", CSVOptions{LabelCol: "-1"}, ": label column -1 out of range (2 columns)"},
		{"1,2\n", CSVOptions{LabelCol: "b"}, `: label column "b": the file has no header, give a 0-based column index`},
		{"a\n1\n", CSVOptions{LabelCol: "a"}, ": no feature columns"},
		{"a,b\n", CSVOptions{}, ": no data rows"},
		{"", CSVOptions{}, ": no data rows"},
		{"1,2\n", CSVOptions{Header: "maybe"}, `: header option "maybe": want auto, yes or no`},
		{"a,b\n1,\"2\n", CSVOptions{}, `:2:6: extraneous or missing " in quoted-field`},
		{"a,b\n1,2\"\n", CSVOptions{}, `:2:4: bare " in non-quoted-field`},
		{"a,b\n1,\xff\n", CSVOptions{}, `:2: column "b": "\xff" is not text (binary data? a CSV file must be UTF-8)`},
		{"a,\x00b\n1,2\n", CSVOptions{Header: "yes"}, `:1: column "col1": "\x00b" is not text (binary data? a CSV file must be UTF-8)`},
	}
	for _, c := range cases {
		writeFile(t, dir, "f.csv", []byte(c.text))
		_, err := ReadCSV(path, c.opt)
		if err == nil || err.Error() != path+c.want {
			t.Errorf("%q: error %v, want %s", c.text, err, path+c.want)
		}
	}
	_, err := ReadCSV(dir+"/missing.csv", CSVOptions{})
	wantErr(t, err, "missing.csv: no such file")
}
