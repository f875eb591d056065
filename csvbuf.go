package wgml

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// csvBuf builds CSV text as encoding/csv's Writer writes it (a comma
// between fields, "\n" after each record), straight into one buffer:
// numbers appended by strconv with no string in between, text quoted
// where the Writer quotes it. A stream writes a chunk's records with it in
// one Write.
type csvBuf struct {
	b    []byte
	open bool // the record has a field
}

// next starts a field: a comma unless it is the record's first.
func (t *csvBuf) next() {
	if t.open {
		t.b = append(t.b, ',')
	}
	t.open = true
}

// text appends a text field, quoted (its quotes doubled) where
// encoding/csv quotes it: a field holding a comma, a quote, \r or \n,
// the field `\.`, or one that begins with a space.
func (t *csvBuf) text(s string) {
	t.next()
	if !needsQuotes(s) {
		t.b = append(t.b, s...)
		return
	}
	t.b = append(t.b, '"')
	t.b = append(t.b, strings.ReplaceAll(s, `"`, `""`)...)
	t.b = append(t.b, '"')
}

// record appends fields as one whole record.
func (t *csvBuf) record(fields ...string) {
	for _, f := range fields {
		t.text(f)
	}
	t.end()
}

// end ends the record.
func (t *csvBuf) end() {
	t.b = append(t.b, '\n')
	t.open = false
}

// needsQuotes is encoding/csv's Writer.fieldNeedsQuotes for a comma.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` || strings.ContainsAny(s, ",\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}
