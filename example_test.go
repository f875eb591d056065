package wgml_test

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/outlier"
)

// rows draws n rows of 6 features that lie near a 2-D plane (two hidden
// factors a, b), the kind of structure an autoencoder learns.
func rows(rng *rand.Rand, n int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		out[i] = []float64{a, b, a + b, a - b, 2 * a, b / 2}
		for j := range out[i] {
			out[i][j] += 0.05 * rng.NormFloat64()
		}
	}
	return out
}

// outliers draws n rows whose 6 features are independent: off the plane.
func outliers(rng *rand.Rand, n int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, 6)
		for j := range out[i] {
			out[i][j] = 2 * rng.NormFloat64()
		}
	}
	return out
}

// An outlier detector in the manner of PyOD: fit on (mostly) normal rows,
// score new rows, flag those above the fitted threshold, measure with AUROC.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	train := rows(rng, 400)
	m, err := wgml.Fit(train, wgml.Options{Layers: []int{4, 2}, Epochs: 100, Batch: 32, LR: 0.01})
	if err != nil {
		log.Fatal(err)
	}
	test := append(rows(rng, 50), outliers(rng, 5)...)
	flags, err := m.Predict(test)
	if err != nil {
		log.Fatal(err)
	}
	scores, err := m.Score(test)
	if err != nil {
		log.Fatal(err)
	}
	isOutlier := make([]bool, len(test))
	flagged := 0
	for i := 50; i < 55; i++ {
		isOutlier[i] = true
		if flags[i] {
			flagged++
		}
	}
	auroc, err := wgml.AUROC(scores, isOutlier)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("threshold: the %.1f quantile of the %d training rows' scores\n", 1-m.Contamination, len(train))
	fmt.Printf("planted outliers flagged: %d of 5\n", flagged)
	fmt.Printf("AUROC: %.2f\n", auroc)
	// Output:
	// threshold: the 0.9 quantile of the 400 training rows' scores
	// planted outliers flagged: 5 of 5
	// AUROC: 1.00
}

// Encode reduces rows to their latent codes; Decode maps codes back to rows.
func ExampleModel_Encode() {
	rng := rand.New(rand.NewPCG(3, 4))
	m, err := wgml.Fit(rows(rng, 400), wgml.Options{Layers: []int{4, 2}, Epochs: 100, Batch: 32, LR: 0.01})
	if err != nil {
		log.Fatal(err)
	}
	x := rows(rng, 3)
	codes, err := m.Encode(x)
	if err != nil {
		log.Fatal(err)
	}
	back, err := m.Decode(codes)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d rows of %d features -> codes of width %d -> rows of %d features\n", len(x), len(x[0]), len(codes[0]), len(back[0]))
	worst := 0.0
	for i := range x {
		for j := range x[i] {
			worst = math.Max(worst, math.Abs(back[i][j]-x[i][j]))
		}
	}
	fmt.Println("round trip within 0.5:", worst < 0.5)
	// Output:
	// 3 rows of 6 features -> codes of width 2 -> rows of 6 features
	// round trip within 0.5: true
}

// A de-noising autoencoder: trained on corrupted copies of its rows
// (Noise), it maps noisy rows back towards clean ones.
func ExampleModel_Denoise() {
	rng := rand.New(rand.NewPCG(5, 6))
	// No normalisation, so the training noise is in data units, as below.
	m, err := wgml.Fit(rows(rng, 400), wgml.Options{Layers: []int{4, 2}, Epochs: 100, Batch: 32, LR: 0.01,
		Noise: "gaussian:0.5", Normalize: "none"})
	if err != nil {
		log.Fatal(err)
	}
	clean := rows(rng, 100)
	noisy := make([][]float64, len(clean))
	for i, r := range clean {
		noisy[i] = make([]float64, len(r))
		for j, v := range r {
			noisy[i][j] = v + 0.5*rng.NormFloat64()
		}
	}
	denoised, err := m.Denoise(noisy)
	if err != nil {
		log.Fatal(err)
	}
	mse := func(x [][]float64) float64 {
		s := 0.0
		for i := range x {
			for j := range x[i] {
				s += (x[i][j] - clean[i][j]) * (x[i][j] - clean[i][j])
			}
		}
		return s / float64(len(x)*len(x[0]))
	}
	fmt.Printf("mean squared error against the clean rows: noisy %.2f, de-noised below half of it: %v\n", mse(noisy), mse(denoised) < mse(noisy)/2)
	// Output:
	// mean squared error against the clean rows: noisy 0.28, de-noised below half of it: true
}

