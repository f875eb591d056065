package wgml_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
)

// An AE has no prior: its latent picture and its samples come from where
// its codes lie (CodesPlane, a Gaussian fitted to them), while a VAE's
// come from N(0, I). LatentPath is the straight line between two codes.
func ExampleModel_LatentPlane() {
	rng := rand.New(rand.NewPCG(3, 4))
	train := rows(rng, 400)
	for _, kind := range []string{"ae", "vae"} {
		m, err := wgml.Fit(train, wgml.Options{Model: kind, Layers: []int{4, 2}, Epochs: 20, Batch: 32, LR: 0.01})
		if err != nil {
			log.Fatal(err)
		}
		enc, err := m.Encode(train)
		if err != nil {
			log.Fatal(err)
		}
		var codes []float32 // row-major, 2 values a row
		for _, c := range enc {
			codes = append(codes, float32(c[0]), float32(c[1]))
		}
		plane, err := m.LatentPlane(codes, 5)
		if err != nil {
			log.Fatal(err)
		}
		_, how, err := m.SampleCodes(codes, 16, 1)
		if err != nil {
			log.Fatal(err)
		}
		path := wgml.LatentPath(codes[0:2], codes[2:4], 10)
		fmt.Printf("%s plane: %s\n%s samples: %s\n%s path: %d codes\n", kind, plane.How, kind, how, kind, len(path)/2)
	}
	// Output:
	// ae plane: the codes' plane: latent dims 1-2, evenly spaced over the middle 98% of 400 codes
	// ae samples: an AE has no prior: drawn from N(μ, Σ) fitted to its 400 training codes
	// ae path: 10 codes
	// vae plane: the prior's plane: latent dims 1-2, spaced by the inverse normal CDF
	// vae samples: drawn from the prior N(0, I)
	// vae path: 10 codes
}

// Compare draws an AE and a VAE of the same images side by side: their
// codes coloured by label, the plane the codes fill decoded, and the path
// between two inputs. Here the images are 4×4 bars, top or bottom lit.
func ExampleCompare() {
	rng := rand.New(rand.NewPCG(5, 6))
	d := &data.Dataset{Name: "bars", Rows: 60, Cols: 16, Width: 4, Height: 4}
	var train [][]float64
	for i := range d.Rows {
		row := make([]float64, 16)
		for p := range row {
			if (p < 8) == (i%2 == 0) {
				row[p] = 0.7 + 0.3*rng.Float64()
			}
			d.Floats = append(d.Floats, float32(row[p]))
		}
		train, d.Labels = append(train, row), append(d.Labels, i%2)
	}
	var models []wgml.CompareModel
	for _, kind := range []string{"ae", "vae"} {
		m, err := wgml.Fit(train, wgml.Options{Model: kind, Images: true, Layers: []int{8, 2}, Epochs: 3, Batch: 20})
		if err != nil {
			log.Fatal(err)
		}
		models = append(models, wgml.CompareModel{Name: kind, Model: m})
	}
	dir, err := os.MkdirTemp("", "wgml-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sums, err := wgml.Compare(filepath.Join(dir, "compare.png"), d, models, wgml.CompareOptions{From: "label:0", To: "label:1", Grid: 6})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sums {
		fmt.Printf("%s: a %dx%d plane, path from row %d to row %d\n", s.Name, len(s.Plane.U), len(s.Plane.V), s.From, s.To)
	}
	// Output:
	// ae: a 6x6 plane, path from row 0 to row 1
	// vae: a 6x6 plane, path from row 0 to row 1
}
