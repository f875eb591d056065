package main

import (
	"fmt"
	"io"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/noise"
)

func cmdDenoise(args []string, out, errOut io.Writer) error {
	fs := newFlags("denoise", "denoise --model CKPT [--data SPEC] [--noise gaussian:SIGMA|mask:P|saltpepper:P] [--out PATH] [--shard I/N]; --data - and --out - stream a table from stdin to stdout; without --noise a table or .npy of floats is read as a stream", out, errOut)
	mf := addModelFlags(fs)
	noiseFlag := fs.String("noise", "none", "corrupt the clean rows first and measure the de-noising: gaussian:SIGMA, mask:P or saltpepper:P (clipped to [0,1] for images); none de-noises the rows as they are")
	seed := fs.Uint64("seed", 1, "seed of the corruption")
	outPath := fs.String("out", "", "images: PNG grid of noisy / de-noised / clean rows (default denoise.png beside the checkpoint); tables: CSV of de-noised rows in data units, index first (default denoised.csv)")
	show := fs.Int("show", 10, "images: how many test images the PNG grid shows")
	scale := fs.Int("scale", 2, "images: pixels per image pixel in the PNG")
	st := addStreamFlags(fs, mf, outPath, "denoised.csv", "de-noised", "noise", "seed", "show", "scale", "split")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := st.parsed(); err != nil {
		return err
	}
	if st.streams() {
		return st.run(out, errOut, lib.StreamOptions{}, (*lib.Model).DenoiseStream)
	}
	nz, err := noise.Parse(*noiseFlag)
	if err != nil {
		return usageError{err}
	}
	if *show < 1 || *scale < 1 {
		return usagef("show %d, scale %d: want at least 1", *show, *scale)
	}
	l, err := mf.open(errOut, 0)
	if err != nil {
		return err
	}
	defer l.b.Release()
	l.m.Batch = mf.batch
	p, err := mf.part(l.m)
	if err != nil {
		return err
	}
	r, err := l.m.DenoisePart(p, nz, *seed, errOut)
	if err != nil {
		return err
	}
	defer r.Close()
	image := r.Images()
	*outPath = lib.Beside(*outPath, mf.ckpt, map[bool]string{false: "denoised.csv", true: "denoise.png"}[image])
	if err := lib.CheckOutputs(*outPath); err != nil {
		return err
	}
	if err := r.Report(out); err != nil {
		return err
	}
	if image {
		what, err := r.WriteImages(*outPath, *show, *scale)
		if err == nil {
			fmt.Fprintf(out, "wrote %s (rows: %s)\n", *outPath, what)
		}
		return err
	}
	if err := r.WriteCSV(*outPath); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d de-noised rows to %s\n", r.Rows(), *outPath)
	return nil
}
