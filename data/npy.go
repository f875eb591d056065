package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"strconv"
	"strings"
	"unsafe"
)

// npyMagic starts every NumPy .npy file.
const npyMagic = "\x93NUMPY"

// npyArray is a parsed .npy file: its shape, element type and data bytes.
type npyArray struct {
	shape []int
	kind  byte // 'f' float, 'u' unsigned, 'i' signed integer
	size  int  // bytes per element
	order binary.ByteOrder
	data  []byte
}

// float returns element e as float64.
func (a *npyArray) float(e int) float64 {
	b := a.data[e*a.size:]
	switch {
	case a.kind == 'f' && a.size == 4:
		return float64(math.Float32frombits(a.order.Uint32(b)))
	case a.kind == 'f':
		return math.Float64frombits(a.order.Uint64(b))
	case a.size == 1 && a.kind == 'u':
		return float64(b[0])
	case a.size == 1:
		return float64(int8(b[0]))
	}
	var u uint64
	switch a.size {
	case 2:
		u = uint64(a.order.Uint16(b))
	case 4:
		u = uint64(a.order.Uint32(b))
	default:
		u = a.order.Uint64(b)
	}
	if a.kind == 'u' {
		return float64(u)
	}
	return float64(int64(u<<(64-8*a.size)) >> (64 - 8*a.size)) // sign-extend
}