// Threshold is the (1-contamination) quantile of training scores; rows
// scoring above it are outliers.
func ExampleThreshold() {
	train := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	t, err := wgml.Threshold(train, 0.1)
	if err != nil {
		log.Fatal(err)
	}
	flags, n := wgml.Outliers([]float64{2.5, 9.5, 42}, t)
	fmt.Println(t, flags, n)
	// Output:
	// 9 [false true true] 2
}

// AUROC and AUPRC measure scores against known outliers.
func ExampleAUROC() {
	scores := []float64{0.1, 0.4, 0.35, 0.8}
	outlier := []bool{false, false, true, true}
	auroc, _ := wgml.AUROC(scores, outlier)
	auprc, _ := wgml.AUPRC(scores, outlier)
	fmt.Printf("AUROC %.4f AUPRC %.4f\n", auroc, auprc)
	// Output:
	// AUROC 0.7500 AUPRC 0.8333
}

// Early stopping: hold out a fifth of the rows for validation and stop once
// their loss has not improved for 5 epochs; the model keeps the best
// epoch's weights.
func ExampleSelection() {
	rng := rand.New(rand.NewPCG(7, 8))
	m, err := wgml.Fit(rows(rng, 400), wgml.Options{Layers: []int{4, 2}, Epochs: 1000, Batch: 32, LR: 0.01,
		Selection: wgml.Selection{ValFrac: 0.2, Patience: 5, LRSchedule: "cosine"}})
	if err != nil {
		log.Fatal(err)
	}
	last := m.History[len(m.History)-1]
	best := m.History[m.BestEpoch-1]
	fmt.Println("stopped before epoch 1000:", last.Epoch < 1000)
	fmt.Println("stopped 5 epochs after the best:", last.Epoch == m.BestEpoch+5)
	fmt.Println("best validation loss below the first epoch's:", best.ValLoss < m.History[0].ValLoss)
	// Output:
	// stopped before epoch 1000: true
	// stopped 5 epochs after the best: true
	// best validation loss below the first epoch's: true
}

// Choosing the threshold on labelled rows (max-f1) and reading precision,
// recall and F1 there; outlier probabilities and the features that make a
// row unusual.
func ExampleModel_FitThreshold() {
	rng := rand.New(rand.NewPCG(1, 2))
	m, err := wgml.Fit(rows(rng, 400), wgml.Options{Layers: []int{4, 2}, Epochs: 100, Batch: 32, LR: 0.01})
	if err != nil {
		log.Fatal(err)
	}
	labelled := append(rows(rng, 50), outliers(rng, 5)...)
	isOutlier := make([]bool, len(labelled))
	for i := 50; i < 55; i++ {
		isOutlier[i] = true
	}
	if _, err := m.FitThreshold("max-f1", labelled, isOutlier); err != nil {
		log.Fatal(err)
	}
	q, err := m.Evaluate(labelled, isOutlier)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("precision %.2f recall %.2f F1 %.2f (TP %d FP %d)\n", q.Precision(), q.Recall(), q.F1(), q.TP, q.FP)
	p, err := m.Probability(labelled[50:51])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("an outlier's probability above 0.5:", p[0] > 0.5)

	// Corrupt feature 2 (a+b) of a normal row: it stands out.
	row := rows(rng, 1)
	row[0][2] += 10
	errs, err := m.FeatureErrors(row)
	if err != nil {
		log.Fatal(err)
	}
	top, _ := outlier.Top(errs[0], []string{"a", "b", "a+b", "a-b", "2a", "b/2"}, 1)
	fmt.Println("largest error:", top[0])
	// Output:
	// precision 1.00 recall 1.00 F1 1.00 (TP 5 FP 0)
	// an outlier's probability above 0.5: true
	// largest error: a+b
}
