package main

import (
	"fmt"
	"io"
	"math"
	"strconv"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
	"github.com/wgml/wgml/plot"
)

func cmdDenoise(args []string, out, errOut io.Writer) error {
	fs := newFlags("denoise", "denoise --model CKPT [--data SPEC] [--noise gaussian:SIGMA|mask:P|saltpepper:P] [--out PATH]", out, errOut)
	mf := addModelFlags(fs)
	noiseFlag := fs.String("noise", "none", "corrupt the clean rows first and measure the de-noising: gaussian:SIGMA, mask:P or saltpepper:P (clipped to [0,1] for images); none de-noises the rows as they are")
	seed := fs.Uint64("seed", 1, "seed of the corruption")
	outPath := fs.String("out", "", "images: PNG grid of noisy / de-noised / clean rows (default denoise.png beside the checkpoint); tables: CSV of de-noised rows in data units (default denoised.csv)")
	show := fs.Int("show", 10, "images: how many test images the PNG grid shows")
	scale := fs.Int("scale", 2, "images: pixels per image pixel in the PNG")
	if err := parse(fs, args); err != nil {
		return err
	}
	nz, err := noise.Parse(*noiseFlag)
	if err != nil {
		return usageError{err}
	}
	if *show < 1 || *scale < 1 {
		return usagef("show %d, scale %d: want at least 1", *show, *scale)
	}
	l, err := mf.open(errOut, true)
	if err != nil {
		return err
	}
	defer l.b.Release()
	image := l.rows.Bytes != nil
	if image && l.rows.Width*l.rows.Height*channels(l.rows.Channels) != l.rows.Cols {
		return fmt.Errorf("%s: images of %dx%dx%d values but %d columns", l.rows.Name, l.rows.Width, l.rows.Height, channels(l.rows.Channels), l.rows.Cols)
	}
	nz = nz.ForPixels(image)
	name := "denoised.csv"
	if image {
		name = "denoise.png"
	}
	*outPath = orBeside(*outPath, mf.ckpt, name)
	if err := lib.CheckOutputs(*outPath); err != nil {
		return err
	}
	res, err := l.net.Run(l.b, l.src, mf.batch, nn.Want{Input: true, Output: true, Noise: nz, Seed: *seed})
	if err != nil {
		return err
	}
	cols := l.rows.Cols
	clean := l.src.Floats // normalised rows as the model sees them
	if image {
		clean = make([]float32, l.rows.Rows*cols)
		for i := 0; i < l.rows.Rows; i++ {
			l.rows.Row(i, clean[i*cols:(i+1)*cols])
		}
		for i, v := range res.Output { // pixels live in [0,1]
			res.Output[i] = min(max(v, 0), 1)
		}
	}
	d := &denoised{l: l, res: res, clean: clean, nz: nz, out: *outPath}
	fmt.Fprintf(out, "de-noised %d rows of %s with %s %v (noise %s, seed %d)\n", l.rows.Rows, l.rows.Name, l.net.Config.Kind, l.net.Config.Layers, nz, *seed)
	if image {
		return d.reportImages(out, *show, *scale)
	}
	return d.reportTable(out)
}

// denoised is what denoise computed: the model's outputs for the rows
// (res.Input the rows it saw, res.Output its reconstructions) and the clean
// rows, in the model's units.
type denoised struct {
	l     *loaded
	res   *nn.Results
	clean []float32
	nz    noise.Noise
	out   string
}

