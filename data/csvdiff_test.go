package data

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// diffTable is one generated table of the differential test.
type diffTable struct {
	name, sep string // sep: one character or "tab"
	header    bool
	text      string
}

// diffWords are text values: separators, quotes, newlines and UTF-8 in
// them, all needing the quoting rules right.
var diffWords = []string{"alpha", "beta gamma", "x,y", "semi;colon", "pipe|bar", "tab\there", `say "hi"`, "two\nlines", "café", "ünï"}

// diffTables generates the differential test's tables (deterministic, so
// that testdata/csvdiff/answers.json answers them where Python is absent):
// each separator, header or not (a headerless first row holds an empty
// field), numbers as integers, decimals and exponents, text columns, and
// gaps (empty, NA, null, ?, NaN).
func diffTables() []diffTable {
	var tables []diffTable
	for i := range 8 {
		rng := rand.New(rand.NewPCG(uint64(i), 99))
		sep := []string{",", ";", "tab", "|"}[i%4]
		sc := map[string]string{"tab": "\t"}[sep]
		if sc == "" {
			sc = sep
		}
		cols := 3 + rng.IntN(4)
		text := make([]bool, cols)
		for j := 1; j < cols; j++ {
			text[j] = rng.IntN(3) == 0
		}
		tb := diffTable{name: fmt.Sprintf("t%d.csv", i), sep: sep, header: i%3 != 1}
		var b strings.Builder
		line := func(fields []string) {
			for j, f := range fields {
				if j > 0 {
					b.WriteString(sc)
				}
				if strings.ContainsAny(f, sc+"\"\n\t") || rng.IntN(5) == 0 && f != "" {
					f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
				}
				b.WriteString(f)
			}
			b.WriteString([]string{"\n", "\n", "\r\n"}[rng.IntN(3)])
		}
		if tb.header {
			names := make([]string, cols)
			for j := range names {
				names[j] = fmt.Sprintf("c%d", j)
			}
			names[cols-1] = "last name" + sc + "x"
			line(names)
		}
		for r := range 25 + rng.IntN(10) {
			fields := make([]string, cols)
			for j := range fields {
				fields[j] = diffValue(rng, text[j], r == 0)
			}
			if r == 0 && !tb.header {
				fields[0] = ""
			}
			line(fields)
			if rng.IntN(12) == 0 {
				b.WriteString("\n")
			}
		}
		tb.text = b.String()
		tables = append(tables, tb)
	}
	return tables
}

// diffValue is a random field: a number or a word, sometimes missing (never
// in the first row's text columns, so that the sample sees text).
func diffValue(rng *rand.Rand, text, first bool) string {
	if rng.IntN(8) == 0 && !(text && first) {
		return []string{"", "NA", "null", "?", "NaN"}[rng.IntN(5)]
	}
	if text {
		return diffWords[rng.IntN(len(diffWords))]
	}
	v := rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3))
	switch rng.IntN(3) {
	case 0:
		return strconv.Itoa(int(v))
	case 1:
		return strconv.FormatFloat(v, 'f', rng.IntN(6), 64)
	}
	return strconv.FormatFloat(v, 'e', rng.IntN(5), 64)
}

// csvAnswer is what Python's csv module and pandas make of a table (see
// scripts/csv-reference.py).
type csvAnswer struct {
	CSV    [][]string `json:"csv"`
	Pandas struct {
		Columns []string `json:"columns"`
		Kinds   []string `json:"kinds"`
		Values  [][]any  `json:"values"`
	} `json:"pandas"`
}

