package main

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/plot"
)

// writeLossCurve plots train and test loss per epoch.
func writeLossCurve(path string, c nn.Config, h []nn.EpochStats) error {
	var train, test plot.Series
	train.Name, test.Name = "train", "test"
	for _, e := range h {
		train.X, train.Y = append(train.X, float64(e.Epoch)), append(train.Y, e.Loss)
		test.X, test.Y = append(test.X, float64(e.Epoch)), append(test.Y, e.TestLoss)
	}
	title := fmt.Sprintf("%s %v loss per row", c.Kind, c.Layers)
	return plot.LossCurve(path, title, []plot.Series{train, test})
}

// channels is the number of values per pixel of an image data set whose
// Channels field is c: 3 for RGB, 1 for grayscale (c 0 or 1).
func channels(c int) int { return max(c, 1) }
