// Package safetensors reads and writes the safetensors format, wgml's
// checkpoint container.
package safetensors

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/wgml/wgml/internal/atomicfile"
)

// Checkpoints use the safetensors format (github.com/huggingface/safetensors),
// which PyTorch's safetensors.torch.load_file reads:
//
//	8 bytes    little-endian u64 N, the header length
//	N bytes    JSON header: {"__metadata__": {string: string},
//	           "name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}
//	the rest   tensor data, little-endian, at the offsets (relative to the
//	           end of the header) the header gives
//
// Write pads the header with spaces so the data starts 8-byte
// aligned. Only F32 tensors are supported.
const (
	stMetadataKey = "__metadata__"
	stMaxHeader   = 100 << 20 // the most header bytes Read accepts
)

// Tensor is a named, row-major float32 tensor of any rank, as stored
// in a safetensors file. A scalar has an empty Shape and one value.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// stInfo is a tensor's entry in a safetensors header.
type stInfo struct {
	DType       string  `json:"dtype"`
	Shape       []int   `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// Write writes tensors, in the order given, and meta (which may be
// nil) to path as a safetensors file. Names must be unique, non-empty and not
// "__metadata__"; each tensor's Shape must account for all of its Data.
//
// The write is atomic: the file is written to a temporary file in path's
// directory, synced and renamed over path, and the directory is synced, so
// path holds either its old contents or the complete new file, even after a
// crash. On error the temporary file is removed.
func Write(path string, tensors []Tensor, meta map[string]string) error {
	header, err := stHeader(tensors, meta)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		if err := binary.Write(w, binary.LittleEndian, uint64(len(header))); err != nil {
			return err
		}
		if _, err := w.Write(header); err != nil {
			return err
		}
		for _, t := range tensors {
			if err := binary.Write(w, binary.LittleEndian, t.Data); err != nil {
				return err
			}
		}
		return nil
	})
}

// stHeader checks tensors and returns the JSON header describing them and
// meta, padded with spaces to a multiple of 8 bytes.
func stHeader(tensors []Tensor, meta map[string]string) ([]byte, error) {
	header := make(map[string]any, len(tensors)+1)
	if len(meta) > 0 {
		header[stMetadataKey] = meta
	}
	var offset int64
	for i, t := range tensors {
		switch _, dup := header[t.Name]; {
		case t.Name == "":
			return nil, fmt.Errorf("tensor %d has no name", i)
		case t.Name == stMetadataKey:
			return nil, fmt.Errorf("tensor %d: the name %q is reserved", i, t.Name)
		case dup:
			return nil, fmt.Errorf("tensor %q appears twice", t.Name)
		}
		if n, ok := stCount(t.Shape, int64(len(t.Data))); !ok || n != int64(len(t.Data)) {
			return nil, fmt.Errorf("tensor %q: shape %v does not hold its %d values", t.Name, t.Shape, len(t.Data))
		}
		size := 4 * int64(len(t.Data))
		header[t.Name] = stInfo{
			DType:       "F32",
			Shape:       append([]int{}, t.Shape...), // [] rather than null for a scalar
			DataOffsets: []int64{offset, offset + size},
		}
		offset += size
	}
	js, err := json.Marshal(header)
	if err != nil {
		return nil, err
	}
	return append(js, bytes.Repeat([]byte{' '}, -len(js)&7)...), nil
}

// stCount returns the number of elements of shape, and false if a dimension
// is negative or the count exceeds limit.
func stCount(shape []int, limit int64) (int64, bool) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 || (d > 0 && n > limit/int64(d)) {
			return 0, false
		}
		n *= int64(d)
	}
	return n, n <= limit
}

// Read reads the safetensors file at path, returning its tensors
// by name and its metadata (empty, not nil, where the file has none).
//
// The file is checked before anything sized by its header is allocated: the
// header length must fit the file and 100 MiB, every tensor must be F32 with
// a shape matching its data_offsets, and the tensors' data must tile the
// data section exactly, with no overlap, gap, missing or trailing bytes.
// Errors name the file and what is wrong.
func Read(path string) (tensors map[string]Tensor, meta map[string]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	tensors, meta, err = read(bufio.NewReader(f), st.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return tensors, meta, nil
}

// read reads a safetensors file of size bytes from r.
func read(r io.Reader, size int64) (map[string]Tensor, map[string]string, error) {
	var prefix [8]byte
	if size < int64(len(prefix)) {
		return nil, nil, fmt.Errorf("truncated: %d bytes, want at least the 8-byte header length", size)
	}
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return nil, nil, err
	}
	n := binary.LittleEndian.Uint64(prefix[:])
	if n > stMaxHeader {
		return nil, nil, fmt.Errorf("header length %d exceeds the %d-byte limit", n, stMaxHeader)
	}
	if n > uint64(size-8) {
		return nil, nil, fmt.Errorf("truncated: header length says %d bytes, file has %d after it", n, size-8)
	}
	header := make([]byte, n)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, nil, err
	}
	infos, meta, err := stParseHeader(header)
	if err != nil {
		return nil, nil, err
	}
	dataLen := size - 8 - int64(n)
	if err := stCheckLayout(infos, dataLen); err != nil {
		return nil, nil, err
	}

	data := make([]byte, dataLen)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, nil, err
	}
	tensors := make(map[string]Tensor, len(infos))
	for name, info := range infos {
		raw := data[info.DataOffsets[0]:info.DataOffsets[1]]
		values := make([]float32, len(raw)/4)
		for i := range values {
			values[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		tensors[name] = Tensor{Name: name, Shape: info.Shape, Data: values}
	}
	return tensors, meta, nil
}

// stParseHeader decodes a safetensors header and checks each tensor entry
// on its own: dtype, shape, and that the shape matches its data_offsets.
func stParseHeader(header []byte) (map[string]stInfo, map[string]string, error) {
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(header, &entries); err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	if entries == nil {
		return nil, nil, errors.New("header: want a JSON object, got null")
	}
	meta := map[string]string{}
	infos := make(map[string]stInfo, len(entries))
	for name, raw := range entries {
		if name == stMetadataKey {
			if err := json.Unmarshal(raw, &meta); err != nil {
				return nil, nil, fmt.Errorf("header: %s: want an object of strings: %w", stMetadataKey, err)
			}
			continue
		}
		var info stInfo
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&info); err != nil {
			return nil, nil, fmt.Errorf("header: tensor %q: %w", name, err)
		}
		if info.DType != "F32" {
			return nil, nil, fmt.Errorf("header: tensor %q: dtype %q, want F32", name, info.DType)
		}
		if info.Shape == nil {
			return nil, nil, fmt.Errorf("header: tensor %q: no shape", name)
		}
		if len(info.DataOffsets) != 2 {
			return nil, nil, fmt.Errorf("header: tensor %q: data_offsets %v, want [begin, end]", name, info.DataOffsets)
		}
		begin, end := info.DataOffsets[0], info.DataOffsets[1]
		if begin < 0 || end < begin {
			return nil, nil, fmt.Errorf("header: tensor %q: data_offsets [%d, %d] are not a byte range", name, begin, end)
		}
		if n, ok := stCount(info.Shape, (end-begin)/4); !ok || 4*n != end-begin {
			return nil, nil, fmt.Errorf("header: tensor %q: shape %v does not match data_offsets [%d, %d] (%d bytes of F32)",
				name, info.Shape, begin, end, end-begin)
		}
		infos[name] = info
	}
	return infos, meta, nil
}

// stCheckLayout checks that the tensors' data_offsets tile [0, dataLen)
// exactly: no overlaps, no gaps, nothing missing and nothing left over.
func stCheckLayout(infos map[string]stInfo, dataLen int64) error {
	names := make([]string, 0, len(infos))
	for name := range infos {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(
			cmp.Compare(infos[a].DataOffsets[0], infos[b].DataOffsets[0]),
			cmp.Compare(infos[a].DataOffsets[1], infos[b].DataOffsets[1]),
			cmp.Compare(a, b))
	})
	var end int64
	for i, name := range names {
		switch begin := infos[name].DataOffsets[0]; {
		case begin < end:
			return fmt.Errorf("header: tensors %q and %q overlap", names[i-1], name)
		case begin > end:
			return fmt.Errorf("header: %d bytes before tensor %q belong to no tensor", begin-end, name)
		}
		end = infos[name].DataOffsets[1]
	}
	switch {
	case end > dataLen:
		return fmt.Errorf("truncated: header says %d data bytes, file has %d", end, dataLen)
	case end < dataLen:
		return fmt.Errorf("%d trailing bytes after the %d data bytes the header describes", dataLen-end, end)
	}
	return nil
}