// TestCSVAgainstReferences compares the reader's parse of the generated
// tables with Python's csv module and pandas: live where /usr/bin/python3
// has pandas (WGML_UPDATE_FIXTURES=1 then rewrites the fixture), else
// with the committed answers of testdata/csvdiff/answers.json.
func TestCSVAgainstReferences(t *testing.T) {
	dir := t.TempDir()
	tables := diffTables()
	var specs []string
	for _, tb := range tables {
		path := writeFile(t, dir, tb.name, []byte(tb.text))
		specs = append(specs, fmt.Sprintf("%s:%s:%d", path, tb.sep, map[bool]int{true: 1}[tb.header]))
	}
	const fixture = "testdata/csvdiff/answers.json"
	blob, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Command("/usr/bin/python3", "-c", "import pandas").Run() == nil {
		live, err := exec.Command("/usr/bin/python3", append([]string{"../scripts/csv-reference.py"}, specs...)...).Output()
		if err != nil {
			t.Fatalf("csv-reference.py: %v", err)
		}
		if os.Getenv("WGML_UPDATE_FIXTURES") != "" {
			if err := os.WriteFile(fixture, live, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("comparing with pandas, live")
		blob = live
	}
	var answers map[string]csvAnswer
	if err := json.Unmarshal(blob, &answers); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		a, ok := answers[tb.name]
		if !ok {
			t.Fatalf("%s: no answer in %s", tb.name, fixture)
		}
		compareReference(t, filepath.Join(dir, tb.name), tb, a)
	}
}

// compareReference compares the Table read from path with the answer.
func compareReference(t *testing.T, path string, tb diffTable, a csvAnswer) {
	t.Helper()
	r, err := OpenCSV(path, CSVOptions{Sep: tb.sep, Missing: MissingMask})
	if err != nil {
		t.Fatalf("%s: %v", tb.name, err)
	}
	tab, err := ReadTable(r)
	if err != nil {
		t.Fatalf("%s: %v", tb.name, err)
	}
	p := a.Pandas
	rows := len(a.CSV)
	if tb.header {
		rows--
		if !reflect.DeepEqual(tab.Names, p.Columns) {
			t.Errorf("%s: columns %q, pandas %q", tb.name, tab.Names, p.Columns)
		}
	} else if tab.Names[0] != "col0" {
		t.Errorf("%s: headerless table read with a header %q", tb.name, tab.Names)
	}
	if tab.Rows != rows || len(p.Values[0]) != rows {
		t.Fatalf("%s: %d rows, csv %d, pandas %d", tb.name, tab.Rows, rows, len(p.Values[0]))
	}
	slots, nc, tc := tab.Slots(), tab.NumCols(), tab.TextCols()
	for j, kind := range p.Kinds {
		if want := map[string]Kind{"number": Number, "text": Text}[kind]; tab.Kinds[j] != want {
			t.Errorf("%s: column %d is %v, pandas says %s", tb.name, j, tab.Kinds[j], kind)
			continue
		}
		for i, pv := range p.Values[j] {
			got, missing := "", false
			if tab.Kinds[j] == Number {
				v := tab.Nums[i*nc+slots[j]]
				missing, got = isMissingNum(v), strconv.FormatFloat(float64(v), 'g', -1, 32)
				if f, ok := pv.(float64); ok && !missing && math.Abs(float64(float32(f)-v)) > 1e-7*math.Abs(f) {
					t.Errorf("%s: row %d column %d: %v, pandas %v", tb.name, i, j, v, f)
				}
			} else {
				c := tab.Codes[i*tc+slots[j]]
				if missing = c == MissingCode; !missing {
					got = tab.Dicts[slots[j]][c]
				}
				if s, ok := pv.(string); ok && strings.TrimSpace(s) != got {
					t.Errorf("%s: row %d column %d: %q, pandas %q", tb.name, i, j, got, s)
				}
				if rec := a.CSV[len(a.CSV)-rows+i]; !missing && strings.TrimSpace(rec[j]) != got {
					t.Errorf("%s: row %d column %d: %q, csv %q", tb.name, i, j, got, rec[j])
				}
			}
			if missing != (pv == nil) {
				t.Errorf("%s: row %d column %d: %q missing %v, pandas %v", tb.name, i, j, got, missing, pv)
			}
		}
	}
}
