package wgml_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// A training as wgml train runs it: the data split into train and test
// rows, a validation split for early stopping, checkpoints written to a
// folder after every epoch (model.safetensors, the best epoch's, and
// last.safetensors to resume from), hooks for what to print. Running it
// again with Start: wgml.StartResume continues exactly.
func ExamplePrepare() {
	out, err := os.MkdirTemp("", "wgml-job-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(out)
	job := wgml.Job{
		Options: wgml.Options{Layers: []int{4, 2}, Epochs: 40, Batch: 16, LR: 0.01,
			Selection: wgml.Selection{ValFrac: 0.2, Patience: 3, MinDelta: 0.5}},
		Data: "testdata/iris_messy/iris.csv",
		Open: data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}, TestFrac: 0.2},
		Out:  out,
	}
	tr, err := wgml.Prepare(job)
	if err != nil {
		log.Fatal(err)
	}
	improved := 0
	m, err := tr.Run(context.Background(), nil, wgml.Hooks{Hooks: nn.Hooks{EpochEnd: func(st nn.EpochStats) error {
		if st.Improved {
			improved++
		}
		return nil
	}}})
	if err != nil {
		log.Fatal(err)
	}
	_, err = os.Stat(filepath.Join(out, wgml.LastName))
	fmt.Printf("best epoch %d of %d epochs run (%d improved); last state kept: %v\n",
		m.BestEpoch, len(m.History), improved, err == nil)
	// Output: best epoch 7 of 10 epochs run (5 improved); last state kept: true
}
