package main

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/plot"
)

// writeLossCurve plots train, test and validation loss per epoch (those
// the run has).
func writeLossCurve(path string, c nn.Config, h []nn.EpochStats) error {
	var train, test plot.Series
	train.Name, test.Name = "train", "test"
	for _, e := range h {
		train.X, train.Y = append(train.X, float64(e.Epoch)), append(train.Y, e.Loss)
		test.X, test.Y = append(test.X, float64(e.Epoch)), append(test.Y, e.TestLoss)
	}
	title := fmt.Sprintf("%s %v loss per row", c.Kind, c.Layers)
	return plot.LossCurve(path, title, plot.KeepFinite([]plot.Series{train, test, validationSeries(h)}))
}

// validationSeries is the validation loss per epoch (empty without one).
func validationSeries(h []nn.EpochStats) plot.Series {
	val := plot.Series{Name: "validation"}
	for _, e := range h {
		val.X, val.Y = append(val.X, float64(e.Epoch)), append(val.Y, e.ValLoss)
	}
	return val
}

// channels is the number of values per pixel of an image data set whose
// Channels field is c: 3 for RGB, 1 for grayscale (c 0 or 1).
func channels(c int) int { return max(c, 1) }
