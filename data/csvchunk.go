package data

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// What the chunk parser does with a file column.
type action uint8

const (
	skipCol  action = iota // a dropped column: split, never parsed
	numCol                 // a Number feature
	textCol                // a Text feature
	labelCol               // the label column
)

// colPlan is what happens to one file column: its action and slot (its
// index among the Number or the Text columns).
type colPlan struct {
	act  action
	slot int
}

// chunkParser parses line-aligned pieces of a CSV file straight into
// typed chunks: each field is split and parsed once, numbers into float32,
// text into codes of a dictionary local to the chunk.
type chunkParser struct {
	path    string
	names   []string // every file column's name, for errors
	plan    []colPlan
	nc, tc  int
	label   bool            // the file has a label column
	missing string          // the missing-value policy
	hint    bool            // add the --na-values/--categorical hint to "not a number"
	na      map[string]bool // CSVOptions.NAValues
	sep     rune
	// Buffers recycled between chunks (see CSVReader.Release).
	blocks slicePool[byte]
	nums   slicePool[float32]
	codes  slicePool[uint32]
}

// dict is a dictionary of text values, codes in order of first appearance.
type dict struct {
	index map[string]uint32
	words []string
}

// code returns f's code, adding f.
func (d *dict) code(f []byte) uint32 {
	if c, ok := d.index[string(f)]; ok {
		return c
	}
	c := uint32(len(d.words))
	d.words = append(d.words, string(f))
	d.index[d.words[c]] = c
	return c
}

// localChunk is a parsed chunk whose codes index its own dictionaries.
type localChunk struct {
	Chunk
	dicts  []dict // per Text slot
	labels dict
}

// parse parses the records of b (which end in '\n'), the first starting on
// line line, into a chunk.
func (p *chunkParser) parse(b []byte, line int) (*localChunk, error) {
	c := &localChunk{dicts: make([]dict, p.tc), labels: dict{index: map[string]uint32{}}}
	for k := range c.dicts {
		c.dicts[k].index = map[string]uint32{}
	}
	rows := bytes.Count(b, []byte{'\n'})
	c.Nums = p.nums.get(rows * p.nc)
	c.Codes = p.codes.get(rows * p.tc)
	if p.label {
		c.Labels = p.codes.get(rows)
	}
	s := newFieldSplitter(p.sep)
	nums := make([]float32, p.nc)
	codes := make([]uint32, p.tc)
	for pos := 0; pos < len(b); {
		next, lines, serr := s.record(b, pos, line)
		if serr != nil {
			return nil, fmt.Errorf("%s:%s", p.path, serr)
		}
		if len(s.fields) > 0 {
			if len(s.fields) != len(p.plan) {
				return nil, fmt.Errorf("%s:%d: %d fields, want %d", p.path, line, len(s.fields), len(p.plan))
			}
			if err := p.row(c, s.fields, nums, codes, line); err != nil {
				return nil, err
			}
			c.Rows++
			c.Nums = append(c.Nums, nums...)
			c.Codes = append(c.Codes, codes...)
		}
		pos, line = next, line+lines
	}
	return c, nil
}

// row parses one record's fields into nums and codes (and c's labels).
func (p *chunkParser) row(c *localChunk, fields [][]byte, nums []float32, codes []uint32, line int) error {
	for j, f := range fields {
		pl := p.plan[j]
		if pl.act == skipCol {
			continue
		}
		f = trimSpace(f)
		if pl.act == numCol {
			if v, ok := parseDecimal(f); ok && (p.na == nil || !p.na[string(f)]) {
				nums[pl.slot] = v // the fast path: a short decimal
				continue
			}
			if v, err := strconv.ParseFloat(unsafeString(f), 32); err == nil && v-v == 0 && (p.na == nil || !p.na[string(f)]) {
				nums[pl.slot] = float32(v) // a finite number
				continue
			}
			v, err := p.slowNumber(f, j, line)
			if err != nil {
				return err
			}
			nums[pl.slot] = v
			continue
		}
		if !isText(string(f)) {
			return notText(p.path, line, p.names[j], string(f))
		}
		switch {
		case pl.act == labelCol && len(f) == 0:
			return fmt.Errorf("%s:%d: column %q: empty field", p.path, line, p.names[j])
		case pl.act == labelCol:
			c.Labels = append(c.Labels, c.labels.code(f))
		case p.isMissing(f):
			if err := p.missingError(f, j, line); err != nil {
				return err
			}
			codes[pl.slot] = MissingCode
		default:
			codes[pl.slot] = c.dicts[pl.slot].code(f)
		}
	}
	return nil
}

