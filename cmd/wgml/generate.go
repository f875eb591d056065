package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/plot"
	"gonum.org/v1/gonum/stat/distuv"
)

// cmdSample decodes latent points drawn from the prior N(0, I) (a VAE) into
// an image grid; for a 2-D latent also the decoded grid over the latent
// plane, spaced by the inverse normal CDF as in Kingma & Welling's figure.
func cmdSample(args []string, out, errOut io.Writer) error {
	fs := newFlags("sample", "sample --model CKPT [--n 64] [--out samples.png]", out, errOut)
	ckpt := fs.String("model", "runs/vae-mnist/model.safetensors", "checkpoint written by wgml train")
	n := fs.Int("n", 64, "number of samples")
	cols := fs.Int("cols", 8, "images per grid row")
	seed := fs.Uint64("seed", 1, "random seed of the latent draws")
	outPath := fs.String("out", "", "PNG grid of samples (default: samples.png beside the checkpoint)")
	manifold := fs.Int("manifold", 20, "for a 2-D latent: also write an N×N grid over the latent plane to manifold.png (0: skip)")
	scale := fs.Int("scale", 2, "pixel enlargement")
	backend := addBackendFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *n <= 0 || *cols <= 0 || *scale <= 0 || *manifold < 0 {
		return usagef("n, cols and scale must be positive, manifold non-negative")
	}
	l, err := (&modelFlags{ckpt: *ckpt, split: "test", batch: 1, backend: backend, data: &dataFlags{}}).prepare(errOut, outPath, "samples.png", nil, false, true)
	if err != nil {
		return err
	}
	defer l.b.Release()
	mPath := filepath.Join(filepath.Dir(*outPath), "manifold.png")
	wantManifold := l.net.Config.Latent() == 2 && *manifold > 0
	if !wantManifold {
		mPath = ""
	}
	if err := lib.CheckOutputs(mPath); err != nil {
		return err
	}
	if l.net.Config.Kind != nn.KindVAE {
		fmt.Fprintln(errOut, "wgml: sample: note: an AE's latent space is not fitted to N(0, I); samples from the prior may not look like data")
	}
	L := l.net.Config.Latent()
	rng := rand.New(rand.NewPCG(*seed, 0))
	z := make([]float32, *n*L)
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	if err := l.decodeGrid(*outPath, z, *n, *cols, *scale); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d samples from N(0, I) to %s\n", *n, *outPath)
	if !wantManifold {
		return nil
	}
	k := *manifold
	z = make([]float32, 0, k*k*2)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			// rows go down the second latent axis, columns along the first.
			z = append(z, float32(distuv.UnitNormal.Quantile((float64(j)+0.5)/float64(k))),
				float32(distuv.UnitNormal.Quantile(1-(float64(i)+0.5)/float64(k))))
		}
	}
	if err := l.decodeGrid(mPath, z, k*k, k, 1); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote the %dx%d latent-plane grid (inverse-normal-CDF spaced) to %s\n", k, k, mPath)
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
	l, err := mf.prepare(errOut, outPath, "interpolate.png", nil, true, true)
	if err != nil {
		return err
	}
	defer l.b.Release()
	a, err := l.findRow(*from, "from")
	if err != nil {
		return err
	}
	b, err := l.findRow(*to, "to")
	if err != nil {
		return err
	}
	In, L := l.rows.Cols, l.net.Config.Latent()
	pair := nn.Source{Rows: 2, Cols: In, Bytes: l.pick(l.src.Bytes, In, a, b), Floats: l.pick32(l.src.Floats, In, a, b)}
	res, err := l.net.Run(l.b, pair, 2, nn.Want{Latent: true})
	if err != nil {
		return err
	}
	z := make([]float32, 0, *steps*L)
	for s := 0; s < *steps; s++ {
		t := float32(s) / float32(*steps-1)
		for j := 0; j < L; j++ {
			z = append(z, (1-t)*res.Latent[j]+t*res.Latent[L+j])
		}
	}
	path, err := l.net.Decode(l.b, z, *steps)
	if err != nil {
		return err
	}
	row := [][]float32{l.imageRow(a)}
	for s := 0; s < *steps; s++ {
		row = append(row, path[s*In:(s+1)*In])
	}
	row = append(row, l.imageRow(b))
	if err := plot.ImageRows(*outPath, [][][]float32{row}, l.card.Data.Width, l.card.Data.Height, channels(l.card.Data.Channels), *scale); err != nil {
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
	l, err := mf.prepare(errOut, outPath, "reconstructions.png", nil, true, true)
	if err != nil {
		return err
	}
	defer l.b.Release()
	k := min(*n, l.rows.Rows)
	sub := l.rows.Limit(k)
	src, err := l.m.Source(sub)
	if err != nil {
		return err
	}
	res, err := l.net.Run(l.b, src, k, nn.Want{Output: true})
	if err != nil {
		return err
	}
	In := l.rows.Cols
	var ins, outs [][]float32
	for i := 0; i < k; i++ {
		ins = append(ins, l.imageRow(i))
		outs = append(outs, res.Output[i*In:(i+1)*In])
	}
	if err := plot.ImageRows(*outPath, [][][]float32{ins, outs}, l.card.Data.Width, l.card.Data.Height, channels(l.card.Data.Channels), *scale); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d inputs above their reconstructions to %s\n", k, *outPath)
	return nil
}

// decodeGrid decodes n latent rows and tiles them cols per row.
func (l *loaded) decodeGrid(path string, z []float32, n, cols, scale int) error {
	img, err := l.net.Decode(l.b, z, n)
	if err != nil {
		return err
	}
	In := l.net.Config.Input()
	tiles := make([][]float32, n)
	for i := range tiles {
		tiles[i] = img[i*In : (i+1)*In]
	}
	return plot.ImageGrid(path, tiles, l.card.Data.Width, l.card.Data.Height, channels(l.card.Data.Channels), cols, scale)
}

// findRow resolves "label:K" or "index:I" to a row of the loaded split.
func (l *loaded) findRow(spec, flag string) (int, error) {
	kind, arg, ok := strings.Cut(spec, ":")
	v, err := strconv.Atoi(arg)
	if !ok || err != nil {
		return 0, usagef("%s %q: want label:K or index:I", flag, spec)
	}
	switch kind {
	case "index":
		if v < 0 || v >= l.rows.Rows {
			return 0, usagef("%s %q: index out of range [0, %d)", flag, spec, l.rows.Rows)
		}
		return v, nil
	case "label":
		for i, lab := range l.rows.Labels {
			if lab == v {
				return i, nil
			}
		}
		return 0, usagef("%s %q: no row of %s has label %d", flag, spec, l.rows.Name, v)
	}
	return 0, usagef("%s %q: want label:K or index:I", flag, spec)
}

// imageRow returns row i of the loaded split as floats in [0,1].
func (l *loaded) imageRow(i int) []float32 {
	row := make([]float32, l.rows.Cols)
	l.rows.Row(i, row)
	return row
}

func (l *loaded) pick(src []uint8, w, a, b int) []uint8 {
	if src == nil {
		return nil
	}
	return append(append([]uint8(nil), src[a*w:(a+1)*w]...), src[b*w:(b+1)*w]...)
}

func (l *loaded) pick32(src []float32, w, a, b int) []float32 {
	if src == nil {
		return nil
	}
	return append(append([]float32(nil), src[a*w:(a+1)*w]...), src[b*w:(b+1)*w]...)
}
