package main

import (
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/wgml/wgml"
)

func main() {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([][]float64, 500) // 16 columns that are mixtures of 4 factors
	for i := range rows {
		f := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		rows[i] = make([]float64, 16)
		for j := range rows[i] {
			rows[i][j] = f[j%4] + 0.5*f[(j+1)%4] + 0.05*rng.NormFloat64()
		}
	}
	m, err := wgml.Fit(rows, wgml.Options{Layers: []int{16, 4}, Epochs: 50, Contamination: 0.05})
	if err != nil {
		log.Fatal(err)
	}
	scores, _ := m.Score(rows)  // reconstruction error per row
	flags, _ := m.Predict(rows) // scores above m.Threshold
	codes, _ := m.Encode(rows)  // latent codes (a VAE's mean)
	back, _ := m.Decode(codes)  // rows in data units
	clean, _ := m.Denoise(rows) // reconstructions (train with Options.Noise)
	if err := m.Save("model.safetensors"); err != nil { // m2, err := wgml.Load("model.safetensors", nil)
		log.Fatal(err)
	}
	t, _ := wgml.Threshold(scores, 0.1) // (1-contamination) quantile
	fmt.Println(len(flags), len(back), len(clean), t, m.Threshold)

	// Model selection: a validation split, early stopping, an LR schedule.
	es, err := wgml.Fit(rows, wgml.Options{Layers: []int{16, 4}, Epochs: 1000,
		Selection: wgml.Selection{ValFrac: 0.2, Patience: 5, LRSchedule: "cosine"}})
	if err != nil {
		log.Fatal(err)
	}
	labels := make([]bool, len(rows))             // true: a known outlier
	es.FitThreshold("mad", rows, nil)             // or "quantile", "max-f1", "fpr:0.05" (with labels)
	probs, _ := es.Probability(rows)              // PyOD's linear outlier probability
	errs, _ := es.FeatureErrors(rows)             // per-value errors; outlier.Top names the largest
	q, _ := es.Evaluate(rows, labels)             // AUROC, AUPRC, and the confusion at the threshold
	fmt.Println(es.BestEpoch, len(probs), len(errs), q.F1())
}
