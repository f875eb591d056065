package wgml

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/wgml/wgml/internal/atomicfile"
	"github.com/wgml/wgml/noise"
)

// Report writes to out what DenoiseData did (the rows, the model, the
// noise and its seed) and how close the noisy and de-noised rows are to
// the clean ones (Error), or the output to the input without noise:
// PSNR in dB for images, the table's error in the model's units.
func (r *Denoised) Report(out io.Writer) error {
	c := r.m.Net.Config
	fmt.Fprintf(out, "de-noised %d rows of %s with %s %v (noise %s, seed %d)\n", r.d.Rows, r.d.Name, c.Kind, c.Layers, r.Noise, r.Seed)
	den, what, err := r.Error(false)
	if err != nil {
		return err
	}
	noisy, noised := math.NaN(), r.Noise.Kind != noise.None
	if noised {
		if noisy, _, err = r.Error(true); err != nil {
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

// WriteCSV writes the de-noised rows of a table in data units
// (appendValues) to path, atomically, under DenoisedHeader: each row's
// index (its place in the rows), its values, and its label where the rows
// have labels.
func (r *Denoised) WriteCSV(path string) error {
	labels := r.d.Labels
	return atomicfile.Write(path, func(w io.Writer) error {
		var t csvBuf
		t.record(r.m.DenoisedHeader(r.columns(), labels != nil)...)
		for i := range r.d.Rows {
			x, _, _, err := r.row(i, false)
			if err != nil {
				return err
			}
			t.next()
			t.b = strconv.AppendInt(t.b, int64(i), 10)
			r.appendValues(&t, x)
			if labels != nil {
				t.text(LabelName(labels[i], r.d.Classes))
			}
			t.end()
			if len(t.b) >= 1<<20 {
				if _, err := w.Write(t.b); err != nil {
					return err
				}
				t.b = t.b[:0]
			}
		}
		_, err := w.Write(t.b)
		return err
	})
}
