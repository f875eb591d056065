package main

import (
	"fmt"
	"io"
	"math"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/noise"
)

func cmdDenoise(args []string, out, errOut io.Writer) error {
	fs := newFlags("denoise", "denoise --model CKPT [--data SPEC] [--noise gaussian:SIGMA|mask:P|saltpepper:P] [--out PATH] [--shard I/N]; --data - and --out - stream a table from stdin to stdout", out, errOut)
	mf := addModelFlags(fs)
	noiseFlag := fs.String("noise", "none", "corrupt the clean rows first and measure the de-noising: gaussian:SIGMA, mask:P or saltpepper:P (clipped to [0,1] for images); none de-noises the rows as they are")
	seed := fs.Uint64("seed", 1, "seed of the corruption")
	outPath := fs.String("out", "", "images: PNG grid of noisy / de-noised / clean rows (default denoise.png beside the checkpoint); tables: CSV of de-noised rows in data units (default denoised.csv)")
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
	l, err := mf.open(errOut, needRows)
	if err != nil {
		return err
	}
	defer l.b.Release()
	image := l.rows.Bytes != nil
	*outPath = lib.Beside(*outPath, mf.ckpt, map[bool]string{false: "denoised.csv", true: "denoise.png"}[image])
	if err := lib.CheckOutputs(*outPath); err != nil {
		return err
	}
	r, err := l.m.DenoiseData(l.rows, nz, *seed, mf.batch)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "de-noised %d rows of %s with %s %v (noise %s, seed %d)\n", l.rows.Rows, l.rows.Name, l.net.Config.Kind, l.net.Config.Layers, r.Noise, *seed)
	if err := reportDenoised(out, l, r); err != nil {
		return err
	}
	if image {
		return writeDenoisedImages(out, *outPath, l, r, *show, *scale)
	}
	return writeDenoisedTable(out, *outPath, l, r)
}

// reportDenoised prints how close the noisy and de-noised rows are to the
// clean ones (or the output to the input, without noise).
func reportDenoised(out io.Writer, l *loaded, r *lib.Denoised) error {
	den, what, err := r.Error(r.Output)
	if err != nil {
		return err
	}
	noisy := math.NaN()
	if r.Noise.Kind != noise.None {
		if noisy, _, err = r.Error(r.Input); err != nil {
			return err
		}
	}
	n, units := l.rows.Rows, l.card.Data.Normalizer.Kind
	switch image := l.rows.Bytes != nil; {
	case image && r.Noise.Kind != noise.None:
		fmt.Fprintf(out, "mean PSNR over %d images (pixels in [0,1]): noisy %.2f dB, de-noised %.2f dB (%+.2f dB)\n", n, noisy, den, den-noisy)
	case image:
		fmt.Fprintf(out, "mean PSNR of the output against the input over %d images: %.2f dB\n", n, den)
	case r.Noise.Kind != noise.None:
		fmt.Fprintf(out, "%s (%s-normalised units): noisy %.4g, de-noised %.4g\n", what, units, noisy, den)
	default:
		fmt.Fprintf(out, "%s between input and output (%s-normalised units): %.4g\n", what, units, den)
	}
	return nil
}

// writeDenoisedImages draws show images (noisy / de-noised / clean) to the
// output PNG.
func writeDenoisedImages(out io.Writer, path string, l *loaded, r *lib.Denoised, show, scale int) error {
	n, cols := min(show, l.rows.Rows), l.rows.Cols
	var grid [3][][]float32
	for i := 0; i < n; i++ {
		grid[0] = append(grid[0], r.Input[i*cols:(i+1)*cols])
		grid[1] = append(grid[1], r.Output[i*cols:(i+1)*cols])
		grid[2] = append(grid[2], r.Clean[i*cols:(i+1)*cols])
	}
	rows, what := grid[:], "noisy / de-noised / clean"
	if r.Noise.Kind == noise.None {
		rows, what = grid[:2], "input / de-noised"
	}
	if err := l.m.DrawRows(path, rows, scale); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (rows: %s)\n", path, what)
	return nil
}

// writeDenoisedTable writes the de-noised rows in data units to the
// output CSV, with the labels where the data has them.
func writeDenoisedTable(out io.Writer, path string, l *loaded, r *lib.Denoised) error {
	header, records := r.Records(l.m)
	labels := l.rows.Labels
	if labels != nil {
		header = append(header, l.m.LabelColumn())
	}
	err := lib.WriteCSV(path, header, l.rows.Rows, func(i int, rec []string) []string {
		rec = append(rec, records[i]...)
		if labels != nil {
			rec = append(rec, lib.LabelName(labels[i], l.rows.Classes))
		}
		return rec
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d de-noised rows to %s\n", l.rows.Rows, path)
	return nil
}
