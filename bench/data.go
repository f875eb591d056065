package bench

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// Data loads the rows wgml bench trains on: synthetic (synthRows
// MNIST-like rows), mnist, auto (mnist if found, else synthetic, saying so
// on warn) or a data spec; tables are z-scored.
func Data(spec string, synthRows int, seed uint64, warn io.Writer) (nn.Source, string, error) {
	switch spec {
	case "synthetic":
		return Synthetic(synthRows, 784, seed), "synthetic MNIST-like bytes", nil
	case "auto":
		if _, err := data.MNISTDir(); err != nil {
			fmt.Fprintf(warn, "wgml: bench: MNIST not found (%v); using synthetic MNIST-like rows\n", err)
			return Synthetic(synthRows, 784, seed), "synthetic MNIST-like bytes", nil
		}
		spec = "mnist"
	}
	train, _, err := data.Open(spec, data.OpenOptions{Seed: seed})
	if err != nil {
		return nn.Source{}, "", err
	}
	if train.Bytes != nil { // pixels stay u8 on the device
		return nn.Source{Rows: train.Rows, Cols: train.Cols, Bytes: train.Bytes}, spec + " train", nil
	}
	norm, err := data.FitNormalizer("zscore", train)
	if err != nil {
		return nn.Source{}, "", err
	}
	nd, err := norm.Apply(train)
	src := nn.Source{Rows: nd.Rows, Cols: nd.Cols, Floats: nd.Floats, Mask: nd.Mask}
	return src, spec + " train", err
}

// Config is the standard model of kind (Model) for cols-wide rows, or the
// widths given (the first must be cols).
func Config(kind string, widths []int, cols int) (nn.Config, error) {
	if widths != nil && widths[0] != cols {
		return nn.Config{}, fmt.Errorf("layers %s: the first width must be the data's %d columns", widthsText(widths), cols)
	}
	c, err := Model(kind, widths)
	if err != nil {
		return nn.Config{}, err
	}
	if widths == nil && cols != c.Input() {
		c.Layers[0] = cols
	}
	return c, nil
}

// widthsText writes widths as a flag value: 784,512,32.
func widthsText(widths []int) string {
	return strings.Trim(strings.Join(strings.Fields(fmt.Sprint(widths)), ","), "[]")
}

// SetModel sets c's model for the rows of c.Src: kind's standard model,
// or the widths layers (each positive, the first the data's; Config); the
// cost-growth table's widths, GrowthWidths where widths is nil; and it
// checks that c.Batch rows fit in the data.
func (c *Comparison) SetModel(kind string, layers, widths []int) (err error) {
	for _, n := range layers {
		if n <= 0 {
			return fmt.Errorf("layers %s: %d is not a positive integer", widthsText(layers), n)
		}
	}
	if c.Config, err = Config(kind, layers, c.Src.Cols); err != nil {
		return err
	}
	if c.Widths = widths; widths == nil {
		c.Widths = GrowthWidths(c.Config)
	}
	if c.Batch > c.Src.Rows {
		return fmt.Errorf("batch %d: larger than the data set (%d rows)", c.Batch, c.Src.Rows)
	}
	return nil
}

// OpenOrSkip opens the backend registered as name; a gpu backend without an adapter is
// skipped (a reason, no error) unless WGML_REQUIRE_GPU is set.
func OpenOrSkip(name string) (nn.Backend, string, error) {
	b, err := nn.Open(name)
	if errors.Is(err, gpu.ErrNoAdapter) && os.Getenv("WGML_REQUIRE_GPU") == "" {
		return nil, "no WebGPU adapter (install a GPU driver or Mesa's lavapipe; WGML_REQUIRE_GPU=1 makes this an error)", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("backend %s: %w", name, err)
	}
	return b, "", nil
}
