package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"
	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/internal/atomicfile"
)

// streamCmd is what score, encode and denoise share to run as a stream
// (lib.Model.ScoreStream, EncodeStream, DenoiseStream): --data and --out
// ("-": stdin and stdout), --shard, the output's default name beside the
// checkpoint, and the flags a stream cannot honour.
type streamCmd struct {
	fs    *pflag.FlagSet
	mf    *modelFlags
	out   *string
	shard lib.Shard
	raw   *string  // --shard as given
	name  string   // the default output beside the checkpoint
	verb  string   // the summary's verb: scored, encoded, de-noised
	not   []string // flags a stream refuses
}

// addStreamFlags adds --shard to fs for a command writing name (beside
// the checkpoint) to out by default; a stream refuses the flags not.
func addStreamFlags(fs *pflag.FlagSet, mf *modelFlags, out *string, name, verb string, not ...string) *streamCmd {
	s := &streamCmd{fs: fs, mf: mf, out: out, name: name, verb: verb, not: not}
	s.raw = fs.String("shard", "", "stream every N-th chunk (CSV block, Parquet row group) from the I-th, I in [0,N), as I/N")
	return s
}

// parsed reads --shard once fs is parsed.
func (s *streamCmd) parsed() (err error) {
	s.shard, err = lib.ParseShard(*s.raw)
	return err
}

// streams reports whether the command runs as a stream: --data -, --out -
// or --shard.
func (s *streamCmd) streams() bool {
	return s.mf.data.spec == "-" || *s.out == "-" || s.shard != (lib.Shard{})
}

// streamFunc is one of lib.Model's streams.
type streamFunc func(m *lib.Model, spec string, w io.Writer, opt lib.StreamOptions) (int, error)

// run loads the model and streams the rows of --data (the checkpoint's
// data when not given) through write to --out: stdout for "-" (nothing
// else is written there), else a file written atomically.
func (s *streamCmd) run(out, errOut io.Writer, opt lib.StreamOptions, write streamFunc) error {
	for _, f := range s.not {
		if s.fs.Changed(f) {
			return usagef("%s: not with --data -, --out - or --shard, which stream the rows one chunk at a time", f)
		}
	}
	if s.mf.batch <= 0 {
		return usagef("batch %d: want a positive batch size", s.mf.batch)
	}
	b, err := openBackend(*s.mf.backend, errOut)
	if err != nil {
		return err
	}
	defer b.Release()
	m, err := lib.Load(s.mf.ckpt, b)
	if err != nil {
		return err
	}
	m.Batch = s.mf.batch
	spec := s.mf.data.spec
	if spec == "" {
		spec = m.Card().Data.Spec
	}
	opt.Shard, opt.Warn = s.shard, errOut
	if *s.out == "-" {
		_, err = write(m, spec, out, opt)
		return err
	}
	path := lib.Beside(*s.out, s.mf.ckpt, s.name)
	if err := lib.CheckOutputs(path); err != nil {
		return err
	}
	var n int
	err = atomicfile.Write(path, func(w io.Writer) (err error) {
		n, err = write(m, spec, w, opt)
		return err
	})
	if err == nil {
		fmt.Fprintf(out, "%s %d rows of %s\nwrote %s\n", s.verb, n, spec, path)
	}
	return err
}

// part is the Part of the data the flags choose: --data (the checkpoint's
// data when not given) read as training read it, each data flag given
// overriding its option (lib.Model.ReadOptions), its --split, --limit and
// --test-limit.
func (f *modelFlags) part(m *lib.Model) (lib.Part, error) {
	opt, err := f.data.options()
	if err != nil {
		return lib.Part{}, err
	}
	spec := f.data.spec
	if spec == "" {
		spec = m.Card().Data.Spec
	}
	return lib.Part{Spec: spec, Open: m.ReadOptions(spec, opt, f.data.fs.Changed), Split: f.split, Limit: f.data.limit, TestLimit: f.data.testLimit}, nil
}
