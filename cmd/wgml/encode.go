package main

import (
	"fmt"
	"io"
	"path/filepath"

	lib "github.com/wgml/wgml"
)

func cmdEncode(args []string, out, errOut io.Writer) error {
	fs := newFlags("encode", "encode --model CKPT [--data SPEC] [--out latents.csv] [--shard I/N]; --data - and --out - stream stdin to stdout; a table or .npy of floats is read as a stream", out, errOut)
	mf := addModelFlags(fs)
	outPath := fs.String("out", "", "CSV of latent codes, one row per input: index,z0,z1,...[,label] (default: latents.csv beside the checkpoint)")
	withLabels := fs.Bool("with-labels", false, "add the label column when the data has labels")
	plotPath := fs.String("plot", "", "latent scatter PNG coloured by label, PCA to 2-D beyond two dims (default: latent.png beside the CSV; \"none\" to skip; none when streaming)")
	st := addStreamFlags(fs, mf, outPath, "latents.csv", "encoded", "split")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := st.parsed(); err != nil {
		return err
	}
	if st.streams() {
		if *plotPath != "none" && fs.Changed("plot") {
			return usagef("plot: not with --data -, --out - or --shard, which keep no latent codes to plot")
		}
		return st.run(out, errOut, lib.StreamOptions{WithLabels: *withLabels}, (*lib.Model).EncodeStream)
	}
	if *plotPath == "" {
		*plotPath = filepath.Join(filepath.Dir(lib.Beside(*outPath, mf.ckpt, "latents.csv")), "latent.png")
	}
	l, err := mf.prepare(errOut, outPath, "latents.csv", []string{*plotPath}, 0)
	if err != nil {
		return err
	}
	defer l.b.Release()
	l.m.Batch = mf.batch
	p, err := mf.part(l.m)
	if err != nil {
		return err
	}
	codes, err := l.m.EncodeData(p, errOut)
	if err != nil {
		return err
	}
	if err := lib.WriteLatentCSV(*outPath, codes, *withLabels); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d latent rows of width %d to %s\n", codes.Rows, codes.Cols, *outPath)
	if *plotPath == "none" {
		return nil
	}
	if err := l.m.WriteLatentScatter(*plotPath, codes, codes.Floats); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s\n", *plotPath)
	return nil
}
