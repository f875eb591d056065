package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/wgml/wgml"
	wgmlbeam "github.com/wgml/wgml/beam"
	"github.com/wgml/wgml/data"
)

// trainCmd is `wgml-beam train-per-key`: one model per key of a CSV
// table, trained as `wgml train` trains, each checkpoint written to
// OUT/key=KEY/model.safetensors, one summary row per key.
type trainCmd struct {
	ioFlags
	summary, layers       string
	opt                   wgml.Options
	lr                    float64
	open                  data.CSVOptions
	naValues, categorical string
	minRows               int
}

func (c *trainCmd) register(fs *flag.FlagSet) {
	o := &c.opt
	c.ioFlags.register(fs, "folder of the checkpoints OUT/key=KEY/model.safetensors (local, gs:// or s3://)",
		"the segment column: one model per value (not a feature)")
	fs.StringVar(&c.summary, "summary", "", "prefix of the summary CSV: key,rows,batch,epochs,loss,threshold,path,skipped (default OUT/summary)")
	fs.IntVar(&c.minRows, "min-rows", 2, "skip keys with fewer rows (their summary says so)")
	fs.StringVar(&o.Model, "model", "ae", "model kind: ae or vae (as wgml train's --model)")
	fs.StringVar(&c.layers, "layers", "", "encoder widths after the input, e.g. 8,2 (the input width is each key's; default as wgml train)")
	fs.StringVar(&o.HiddenAct, "hidden-act", "", "hidden activation: relu (default), leakyrelu, tanh, sigmoid or identity")
	fs.IntVar(&o.Epochs, "epochs", 0, "training epochs (default as wgml train)")
	fs.IntVar(&o.Batch, "batch", 0, "training batch, at most a key's rows (default as wgml train)")
	fs.Float64Var(&c.lr, "lr", 0, "Adam learning rate (default as wgml train)")
	fs.Uint64Var(&o.Seed, "seed", 0, "random seed (default as wgml train)")
	fs.StringVar(&o.Noise, "noise", "", "de-noising corruption: gaussian:SIGMA, mask:P or saltpepper:P")
	fs.StringVar(&o.Normalize, "normalize", "", "feature scaling: zscore (default), minmax or none")
	fs.Float64Var(&o.Contamination, "contamination", 0, "expected outlier fraction the threshold is fitted for (default 0.1)")
	fs.StringVar(&o.Score, "score", "", "outlier score: recon (default) or, for a vae, elbo")
	fs.Float64Var(&o.ValFrac, "val-frac", 0, "fraction of a key's rows held out for validation (early stopping)")
	fs.IntVar(&o.Patience, "patience", 0, "early stopping: epochs without a better validation loss")
	fs.StringVar(&c.open.Missing, "missing", "", "missing values: error (default), mean or mask")
	fs.StringVar(&c.naValues, "na-values", "", "more fields that mean a missing value, comma-separated")
	fs.StringVar(&c.categorical, "categorical", "", "columns to one-hot encode even where numeric, comma-separated")
	fs.IntVar(&c.open.MaxCategories, "max-categories", 0, "most categories a column may have (default 100)")
}

func (c *trainCmd) build(ctx context.Context, s beam.Scope) error {
	if err := c.check(); err != nil {
		return err
	}
	if c.keyCol == "" {
		return fmt.Errorf("--key-col: give the segment column")
	}
	if c.summary == "" {
		c.summary = strings.TrimSuffix(c.out, "/") + "/summary"
	}
	if err := c.options(); err != nil {
		return err
	}
	t, err := wgmlbeam.OpenCSV(ctx, c.data, wgmlbeam.CSVOptions{KeyCol: c.keyCol, Sep: c.sep})
	if err != nil {
		return err
	}
	rows, unread := t.Read(s)
	sums, err := wgmlbeam.TrainPerKey(s, t, rows, wgmlbeam.TrainOptions{Options: c.opt, Open: data.OpenOptions{CSV: c.open}, Out: c.out, MinRows: c.minRows})
	if err != nil {
		return err
	}
	wgmlbeam.WriteCSV(s, c.summary, 1, wgmlbeam.SummaryCSV(s, sums))
	wgmlbeam.WriteCSV(s, c.summary+"-dead-letter", 1, wgmlbeam.DeadCSV(s, unread))
	return nil
}

// options completes c.opt and c.open from the flags given as text.
func (c *trainCmd) options() error {
	for _, w := range splitList(c.layers) {
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 {
			return fmt.Errorf("--layers %q: want widths such as 8,2", c.layers)
		}
		c.opt.Layers = append(c.opt.Layers, n)
	}
	c.opt.LR = float32(c.lr)
	c.open.NAValues, c.open.Categorical = splitList(c.naValues), splitList(c.categorical)
	c.open.Sep = c.sep
	return nil
}

// splitList splits a comma-separated flag ("" is none).
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func (c *trainCmd) done(out io.Writer) {
	fmt.Fprintf(out, "wrote %s/key=*/model.safetensors and %s\n", strings.TrimSuffix(c.out, "/"), wgmlbeam.ShardName(c.summary, 0, 1))
}
