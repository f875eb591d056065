package wgml_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
)

// A messy table: Fisher's iris, ; separated, with the species as text and
// gaps (empty fields, NA, ?). Missing "mask" imputes the gaps and leaves
// them out of the loss; the species becomes a one-hot group whose loss is
// a softmax cross-entropy, and DenoiseFile gives it back as a name.
func ExampleFitFile() {
	open := data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}}
	m, d, err := wgml.FitFile("testdata/iris_messy/iris.csv", open, wgml.Options{Layers: []int{6, 3}, Epochs: 60, Batch: 16, LR: 0.01})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d rows, columns %v -> %d model columns, loss %s\n", d.Rows, m.Schema.Names(), d.Cols, m.Net.Config.Loss)
	rows, err := m.DenoiseFile("testdata/iris_messy/iris.csv")
	if err != nil {
		log.Fatal(err)
	}
	truth := []string{"setosa", "versicolor", "virginica"} // 50 of each, in order
	right := 0
	for i, r := range rows {
		if r[4] == truth[i/50] {
			right++
		}
	}
	fmt.Println("species reconstructed right for more than 80% of the rows:", right > 120)
	// Output:
	// 150 rows, columns [sepal_length sepal_width petal_length petal_width species] -> 7 model columns, loss table
	// species reconstructed right for more than 80% of the rows: true
}

// A folder of images in class subfolders (here RGB PNGs drawn on the fly):
// labels come from the folder names, --image-size resizes, Channels 3
// keeps colour.
func ExampleFitFile_images() {
	dir, err := os.MkdirTemp("", "wgml-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for k := range 20 {
		for _, class := range []string{"red", "blue"} {
			img := image.NewRGBA(image.Rect(0, 0, 12, 12))
			for p := range 144 {
				c := color.RGBA{G: uint8(10 * k), A: 255}
				if class == "red" {
					c.R = 200
				} else {
					c.B = 200
				}
				img.Set(p%12, p/12, c)
			}
			var buf bytes.Buffer
			png.Encode(&buf, img)
			os.MkdirAll(filepath.Join(dir, class), 0o755)
			os.WriteFile(filepath.Join(dir, class, fmt.Sprintf("%02d.png", k)), buf.Bytes(), 0o644)
		}
	}
	open := data.OpenOptions{Image: data.ImageOptions{Width: 8, Height: 8, Channels: 3}}
	m, d, err := wgml.FitFile(dir, open, wgml.Options{Layers: []int{16, 2}, Epochs: 5, Batch: 8})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d images of %dx%dx%d, classes %v, sigmoid output: %v\n", d.Rows, d.Width, d.Height, d.Channels, d.Classes, m.Images)
	// Output:
	// 40 images of 8x8x3, classes [blue red], sigmoid output: true
}

// A NumPy array: train on normal rows saved with np.save, then score a
// second file with planted outliers.
func ExampleModel_ScoreFile() {
	dir, err := os.MkdirTemp("", "wgml-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	rng := rand.New(rand.NewPCG(7, 8))
	save := func(name string, r [][]float64) string {
		h := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", len(r), len(r[0]))
		for (10+len(h)+1)%64 != 0 {
			h += " "
		}
		b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)+1), 0)
		b = append(b, h+"\n"...)
		for _, row := range r {
			for _, v := range row {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			}
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			log.Fatal(err)
		}
		return path
	}
	train := save("train.npy", rows(rng, 400))
	test := save("test.npy", append(rows(rng, 50), outliers(rng, 5)...))
	m, _, err := wgml.FitFile(train, data.OpenOptions{}, wgml.Options{Layers: []int{4, 2}, Epochs: 100, Batch: 32, LR: 0.01})
	if err != nil {
		log.Fatal(err)
	}
	scores, d, err := m.ScoreFile(test)
	if err != nil {
		log.Fatal(err)
	}
	isOutlier := make([]bool, d.Rows)
	for i := 50; i < 55; i++ {
		isOutlier[i] = true
	}
	auroc, err := wgml.AUROC(scores, isOutlier)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d rows scored, AUROC %.2f\n", d.Rows, auroc)
	// Output:
	// 55 rows scored, AUROC 1.00
}