// slowNumber is a Number field that is not plainly a finite number: a
// missing value (NaN) or an error naming the line and column.
func (p *chunkParser) slowNumber(f []byte, j, line int) (float32, error) {
	s := string(f)
	if !isText(s) {
		return 0, notText(p.path, line, p.names[j], s)
	}
	if p.isMissing(f) {
		return nan32, p.missingError(f, j, line)
	}
	v, err := parseValue(s)
	if err != nil {
		hint := ""
		if p.hint && errors.Is(err, errNotNumber) {
			hint = " (a missing-value marker? list it in --na-values; text? name the column in --categorical)"
		}
		return 0, fmt.Errorf("%s:%d: column %q: %w%s", p.path, line, p.names[j], err, hint)
	}
	return v, nil
}

// nan32 is a Number column's missing value.
var nan32 = float32(math.NaN())

// isMissing reports whether field f is a missing value: empty, one of
// DefaultNAValues (any case) or one of CSVOptions.NAValues.
func (p *chunkParser) isMissing(f []byte) bool {
	if len(f) == 0 || p.na != nil && p.na[string(f)] {
		return true
	}
	if len(f) > 4 {
		return false
	}
	for _, v := range DefaultNAValues {
		if strings.EqualFold(unsafeString(f), v) {
			return true
		}
	}
	return false
}

// missingError is the error of missing field f under MissingError, nil
// under the other policies.
func (p *chunkParser) missingError(f []byte, j, line int) error {
	if p.missing != "" && p.missing != MissingError {
		return nil
	}
	return fmt.Errorf("%s:%d: column %q: %s%s", p.path, line, p.names[j], missingWhat(string(f)), missingHint)
}

// trimSpace is strings.TrimSpace without a copy, quick for a plain field.
func trimSpace(f []byte) []byte {
	if n := len(f); n > 0 && (f[0] <= ' ' || f[n-1] <= ' ' || f[0] >= utf8.RuneSelf || f[n-1] >= utf8.RuneSelf) {
		return bytes.TrimSpace(f)
	}
	return f
}

// unsafeString views b as a string; the string must not outlive b's
// contents.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// missingWhat says what missing field f is, for MissingError's message.
func missingWhat(f string) string {
	if f == "" {
		return "empty field"
	}
	if _, err := parseValue(f); err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%q", f)
}

// errNotNumber is parseValue's error for a field that is no number.
var errNotNumber = errors.New("is not a number")

// parseValue parses a numeric field as a finite float32.
func parseValue(f string) (float32, error) {
	v, err := strconv.ParseFloat(f, 32)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("%q is out of float32 range", f)
	case err != nil:
		return 0, fmt.Errorf("%q %w", f, errNotNumber)
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fmt.Errorf("%q is not a finite number", f)
	}
	return float32(v), nil
}

// pow10f are the powers of ten that float32 holds exactly.
var pow10f = [...]float32{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10}

// parseDecimal parses a plain decimal [-+]digits[.digits] whose digits make
// an integer m < 2²⁴ with at most 10 after the point: then m and 10^k are
// exact float32s and float32(m)/10^k is the correctly rounded value, the
// float32 strconv.ParseFloat(f, 32) returns (Clinger's fast path). It
// reports false for anything else, which strconv parses.
func parseDecimal(f []byte) (float32, bool) {
	i, neg := 0, false
	if len(f) > 0 && (f[0] == '-' || f[0] == '+') {
		neg, i = f[0] == '-', 1
	}
	var m uint32
	digits, frac, point := 0, 0, false
	for ; i < len(f); i++ {
		c := f[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint32(c-'0')
			digits++
			if point {
				frac++
			}
			if m >= 1<<24 || frac >= len(pow10f) {
				return 0, false
			}
		case c == '.' && !point:
			point = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	v := float32(m) / pow10f[frac]
	if neg {
		v = -v
	}
	return v, true
}
