package wgml

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/wgml/wgml/noise"
)

// Report writes to out what DenoiseData did (the rows, the model, the
// noise and its seed) and how close the noisy and de-noised rows are to
// the clean ones (Error), or the output to the input without noise:
// PSNR in dB for images, the table's error in the model's units.
func (r *Denoised) Report(out io.Writer) error {
	c := r.m.Net.Config
	fmt.Fprintf(out, "de-noised %d rows of %s with %s %v (noise %s, seed %d)\n", r.d.Rows, r.d.Name, c.Kind, c.Layers, r.Noise, r.Seed)
	den, what, err := r.Error(r.Output)
	if err != nil {
		return err
	}
	noisy, noised := math.NaN(), r.Noise.Kind != noise.None
	if noised {
		if noisy, _, err = r.Error(r.Input); err != nil {
			return err
		}
	}
	n, units := r.d.Rows, r.m.card.Data.Normalizer.Kind
	switch image := r.d.Bytes != nil; {
	case image && noised:
		fmt.Fprintf(out, "mean PSNR over %d images (pixels in [0,1]): noisy %.2f dB, de-noised %.2f dB (%+.2f dB)\n", n, noisy, den, den-noisy)
	case image:
		fmt.Fprintf(out, "mean PSNR of the output against the input over %d images: %.2f dB\n", n, den)
	case noised:
		fmt.Fprintf(out, "%s (%s-normalised units): noisy %.4g, de-noised %.4g\n", what, units, noisy, den)
	default:
		fmt.Fprintf(out, "%s between input and output (%s-normalised units): %.4g\n", what, units, den)
	}
	return nil
}

// WriteImages draws the first show images to path as a PNG, each pixel
// scale×scale, in picture rows noisy / de-noised / clean (input /
// de-noised without noise), and returns that legend.
func (r *Denoised) WriteImages(path string, show, scale int) (string, error) {
	n, cols := min(show, r.d.Rows), r.d.Cols
	var grid [3][][]float32
	for i := range n {
		grid[0] = append(grid[0], r.Input[i*cols:(i+1)*cols])
		grid[1] = append(grid[1], r.Output[i*cols:(i+1)*cols])
		grid[2] = append(grid[2], r.Clean[i*cols:(i+1)*cols])
	}
	rows, what := grid[:], "noisy / de-noised / clean"
	if r.Noise.Kind == noise.None {
		rows, what = grid[:2], "input / de-noised"
	}
	return what, r.m.DrawRows(path, rows, scale)
}

// WriteCSV writes the de-noised rows of a table in data units (Records)
// to path, atomically, under DenoisedHeader: each row's index (its place
// in the rows), its values, and its label where the rows have labels.
func (r *Denoised) WriteCSV(path string) error {
	header, records := r.Records(r.m)
	labels := r.d.Labels
	return WriteCSV(path, r.m.DenoisedHeader(header, labels != nil), r.d.Rows, func(i int, rec []string) []string {
		rec = append(append(rec, strconv.Itoa(i)), records[i]...)
		if labels != nil {
			rec = append(rec, LabelName(labels[i], r.d.Classes))
		}
		return rec
	})
}