// ReadNPY reads a NumPy .npy file (format 1.0 to 3.0, C order) of shape
// (N, d1, d2, …) as N rows of d1·d2·… values: float32 and float64 arrays
// as Floats (which must be finite), uint8 arrays as Bytes (pixels, scaled
// by 1/255 like images). An (N, H, W) array is N images of H×W, and an
// (N, H, W, C) array with C = 1 or 3 N images of C channels. A 1-D array
// is N rows of one value.
func ReadNPY(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	d, err := readNPY(path, bufio.NewReaderSize(f, 1<<16), st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// readNPY reads a .npy file of size bytes from r straight into the data
// set's values: the file's bytes are never held besides them.
func readNPY(name string, r io.Reader, size int64) (*Dataset, error) {
	a, off, err := readNPYHeader(r)
	if err != nil {
		return nil, err
	}
	if err := a.checkSize(size - int64(off)); err != nil {
		return nil, err
	}
	d, err := a.shaped(name)
	if err != nil {
		return nil, err
	}
	return d, a.fill(d, r)
}

// ReadNPYLabels reads a .npy vector of rows labels (shape (rows,) or
// (rows, 1)) of integers, or of floats holding integers. Labels number as
// a CSV's do: integers from 0 to 65536 are themselves, other values class
// names (returned too) in order of first appearance.
func ReadNPYLabels(path string, rows int) ([]int, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	a, err := parseNPY(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	labels, classes, err := a.labels(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return labels, classes, nil
}

// dataset turns the array a parsed in memory into rows.
func (a *npyArray) dataset(name string) (*Dataset, error) {
	d, err := a.shaped(name)
	if err != nil {
		return nil, err
	}
	return d, a.fill(d, bytes.NewReader(a.data))
}

// shaped returns the empty data set of a's shape: rows, columns, image
// shape.
func (a *npyArray) shaped(name string) (*Dataset, error) {
	if len(a.shape) == 0 {
		return nil, errors.New("a scalar, want an array of rows")
	}
	if a.shape[0] == 0 {
		return nil, errors.New("no rows")
	}
	d := &Dataset{Name: name, Rows: a.shape[0], Cols: 1}
	for _, n := range a.shape[1:] {
		d.Cols *= n
	}
	if d.Cols == 0 {
		return nil, fmt.Errorf("shape %s has rows of no values", npyShape(a.shape))
	}
	switch s := a.shape; {
	case len(s) == 3:
		d.Height, d.Width = s[1], s[2]
	case len(s) == 4 && (s[3] == 1 || s[3] == 3):
		d.Height, d.Width, d.Channels = s[1], s[2], s[3]
	}
	if !(a.kind == 'u' && a.size == 1) && a.kind != 'f' {
		return nil, fmt.Errorf("dtype %s: want float32, float64 or uint8 data", a.dtype())
	}
	return d, nil
}

// hostLittle reports whether this machine is little-endian.
var hostLittle = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// fill reads d's values from r: uint8 data as Bytes, floats as Floats
// (finite float32s), read straight into place where the file holds
// float32 in this machine's byte order, else converted a block at a time.
func (a *npyArray) fill(d *Dataset, r io.Reader) error {
	n := d.Rows * d.Cols
	if a.kind == 'u' {
		d.Bytes = makeBig[uint8](n, n)
		_, err := io.ReadFull(r, d.Bytes)
		return err
	}
	d.Floats = makeBig[float32](n, n)
	if a.size == 4 && (a.order == binary.LittleEndian) == hostLittle {
		if _, err := io.ReadFull(r, unsafe.Slice((*byte)(unsafe.Pointer(&d.Floats[0])), 4*n)); err != nil {
			return err
		}
		for e, v := range d.Floats {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("row %d, value %d is %v, want a finite float32", e/d.Cols, e%d.Cols, v)
			}
		}
		return nil
	}
	blk := *a
	buf := make([]byte, (1<<16)/a.size*a.size)
	for at := 0; at < n; {
		k := min(len(buf)/a.size, n-at)
		if _, err := io.ReadFull(r, buf[:k*a.size]); err != nil {
			return err
		}
		blk.data = buf[:k*a.size]
		for e := range k {
			v := blk.float(e)
			if f := float32(v); math.IsNaN(v) || math.IsInf(float64(f), 0) {
				return fmt.Errorf("row %d, value %d is %v, want a finite float32", (at+e)/d.Cols, (at+e)%d.Cols, v)
			}
			d.Floats[at+e] = float32(v)
		}
		at += k
	}
	return nil
}

// labels turns a into rows labels.
func (a *npyArray) labels(rows int) ([]int, []string, error) {
	if len(a.shape) != 1 && !(len(a.shape) == 2 && a.shape[1] == 1) {
		return nil, nil, fmt.Errorf("shape %s, want a vector of labels", npyShape(a.shape))
	}
	if a.shape[0] != rows {
		return nil, nil, fmt.Errorf("%d labels for %d rows", a.shape[0], rows)
	}
	fields := make([]string, rows)
	for i := range fields {
		v := a.float(i)
		if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			return nil, nil, fmt.Errorf("label %d is %v, want an integer", i, v)
		}
		fields[i] = strconv.FormatInt(int64(v), 10)
	}
	labels, classes := parseLabels(fields)
	return labels, classes, nil
}

// dtype writes a's element type as NumPy spells it.
func (a *npyArray) dtype() string {
	o := "<"
	if a.order == binary.BigEndian {
		o = ">"
	}
	return fmt.Sprintf("'%s%c%d'", o, a.kind, a.size)
}

// npyShape writes a shape as NumPy does, e.g. (3, 4).
func npyShape(shape []int) string {
	s := make([]string, len(shape))
	for i, n := range shape {
		s[i] = strconv.Itoa(n)
	}
	if len(s) == 1 {
		return "(" + s[0] + ",)"
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// parseNPY parses the bytes of a .npy file.
func parseNPY(b []byte) (*npyArray, error) {
	a, off, err := readNPYHeader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if err := a.checkSize(int64(len(b) - off)); err != nil {
		return nil, err
	}
	a.data = b[off:]
	return a, nil
}

// readNPYHeader reads the magic, version and header of a .npy file from r,
// returning the array (without data) and the offset of its data.
func readNPYHeader(r io.Reader) (*npyArray, int, error) {
	pre := make([]byte, len(npyMagic)+2)
	if _, err := io.ReadFull(r, pre); err != nil || string(pre[:len(npyMagic)]) != npyMagic {
		return nil, 0, errors.New("not a NumPy .npy file (no \\x93NUMPY magic)")
	}
	lenBytes := 0
	switch major := pre[len(npyMagic)]; major {
	case 1:
		lenBytes = 2
	case 2, 3:
		lenBytes = 4
	default:
		return nil, 0, fmt.Errorf(".npy format version %d.%d is not supported (want 1.0 to 3.0)", major, pre[len(npyMagic)+1])
	}
	lb := make([]byte, 4)
	if _, err := io.ReadFull(r, lb[:lenBytes]); err != nil {
		return nil, 0, errors.New("file ends inside the .npy header")
	}
	n := int(binary.LittleEndian.Uint32(lb))
	if n > 1<<24 {
		return nil, 0, fmt.Errorf(".npy header of %d bytes is too long", n)
	}
	h := make([]byte, n)
	if _, err := io.ReadFull(r, h); err != nil {
		return nil, 0, errors.New("file ends inside the .npy header")
	}
	a := &npyArray{}
	if err := a.parseHeader(string(h)); err != nil {
		return nil, 0, fmt.Errorf(".npy header: %w", err)
	}
	return a, len(pre) + lenBytes + n, nil
}

// checkSize checks that have bytes of data hold a's shape exactly.
func (a *npyArray) checkSize(have int64) error {
	want := uint64(a.size)
	for _, d := range a.shape {
		hi, lo := bits.Mul64(want, uint64(d))
		if hi != 0 {
			return fmt.Errorf("shape %s is too large", npyShape(a.shape))
		}
		want = lo
	}
	if want != uint64(have) || have < 0 {
		return fmt.Errorf("shape %s of %s needs %d bytes of data, the file has %d", npyShape(a.shape), a.dtype(), want, max(have, 0))
	}
	return nil
}

// parseHeader reads the header's Python dict literal, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
func (a *npyArray) parseHeader(h string) error {
	p := &pyLiteral{s: strings.TrimSpace(h)}
	if !p.eat("{") {
		return fmt.Errorf("%q is not a dict", h)
	}
	seen := map[string]bool{}
	for !p.eat("}") {
		key, ok := p.str()
		if !ok || !p.eat(":") {
			return fmt.Errorf("%q: want 'key': value pairs", h)
		}
		seen[key] = true
		switch key {
		case "descr":
			descr, ok := p.str()
			if !ok {
				return fmt.Errorf("descr in %q is not a string", h)
			}
			if err := a.setDescr(descr); err != nil {
				return err
			}
		case "fortran_order":
			switch {
			case p.eat("False"):
			case p.eat("True"):
				return errors.New("arrays in Fortran order are not supported; save np.ascontiguousarray(x)")
			default:
				return fmt.Errorf("fortran_order in %q is not True or False", h)
			}
		case "shape":
			shape, ok := p.tuple()
			if !ok {
				return fmt.Errorf("shape in %q is not a tuple of sizes", h)
			}
			a.shape = shape
		default:
			return fmt.Errorf("unknown key %q", key)
		}
		if !p.eat(",") && !strings.HasPrefix(p.s, "}") {
			return fmt.Errorf("%q: want , or } after %s", h, key)
		}
	}
	if p.s != "" {
		return fmt.Errorf("%q: text after the dict", h)
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return fmt.Errorf("%q has no %s", h, k)
		}
	}
	return nil
}

// setDescr sets a's element type from a NumPy type string such as '<f4'.
func (a *npyArray) setDescr(descr string) error {
	bad := fmt.Errorf("dtype '%s' is not supported: want float32 ('<f4'), float64 ('<f8') or uint8 ('|u1') data, integer labels", descr)
	if len(descr) < 3 {
		return bad
	}
	switch descr[0] {
	case '<', '|', '=':
		a.order = binary.LittleEndian // '=' is native: little-endian on every platform wgml runs on
	case '>':
		a.order = binary.BigEndian
	default:
		return bad
	}
	a.kind = descr[1]
	size, err := strconv.Atoi(descr[2:])
	if err != nil {
		return bad
	}
	a.size = size
	switch {
	case a.kind == 'f' && (size == 4 || size == 8):
	case (a.kind == 'u' || a.kind == 'i') && (size == 1 || size == 2 || size == 4 || size == 8):
	default:
		return bad
	}
	return nil
}

// pyLiteral is a cursor over the text of a Python literal.
type pyLiteral struct{ s string }

// eat consumes tok (after spaces) if the text starts with it.
func (p *pyLiteral) eat(tok string) bool {
	p.s = strings.TrimLeft(p.s, " \t\n")
	if strings.HasPrefix(p.s, tok) {
		p.s = p.s[len(tok):]
		return true
	}
	return false
}

// str consumes a quoted string without escapes.
func (p *pyLiteral) str() (string, bool) {
	p.s = strings.TrimLeft(p.s, " \t\n")
	if p.s == "" || p.s[0] != '\'' && p.s[0] != '"' {
		return "", false
	}
	end := strings.IndexByte(p.s[1:], p.s[0])
	if end < 0 {
		return "", false
	}
	v := p.s[1 : 1+end]
	p.s = p.s[2+end:]
	return v, true
}

// tuple consumes a tuple of non-negative ints, such as (3, 4) or (3,).
func (p *pyLiteral) tuple() ([]int, bool) {
	if !p.eat("(") {
		return nil, false
	}
	shape := []int{}
	for !p.eat(")") {
		p.s = strings.TrimLeft(p.s, " \t\n")
		k := 0
		for k < len(p.s) && p.s[k] >= '0' && p.s[k] <= '9' {
			k++
		}
		n, err := strconv.Atoi(p.s[:k])
		if err != nil || n > 1<<48 {
			return nil, false
		}
		shape = append(shape, n)
		p.s = p.s[k:]
		p.eat("L") // Python 2's long suffix
		if !p.eat(",") && !strings.HasPrefix(strings.TrimLeft(p.s, " "), ")") {
			return nil, false
		}
	}
	return shape, true
}
