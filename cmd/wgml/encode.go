package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/nn"
)

func cmdEncode(args []string, out, errOut io.Writer) error {
	fs := newFlags("encode", "encode --model CKPT [--data SPEC] [--out latents.csv] [--shard I/N]; --data - and --out - stream stdin to stdout", out, errOut)
	mf := addModelFlags(fs)
	outPath := fs.String("out", "", "CSV of latent codes, one row per input (default: latents.csv beside the checkpoint)")
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
	l, err := mf.prepare(errOut, outPath, "latents.csv", []string{*plotPath}, needRows)
	if err != nil {
		return err
	}
	defer l.b.Release()
	res, err := l.net.Run(l.b, l.src, mf.batch, nn.Want{Latent: true})
	if err != nil {
		return err
	}
	L, labels := l.net.Config.Latent(), l.rows.Labels
	labelled := *withLabels && labels != nil
	err = lib.WriteCSV(*outPath, lib.LatentHeader(L, labelled), l.rows.Rows, func(i int, rec []string) []string {
		rec = lib.AppendLatent(append(rec, strconv.Itoa(i)), res.Latent[i*L:(i+1)*L])
		if labelled {
			rec = append(rec, lib.LabelName(labels[i], l.rows.Classes))
		}
		return rec
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d latent rows of width %d to %s\n", l.rows.Rows, L, *outPath)
	if *plotPath == "none" {
		return nil
	}
	if err := l.m.WriteLatentScatter(*plotPath, l.rows, res.Latent); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s\n", *plotPath)
	return nil
}
