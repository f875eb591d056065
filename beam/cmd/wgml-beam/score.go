package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	wgmlbeam "github.com/wgml/wgml/beam"
)

// scoreCmd is `wgml-beam score` (and `encode`): rows of CSV files scored
// (or encoded) with a checkpoint, written as sharded CSV, rows that do not
// fit written as dead letters.
type scoreCmd struct {
	encode                         bool
	model, data, out, dead, keyCol string
	sep                            string
	batch, shards                  int
}

func (c *scoreCmd) register(fs *flag.FlagSet) {
	what := "scores: index|key,score,is_outlier,probability"
	if c.encode {
		what = "latent codes: index|key,z0,z1,..."
	}
	fs.StringVar(&c.model, "model", "", "the checkpoint (model.safetensors of wgml train; local, gs:// or s3://)")
	fs.StringVar(&c.data, "data", "", "CSV files with a header row: a path or glob (local, gs:// or s3://)")
	fs.StringVar(&c.out, "out", "", "prefix of the output shards PREFIX-SSSSS-of-NNNNN.csv of "+what)
	fs.StringVar(&c.dead, "dead-letter", "", "prefix of the dead-letter shards: rows that do not fit the model, with file, line and reason (default: OUT-dead-letter)")
	fs.StringVar(&c.keyCol, "key-col", "", "a column that names each row (written instead of its index; not a feature)")
	fs.StringVar(&c.sep, "sep", "", "field separator, one character or tab (default ,)")
	fs.IntVar(&c.batch, "batch", wgmlbeam.DefaultBatch, "rows per batch a worker scores at once")
	fs.IntVar(&c.shards, "shards", 1, "number of output files")
}

func (c *scoreCmd) build(ctx context.Context, s beam.Scope) error {
	switch {
	case c.model == "":
		return fmt.Errorf("--model: give the checkpoint to score with")
	case c.data == "":
		return fmt.Errorf("--data: give the CSV files to score")
	case c.out == "":
		return fmt.Errorf("--out: give the prefix of the output files")
	case c.shards < 1 || c.batch < 1:
		return fmt.Errorf("--shards %d, --batch %d: want at least 1", c.shards, c.batch)
	}
	if c.dead == "" {
		c.dead = c.out + "-dead-letter"
	}
	m, err := wgmlbeam.OpenModel(ctx, c.model)
	if err != nil {
		return err
	}
	t, err := wgmlbeam.OpenCSV(ctx, c.data, wgmlbeam.CSVOptions{KeyCol: c.keyCol, Sep: c.sep})
	if err != nil {
		return err
	}
	rows, unread := t.Read(s)
	opt := wgmlbeam.ScoreOptions{Batch: c.batch}
	var res, dead beam.PCollection
	var out wgmlbeam.CSV
	if c.encode {
		if res, dead, err = wgmlbeam.Encode(s, m, t, rows, opt); err == nil {
			out = wgmlbeam.CodesCSV(s, t, m, res)
		}
	} else {
		if res, dead, err = wgmlbeam.Score(s, m, t, rows, opt); err == nil {
			out = wgmlbeam.ScoresCSV(s, t, res)
		}
	}
	if err != nil {
		return err
	}
	wgmlbeam.WriteCSV(s, c.out, c.shards, out)
	wgmlbeam.WriteCSV(s, c.dead, 1, wgmlbeam.DeadCSV(s, beam.Flatten(s, unread, dead)))
	return nil
}

func (c *scoreCmd) done(out io.Writer) {
	fmt.Fprintf(out, "wrote %s (and %s where some row did not fit)\n", wgmlbeam.ShardName(c.out, 0, c.shards)+"...", wgmlbeam.ShardName(c.dead, 0, 1))
}
