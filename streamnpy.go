package wgml

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// npyChunkBytes is the size of the chunks a .npy array streams in: 4 MiB
// of float32 rows (one row at least).
const npyChunkBytes = 4 << 20

// eachNPYRows is eachRows for a .npy array of floats (data.NPYStream),
// read npyChunkBytes at a time, each chunk normalised as the model's
// rows are (m.source), with the labels of open.Labels.
func (m *Model) eachNPYRows(spec string, open data.OpenOptions, want nn.Want, f func(k *chunkRun) error) (labels []int, classes []string, err error) {
	s, err := data.OpenNPYStream(spec)
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	if s.Cols != m.Net.Config.Input() {
		return nil, nil, fmt.Errorf("data %s has %d columns, model expects %d", spec, s.Cols, m.Net.Config.Input())
	}
	if open.Labels != "" {
		if labels, classes, err = data.ReadNPYLabels(open.Labels, s.Rows); err != nil {
			return nil, nil, err
		}
	}
	chunk := max(1, npyChunkBytes/(4*s.Cols))
	buf := make([]float32, min(chunk, s.Rows)*s.Cols)
	for at := 0; at < s.Rows; at += chunk {
		n := min(chunk, s.Rows-at)
		if err := s.ReadRows(buf, at, n); err != nil {
			return nil, nil, err
		}
		k := &chunkRun{at: at, c: &data.Chunk{Rows: n}, d: &data.Dataset{Name: spec, Rows: n, Cols: s.Cols, Floats: buf[:n*s.Cols]}}
		if k.src, err = m.source(k.d); err != nil {
			return nil, nil, err
		}
		if k.res, err = m.Net.Run(m.Backend, k.src, m.Batch, want); err != nil {
			return nil, nil, err
		}
		if err := f(k); err != nil {
			return nil, nil, err
		}
	}
	return labels, classes, nil
}

// isNPY reports whether spec names a .npy file.
func isNPY(spec string) bool { return strings.EqualFold(filepath.Ext(spec), ".npy") }

// streamsNPY reports whether a .npy array streams: one of floats (an
// array of bytes holds pixels, which the backend scales itself) split by
// its test fraction (a TestFile is for tables: ReadSplit says so).
func streamsNPY(p Part) bool {
	if p.Open.TestFile != "" {
		return false
	}
	s, err := data.OpenNPYStream(p.Spec)
	if err != nil {
		return false // reading it whole says what is wrong
	}
	defer s.Close()
	return !s.Pixels()
}
