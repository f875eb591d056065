package main

import (
	"fmt"
	"log"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
)

func main() {
	open := data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}} // or Image: ..., or a .npy
	m, train, err := wgml.FitFile("testdata/iris_messy/iris.csv", open, wgml.Options{Layers: []int{6, 3}, Epochs: 60})
	if err != nil {
		log.Fatal(err)
	}
	scores, rows, err := m.ScoreFile("testdata/iris_messy/iris.csv") // the training columns and categories
	if err != nil {
		log.Fatal(err)
	}
	clean, err := m.DenoiseFile("testdata/iris_messy/iris.csv") // original columns, as text
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Cols, len(scores), rows.Warnings, clean[0])
}
