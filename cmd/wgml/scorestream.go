package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/internal/atomicfile"
)

// parseShard reads --shard I/N; "" takes every chunk.
func parseShard(s string) (lib.Shard, error) {
	if s == "" {
		return lib.Shard{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	sh := lib.Shard{I: i, N: n}
	if !ok || err1 != nil || err2 != nil || sh.Check() != nil || n == 0 {
		return lib.Shard{}, usagef("shard %q: want I/N with 0 <= I < N (every N-th chunk or Parquet row group from the I-th)", s)
	}
	return sh, nil
}

// streams reports whether score runs as a stream: --data -, --out - or
// --shard.
func (c *scoreCmd) streams() bool {
	return c.mf.data.spec == "-" || c.out == "-" || c.shard != (lib.Shard{})
}

// scoreStream is wgml score as a stream (lib.Model.ScoreStream): the rows
// of --data read chunk by chunk, the scores CSV written to --out (stdout
// for "-", else a file written atomically), nothing else on stdout.
func (c *scoreCmd) scoreStream(out, errOut io.Writer) error {
	for _, f := range []string{"score", "contamination", "threshold-method", "outlier-label", "per-feature", "heatmap", "split"} {
		if c.fs.Changed(f) {
			return usagef("%s: not with --data -, --out - or --shard, which score with the model's threshold (or --threshold) only", f)
		}
	}
	b, err := openBackend(*c.mf.backend, errOut)
	if err != nil {
		return err
	}
	defer b.Release()
	m, err := lib.Load(c.mf.ckpt, b)
	if err != nil {
		return err
	}
	if c.given {
		m.Threshold = c.threshold
	}
	spec := c.mf.data.spec
	if spec == "" {
		spec = m.Card().Data.Spec
	}
	opt := lib.StreamOptions{Shard: c.shard, Warn: errOut}
	if c.out == "-" {
		_, err = m.ScoreStream(spec, out, opt)
		return err
	}
	c.out = orBeside(c.out, c.mf.ckpt, "scores.csv")
	if err := lib.CheckOutputs(c.out); err != nil {
		return err
	}
	var n int
	err = atomicfile.Write(c.out, func(w io.Writer) (err error) {
		n, err = m.ScoreStream(spec, w, opt)
		return err
	})
	if err == nil {
		fmt.Fprintf(out, "scored %d rows of %s\nwrote %s\n", n, spec, c.out)
	}
	return err
}
