package main

import (
	"fmt"
	"io"

	lib "github.com/wgml/wgml"
)

// cmdCompare draws an AE and a VAE of the same images side by side
// (lib.Compare): per model its codes coloured by label, the latent plane
// they fill decoded, and the path between two inputs decoded.
func cmdCompare(args []string, out, errOut io.Writer) error {
	fs := newFlags("compare", "compare --ae CKPT --vae CKPT [--out compare.png]", out, errOut)
	ae := fs.String("ae", "runs/ae2-mnist/model.safetensors", "the AE's checkpoint (written by wgml train)")
	vae := fs.String("vae", "runs/vae2-mnist/model.safetensors", "the VAE's checkpoint, trained on the same images")
	outPath := fs.String("out", "", "the PNG (default: compare.png beside the AE's checkpoint)")
	var split lib.Split
	textVar(fs, &split, "split", lib.SplitTest, "which part of the data set to encode: test or train")
	var opt lib.CompareOptions
	fs.StringVar(&opt.From, "from", "label:1", "start of the path: label:K (the first row with label K) or index:I")
	fs.StringVar(&opt.To, "to", "label:7", "end of the path: label:K or index:I")
	fs.IntVar(&opt.Grid, "grid", 15, "decoded points on each side of the latent plane")
	fs.IntVar(&opt.Steps, "steps", 10, "decoded points of the path, ends included")
	fs.IntVar(&opt.Points, "points", 5000, "most codes drawn in each scatter (the first rows)")
	backend := addBackendFlag(fs)
	df := addDataFlags(fs, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := opt.Check(); err != nil {
		return err
	}
	mf := &modelFlags{ckpt: *ae, split: split, batch: 1, backend: backend, data: df}
	l, err := mf.prepare(errOut, outPath, "compare.png", nil, needRows|needImages)
	if err != nil {
		return err
	}
	defer l.b.Release()
	v, err := lib.Load(*vae, l.b)
	if err != nil {
		return err
	}
	sums, err := lib.Compare(*outPath, l.rows, []lib.CompareModel{{Name: "AE", Model: l.m}, {Name: "VAE", Model: v}}, opt)
	if err != nil {
		return err
	}
	for _, s := range sums {
		fmt.Fprintln(out, s.Line(l.rows))
	}
	fmt.Fprintf(out, "wrote %s (rows: AE, VAE; path from row %d to row %d)\n", *outPath, sums[0].From, sums[0].To)
	return nil
}
