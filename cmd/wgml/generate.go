package main

import (
	"fmt"
	"io"
	"path/filepath"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
)

// cmdSample decodes latent points drawn where the model's data lives (a
// VAE's prior N(0, I); for an AE, which has no prior, a Gaussian fitted to
// its training codes) into an image grid; for a latent of width 2 or more
// also the decoded grid over a latent plane (lib.Model.LatentPlane: a
// VAE's prior plane, the plane an AE's training codes fill).
func cmdSample(args []string, out, errOut io.Writer) error {
	fs := newFlags("sample", "sample --model CKPT [--n 64] [--out samples.png]", out, errOut)
	ckpt := fs.String("model", "runs/vae-mnist/model.safetensors", "checkpoint written by wgml train")
	n := fs.Int("n", 64, "number of samples")
	cols := fs.Int("cols", 8, "images per grid row")
	seed := fs.Uint64("seed", 1, "random seed of the latent draws")
	outPath := fs.String("out", "", "PNG grid of samples (default: samples.png beside the checkpoint)")
	manifold := fs.Int("manifold", 20, "for a latent of width 2 or more: also write an N×N grid over a latent plane to manifold.png (0: skip)")
	scale := fs.Int("scale", 2, "pixel enlargement")
	backend := addBackendFlag(fs)
	df := addDataFlags(fs, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *n <= 0 || *cols <= 0 || *scale <= 0 || *manifold < 0 {
		return usagef("n, cols and scale must be positive, manifold non-negative")
	}
	mf := &modelFlags{ckpt: *ckpt, split: "train", batch: 1, backend: backend, data: df}
	l, err := mf.prepare(errOut, outPath, "samples.png", nil, needImages)
	if err != nil {
		return err
	}
	defer l.b.Release()
	mPath := filepath.Join(filepath.Dir(*outPath), "manifold.png")
	wantManifold := l.net.Config.Latent() >= 2 && *manifold > 0
	if !wantManifold {
		mPath = ""
	}
	if err := lib.CheckOutputs(mPath); err != nil {
		return err
	}
	codes, err := l.m.TrainingCodes(func() (*data.Dataset, error) { err := mf.readRows(l, errOut, needRawRows); return l.rows, err })
	if err != nil {
		return err
	}
	how, err := l.m.WriteSamples(*outPath, codes, *n, *seed, *cols, *scale)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d samples to %s (%s)\n", *n, *outPath, how)
	if !wantManifold {
		return nil
	}
	plane, err := l.m.WritePlane(mPath, codes, *manifold)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote the %dx%d latent-plane grid to %s (%s)\n", *manifold, *manifold, mPath, plane.How)
	return nil
}

// cmdInterpolate decodes the straight path between the latent codes of two
// inputs.
func cmdInterpolate(args []string, out, errOut io.Writer) error {
	fs := newFlags("interpolate", "interpolate --model CKPT --from label:1 --to label:7 [--steps 10]", out, errOut)
	mf := addModelFlags(fs)
	from := fs.String("from", "label:1", "start: label:K (the first row with label K) or index:I")
	to := fs.String("to", "label:7", "end: label:K or index:I")
	steps := fs.Int("steps", 10, "points on the path, ends included")
	outPath := fs.String("out", "", "PNG: the two inputs at the ends, the decoded path between (default: interpolate.png beside the checkpoint)")
	scale := fs.Int("scale", 3, "pixel enlargement")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *steps < 2 || *scale <= 0 {
		return usagef("steps %d: want at least 2 (and a positive scale)", *steps)
	}
	l, err := mf.prepare(errOut, outPath, "interpolate.png", nil, needRawRows|needImages)
	if err != nil {
		return err
	}
	defer l.b.Release()
	a, err := lib.FindRow(l.rows, *from, "from")
	if err != nil {
		return err
	}
	b, err := lib.FindRow(l.rows, *to, "to")
	if err != nil {
		return err
	}
	if err := l.m.WritePath(*outPath, l.rows, a, b, *steps, *scale); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote the %d-step path from row %d to row %d (with both inputs at the ends) to %s\n", *steps, a, b, *outPath)
	return nil
}

// cmdReconstruct writes inputs above their reconstructions.
func cmdReconstruct(args []string, out, errOut io.Writer) error {
	fs := newFlags("reconstruct", "reconstruct --model CKPT [--n 16] [--out reconstructions.png]", out, errOut)
	mf := addModelFlags(fs)
	n := fs.Int("n", 16, "number of rows to show")
	outPath := fs.String("out", "", "PNG: inputs above their reconstructions (default: reconstructions.png beside the checkpoint)")
	scale := fs.Int("scale", 3, "pixel enlargement")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *n <= 0 || *scale <= 0 {
		return usagef("n and scale must be positive")
	}
	l, err := mf.prepare(errOut, outPath, "reconstructions.png", nil, needRawRows|needImages)
	if err != nil {
		return err
	}
	defer l.b.Release()
	drawn, err := l.m.WriteReconstructions(*outPath, l.rows, *n, *scale)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d inputs above their reconstructions to %s\n", drawn, *outPath)
	return nil
}
