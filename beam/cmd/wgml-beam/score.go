package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	wgmlbeam "github.com/wgml/wgml/beam"
)

// scoreCmd is `wgml-beam score` (and `encode`): rows of CSV or Parquet
// files scored (or encoded) with a checkpoint, written as sharded CSV or
// Parquet, rows that do not fit written as dead letters.
type scoreCmd struct {
	ioFlags
	encode        bool
	model, dead   string
	format        string
	batch, shards int
}

func (c *scoreCmd) register(fs *flag.FlagSet) {
	what := "scores: index|key,score,is_outlier,probability"
	if c.encode {
		what = "latent codes: index|key,z0,z1,..."
	}
	c.ioFlags.register(fs, "prefix of the output shards PREFIX-SSSSS-of-NNNNN.csv (or .parquet) of "+what,
		"a CSV column that names each row (written instead of its index; not a feature)")
	fs.StringVar(&c.model, "model", "", "the checkpoint (model.safetensors of wgml train; local, gs:// or s3://)")
	fs.StringVar(&c.dead, "dead-letter", "", "prefix of the dead-letter shards: rows that do not fit the model, with file, line and reason (default: OUT-dead-letter)")
	fs.StringVar(&c.format, "format", "", "output format: csv or parquet (default: by --out's extension, else csv)")
	fs.IntVar(&c.batch, "batch", wgmlbeam.DefaultBatch, "rows per batch a worker scores at once (CSV input)")
	fs.IntVar(&c.shards, "shards", 1, "number of output files")
}

// outFormat is the output format and prefix --format and --out say.
func (c *scoreCmd) outFormat() (wgmlbeam.Format, string, error) {
	f, prefix := wgmlbeam.FormatOf(c.out)
	switch c.format {
	case "":
	case "csv":
		f = wgmlbeam.CSVFormat
	case "parquet":
		f = wgmlbeam.ParquetFormat
	default:
		return 0, "", fmt.Errorf("--format %q: want csv or parquet", c.format)
	}
	return f, prefix, nil
}

func (c *scoreCmd) build(ctx context.Context, s beam.Scope) error {
	if c.model == "" {
		return fmt.Errorf("--model: give the checkpoint to score with")
	}
	if err := c.check(); err != nil {
		return err
	}
	if c.shards < 1 || c.batch < 1 {
		return fmt.Errorf("--shards %d, --batch %d: want at least 1", c.shards, c.batch)
	}
	f, prefix, err := c.outFormat()
	if err != nil {
		return err
	}
	c.out = prefix
	if c.dead == "" {
		c.dead = c.out + "-dead-letter"
	}
	m, err := wgmlbeam.OpenModel(ctx, c.model)
	if err != nil {
		return err
	}
	out, dead, err := c.results(ctx, s, m)
	if err != nil {
		return err
	}
	wgmlbeam.Write(s, c.out, c.shards, out, f)
	wgmlbeam.WriteCSV(s, c.dead, 1, wgmlbeam.DeadCSV(s, dead))
	return nil
}

// results are the scores (or codes) of the rows of --data, formatted, and
// the rows that did not fit.
func (c *scoreCmd) results(ctx context.Context, s beam.Scope, m *wgmlbeam.Model) (wgmlbeam.CSV, beam.PCollection, error) {
	if wgmlbeam.IsParquet(c.data) {
		if c.keyCol != "" {
			return wgmlbeam.CSV{}, beam.PCollection{}, fmt.Errorf("--key-col: Parquet rows are named by file and index")
		}
		t, err := wgmlbeam.OpenParquet(ctx, c.data, m)
		if err != nil {
			return wgmlbeam.CSV{}, beam.PCollection{}, err
		}
		if c.encode {
			codes, dead := wgmlbeam.EncodeParquet(s, m, t)
			return wgmlbeam.CodesCSV(s, t, m, codes), dead, nil
		}
		scores, dead := wgmlbeam.ScoreParquet(s, m, t)
		return wgmlbeam.ScoresCSV(s, t, scores), dead, nil
	}
	t, err := wgmlbeam.OpenCSV(ctx, c.data, wgmlbeam.CSVOptions{KeyCol: c.keyCol, Sep: c.sep})
	if err != nil {
		return wgmlbeam.CSV{}, beam.PCollection{}, err
	}
	rows, unread := t.Read(s)
	opt := wgmlbeam.ScoreOptions{Batch: c.batch}
	if c.encode {
		codes, dead, err := wgmlbeam.Encode(s, m, t, rows, opt)
		return wgmlbeam.CodesCSV(s, t, m, codes), beam.Flatten(s, unread, dead), err
	}
	scores, dead, err := wgmlbeam.Score(s, m, t, rows, opt)
	return wgmlbeam.ScoresCSV(s, t, scores), beam.Flatten(s, unread, dead), err
}

func (c *scoreCmd) done(out io.Writer) {
	f, _, _ := c.outFormat()
	fmt.Fprintf(out, "wrote %s (and %s where some row did not fit)\n", f.Shard(c.out, 0, c.shards)+"...", wgmlbeam.ShardName(c.dead, 0, 1))
}