// reportImages prints the mean PSNR of the noisy and de-noised images and
// draws show of them (noisy / de-noised / clean) to the output PNG.
func (d *denoised) reportImages(out io.Writer, show, scale int) error {
	l, res, clean, nz, cols := d.l, d.res, d.clean, d.nz, d.l.rows.Cols
	if nz.Kind != noise.None {
		noisy, _, err := lib.MeanPSNR(clean, res.Input, cols, 1)
		if err != nil {
			return err
		}
		denoised, _, err := lib.MeanPSNR(clean, res.Output, cols, 1)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "mean PSNR over %d images (pixels in [0,1]): noisy %.2f dB, de-noised %.2f dB (%+.2f dB)\n", l.rows.Rows, noisy, denoised, denoised-noisy)
	} else {
		rec, _, err := lib.MeanPSNR(clean, res.Output, cols, 1)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "mean PSNR of the output against the input over %d images: %.2f dB\n", l.rows.Rows, rec)
	}
	n := min(show, l.rows.Rows)
	var grid [3][][]float32
	for i := 0; i < n; i++ {
		grid[0] = append(grid[0], res.Input[i*cols:(i+1)*cols])
		grid[1] = append(grid[1], res.Output[i*cols:(i+1)*cols])
		grid[2] = append(grid[2], clean[i*cols:(i+1)*cols])
	}
	rows, what := grid[:], "noisy / de-noised / clean"
	if nz.Kind == noise.None {
		rows, what = grid[:2], "input / de-noised"
	}
	if err := plot.ImageRows(d.out, rows, l.rows.Width, l.rows.Height, channels(l.rows.Channels), scale); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (rows: %s)\n", d.out, what)
	return nil
}

// reportTable prints the mean squared error per value and writes the
// de-noised rows in data units to the output CSV.
func (d *denoised) reportTable(out io.Writer) error {
	// Errors in the normalised units the model works in, rows written back
	// in data units.
	l, res, clean, nz, cols := d.l, d.res, d.clean, d.nz, d.l.rows.Cols
	what, measure := "mean squared error per value", lib.MSE
	if s := l.rows.Schema; s != nil && (s.HasCategorical() || l.src.Mask != nil) {
		what, measure = "mean error per present value (squared error, cross-entropy of categorical columns)", func(target, pred []float32) float64 {
			return tableError(s, target, pred, l.src.Mask, cols)
		}
	}
	if nz.Kind != noise.None {
		fmt.Fprintf(out, "%s (%s-normalised units): noisy %.4g, de-noised %.4g\n",
			what, l.card.Data.Normalizer.Kind, measure(clean, res.Input), measure(clean, res.Output))
	} else {
		fmt.Fprintf(out, "%s between input and output (%s-normalised units): %.4g\n",
			what, l.card.Data.Normalizer.Kind, measure(clean, res.Output))
	}
	for i := 0; i < l.rows.Rows; i++ {
		l.card.Data.Normalizer.Invert(res.Output[i*cols : (i+1)*cols])
	}
	labels := l.rows.Labels
	header, fields := d.columns()
	if labels != nil {
		name := l.card.Data.Open.CSV.LabelCol
		if _, err := strconv.Atoi(name); err == nil || name == "" {
			name = "label"
		}
		header = append(header, name)
	}
	err := writeCSV(d.out, header, l.rows.Rows, func(i int, rec []string) []string {
		rec = append(rec, fields(res.Output[i*cols:(i+1)*cols])...)
		if labels != nil {
			rec = append(rec, lib.LabelName(labels[i], l.rows.Classes))
		}
		return rec
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d de-noised rows to %s\n", l.rows.Rows, d.out)
	return nil
}

// columns returns the header of the de-noised CSV and the fields of a row
// in data units: a table's original columns (a categorical column as its
// most likely category, Schema.Decode), else one field per model column.
func (d *denoised) columns() (header []string, fields func(row []float32) []string) {
	if s := d.l.rows.Schema; s != nil {
		return s.Names(), s.Decode
	}
	cols := d.l.rows.Cols
	header = make([]string, cols, cols+1)
	for j := range header {
		header[j] = "col" + strconv.Itoa(j)
		if j < len(d.l.rows.Columns) {
			header[j] = d.l.rows.Columns[j]
		}
	}
	return header, func(row []float32) []string {
		rec := make([]string, len(row))
		for j, v := range row {
			rec[j] = formatF32(v)
		}
		return rec
	}
}

// tableError is the mean of data.Schema.Errors over the present values of
// rows of cols model columns: target and pred row-major, mask nil or one
// byte per value.
func tableError(s *data.Schema, target, pred []float32, mask []uint8, cols int) float64 {
	var sum float64
	var n int
	for i := 0; i < len(target)/cols; i++ {
		var m []uint8
		if mask != nil {
			m = mask[i*cols : (i+1)*cols]
		}
		for _, e := range s.Errors(pred[i*cols:(i+1)*cols], target[i*cols:(i+1)*cols], m) {
			if !math.IsNaN(e) {
				sum, n = sum+e, n+1
			}
		}
	}
	return sum / float64(n)
}
