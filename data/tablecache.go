package data

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/wgml/wgml/internal/atomicfile"
)

// TableCache is a table file (CSV or Parquet) converted once into binary
// files in a folder, for a training set streamed from disk: the Number
// columns as a float32 .npy of the table's rows (a missing value as 0),
// under a missing-value policy that imputes them a uint8 .npy marking each
// value present (1) or missing (0), and the label codes as a float32 .npy.
// Text columns are not cached (see CacheTable). cache.json records the
// source's size and modification time and the reading options: a cache
// whose source or options changed is stale and rebuilt.
type TableCache struct {
	Source    string   `json:"source"`
	Size      int64    `json:"size"`
	ModTime   int64    `json:"mtime_ns"`
	Options   string   `json:"options"` // the CSVOptions read with, as JSON
	Rows      int      `json:"rows"`
	Names     []string `json:"names"`
	Label     string   `json:"label,omitempty"`
	LabelDict []string `json:"label_dict,omitempty"` // the label codes' values
	Masked    bool     `json:"masked,omitempty"`
	dir       string
}

// The files of a TableCache's folder.
const (
	cacheMeta   = "cache.json"
	cacheValues = "values.npy"
	cacheMask   = "mask.npy"
	cacheLabels = "labels.npy"
)

// CacheTable returns the cache in dir (created if missing) of the table at
// path read with opt: the cache there when it is valid (its source has the
// size and modification time recorded, it was read with the same options
// and its files are whole), else a new one, read chunk by chunk with
// OpenTable (the column kinds inferred from a sample as that reader does)
// in memory bounded by a chunk. built reports whether it was (re)built. A
// table with a Text column is refused: the cache holds numbers only.
func CacheTable(path, dir string, opt CSVOptions) (c *TableCache, built bool, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, false, err
	}
	key, err := json.Marshal(opt)
	if err != nil {
		return nil, false, err
	}
	want := TableCache{Source: path, Size: st.Size(), ModTime: st.ModTime().UnixNano(), Options: string(key), dir: dir}
	if c, ok := readCache(dir, want); ok {
		return c, false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, err
	}
	os.Remove(filepath.Join(dir, cacheMeta)) // stale from here on
	c = &want
	if err := c.build(opt); err != nil {
		return nil, false, err
	}
	return c, true, atomicfile.Write(filepath.Join(dir, cacheMeta), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(c)
	})
}

// readCache returns the cache recorded in dir if it matches want (source,
// size, time, options) and its files have the sizes its rows need.
func readCache(dir string, want TableCache) (*TableCache, bool) {
	b, err := os.ReadFile(filepath.Join(dir, cacheMeta))
	if err != nil {
		return nil, false
	}
	var c TableCache
	if json.Unmarshal(b, &c) != nil || c.Source != want.Source || c.Size != want.Size || c.ModTime != want.ModTime || c.Options != want.Options {
		return nil, false
	}
	c.dir = dir
	for _, f := range c.files() {
		st, err := os.Stat(filepath.Join(dir, f.name))
		if err != nil || st.Size() != npyAppendHeader+int64(c.Rows)*int64(f.cols*f.elem) {
			return nil, false
		}
	}
	return &c, true
}

// cacheFile is one .npy file of a cache: its name, columns and bytes per
// value.
type cacheFile struct {
	name, descr string
	cols, elem  int
}

// files lists the cache's .npy files: values, then the mask and the labels
// where it has them.
func (c *TableCache) files() []cacheFile {
	fs := []cacheFile{{cacheValues, "<f4", len(c.Names), 4}}
	if c.Masked {
		fs = append(fs, cacheFile{cacheMask, "|u1", len(c.Names), 1})
	}
	if c.Label != "" {
		fs = append(fs, cacheFile{cacheLabels, "<f4", 1, 4})
	}
	return fs
}

// build reads the table into the cache's files.
func (c *TableCache) build(opt CSVOptions) error {
	r, err := OpenTable(c.Source, opt)
	if err != nil {
		return err
	}
	defer r.Close()
	h := r.Header()
	if k := slices.Index(h.Kinds, Text); k >= 0 {
		return fmt.Errorf("%s: column %q is text (categorical): a streamed table is cached as numbers only; leave it out with --drop %s or train without --stream", c.Source, h.Names[k], h.Names[k])
	}
	c.Names, c.Label, c.Masked = h.Names, h.Label, opt.Missing == MissingMean || opt.Missing == MissingMask
	out := make([]*npyAppender, 0, 3)
	defer func() {
		for _, a := range out {
			a.abort()
		}
	}()
	for _, f := range c.files() {
		a, err := createNPY(filepath.Join(c.dir, f.name), f.descr, f.cols, f.elem)
		if err != nil {
			return err
		}
		out = append(out, a)
	}
	if err := c.copyRows(r, out); err != nil {
		return err
	}
	if c.Rows == 0 {
		return fmt.Errorf("%s: %w", c.Source, errNoRows)
	}
	_, c.LabelDict = r.Dicts()
	for len(out) > 0 {
		if err := out[0].finish(); err != nil {
			return err
		}
		out = out[1:]
	}
	return nil
}

// copyRows writes every chunk of r into out (values, mask, labels as
// c.files lists them).
func (c *TableCache) copyRows(r TableReader, out []*npyAppender) error {
	var vals, mask, labels []byte
	for {
		ch, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		vals, mask = vals[:0], mask[:0]
		for _, v := range ch.Nums {
			present := !isMissingNum(v)
			if !present {
				v = 0
			}
			vals = binary.LittleEndian.AppendUint32(vals, math.Float32bits(v))
			mask = append(mask, b2u8(present))
		}
		parts := [][]byte{vals, mask}[:1+b2i(c.Masked)]
		if c.Label != "" {
			labels = labels[:0]
			for _, l := range ch.Labels {
				labels = binary.LittleEndian.AppendUint32(labels, math.Float32bits(float32(l)))
			}
			parts = append(parts, labels)
		}
		for k, p := range parts {
			if err := out[k].write(p); err != nil {
				return err
			}
		}
		c.Rows += ch.Rows
		if rel, ok := r.(interface{ Release(*Chunk) }); ok {
			rel.Release(ch)
		}
	}
}

func b2u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func b2i(b bool) int { return int(b2u8(b)) }

// labels returns the label numbers (and class names) of the cache's label
// codes, as a CSV's labels number (see ReadCSV); nil without labels.
func (c *TableCache) labels() (byCode []int, classes []string) {
	return parseLabels(c.LabelDict)
}
