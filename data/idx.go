package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"strconv"
	"strings"
)

// idxTypeNames names the IDX element types, for error messages.
var idxTypeNames = map[byte]string{
	0x08: "unsigned byte", 0x09: "signed byte", 0x0b: "int16",
	0x0c: "int32", 0x0d: "float32", 0x0e: "float64",
}

// ReadIDX reads an IDX file (the format of MNIST and Fashion-MNIST), raw or
// gzip-compressed (recognised by its magic bytes 1f 8b, whatever the file
// name). Only unsigned-byte data (type 0x08) is supported. It returns the
// dimensions from the header and the data, whose size is their product.
func ReadIDX(path string) (dims []int, data []uint8, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	dims, data, err = readIDX(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return dims, data, nil
}

// readIDX does ReadIDX's work on an open file.
func readIDX(f io.Reader) ([]int, []uint8, error) {
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("bad gzip data: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, nil, headerErr(err)
	}
	if head[0] != 0 || head[1] != 0 || head[3] == 0 {
		return nil, nil, fmt.Errorf("not an IDX file (magic 0x%08x)", binary.BigEndian.Uint32(head[:]))
	}
	if head[2] != 0x08 {
		name := idxTypeNames[head[2]]
		if name == "" {
			name = "unknown"
		}
		return nil, nil, fmt.Errorf("IDX data type 0x%02x (%s) is not supported, only unsigned bytes (0x08)", head[2], name)
	}
	raw := make([]byte, 4*int(head[3]))
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, nil, headerErr(err)
	}
	dims := make([]int, head[3])
	for i := range dims {
		dims[i] = int(binary.BigEndian.Uint32(raw[4*i:]))
	}
	shape := shapeString(dims)
	size := uint64(1)
	for _, n := range dims {
		hi, lo := bits.Mul64(size, uint64(n))
		if hi != 0 || lo > math.MaxInt64-1 {
			return nil, nil, fmt.Errorf("header says %s, too large", shape)
		}
		size = lo
	}
	// ReadAll grows its buffer as data arrives, so a corrupt header cannot
	// make it allocate more than the file holds.
	data, err := io.ReadAll(io.LimitReader(r, int64(size)+1))
	if err != nil {
		return nil, nil, corrupt(err)
	}
	// Reading to the end counts surplus bytes and lets gzip check its CRC.
	rest, err := io.Copy(io.Discard, r)
	if err != nil {
		return nil, nil, corrupt(err)
	}
	if have := uint64(len(data)) + uint64(rest); have != size {
		return nil, nil, fmt.Errorf("header says %s = %d bytes, file has %d", shape, size, have)
	}
	return dims, data, nil
}

// shapeString writes dims as "60000x28x28".
func shapeString(dims []int) string {
	text := make([]string, len(dims))
	for i, d := range dims {
		text[i] = strconv.Itoa(d)
	}
	return strings.Join(text, "x")
}

// headerErr explains an error met while reading the IDX header.
func headerErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("file ends inside the IDX header")
	}
	return corrupt(err)
}

// corrupt explains an error met while reading the data.
func corrupt(err error) error {
	return fmt.Errorf("truncated or corrupt data: %w", err)
}

// LoadIDXPair reads an IDX image file (N×H×W, or N×D for flat rows) and its
// IDX label file (N labels, each 0..255 as unsigned bytes) into a dataset
// named after the image file.
func LoadIDXPair(images, labels string) (*Dataset, error) {
	dims, pix, err := ReadIDX(images)
	if err != nil {
		return nil, err
	}
	if len(dims) < 2 {
		return nil, fmt.Errorf("%s: %d-dimensional, want images (N×H×W or N×D)", images, len(dims))
	}
	if dims[0] == 0 {
		return nil, fmt.Errorf("%s: no images", images)
	}
	if len(pix) == 0 {
		return nil, fmt.Errorf("%s: images of %s pixels, want at least one pixel", images, shapeString(dims[1:]))
	}
	ldims, lab, err := ReadIDX(labels)
	if err != nil {
		return nil, err
	}
	if len(ldims) != 1 {
		return nil, fmt.Errorf("%s: %d-dimensional, want a vector of labels", labels, len(ldims))
	}
	if ldims[0] != dims[0] {
		return nil, fmt.Errorf("%s: %d labels for %d images in %s", labels, ldims[0], dims[0], images)
	}
	d := &Dataset{Name: images, Rows: dims[0], Cols: len(pix) / dims[0], Bytes: pix, Labels: make([]int, len(lab))}
	if len(dims) == 3 {
		d.Height, d.Width = dims[1], dims[2]
	}
	for i, l := range lab {
		d.Labels[i] = int(l)
	}
	return d, nil
}
