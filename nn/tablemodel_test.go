package nn_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// tableConfig is a LossTable AE of 3 numeric columns and groups of 3 and 2.
var tableConfig = nn.Config{Kind: nn.KindAE, Layers: []int{8, 5, 2}, HiddenAct: nn.Tanh, LatentAct: nn.Identity,
	OutputAct: nn.Identity, Loss: nn.LossTable, TableGroups: []int{0, 3, 0, 2, 0}, Init: "torch"}

// tableRows returns n rows for tableConfig (numeric values, one-hot
// groups) and a mask with about a quarter of the features missing (a
// group's mask is set across the group), row 1 wholly missing.
func tableRows(n int) (x []float32, mask []uint8) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, mask = make([]float32, n*8), make([]uint8, n*8)
	for i := range n {
		row, m := x[i*8:(i+1)*8], mask[i*8:(i+1)*8]
		row[0], row[4], row[7] = float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())
		row[1+rng.IntN(3)] = 1
		row[5+rng.IntN(2)] = 1
		for _, f := range [][2]int{{0, 1}, {1, 3}, {4, 1}, {5, 2}, {7, 1}} {
			present := uint8(1)
			if i == 1 || rng.IntN(4) == 0 {
				present = 0
			}
			for j := f[0]; j < f[0]+f[1]; j++ {
				m[j] = present
			}
		}
	}
	return x, mask
}

// tableRef is one row's table loss (nn.TableLayout's doc) in float64.
func tableRef(pred, target []float32, mask []uint8) float64 {
	var sum float64
	var present int
	feats := [][2]int{{0, 1}, {1, 3}, {4, 1}, {5, 2}, {7, 1}}
	for _, f := range feats {
		j, k := f[0], f[1]
		if mask[j] == 0 {
			continue
		}
		present++
		if k == 1 {
			d := float64(pred[j]) - float64(target[j])
			sum += d * d
			continue
		}
		hi := math.Inf(-1)
		for _, v := range pred[j : j+k] {
			hi = math.Max(hi, float64(v))
		}
		var se float64
		for _, v := range pred[j : j+k] {
			se += math.Exp(float64(v) - hi)
		}
		for c := range k {
			sum += float64(target[j+c]) * (hi + math.Log(se) - float64(pred[j+c]))
		}
	}
	if present == 0 {
		return 0
	}
	return float64(len(feats)) / float64(present) * sum
}

// TestTableModelMask: a LossTable model's per-row losses leave out the
// values the mask marks missing, scaled by F/P, in Model.Run (mask uploaded
// per batch) and in the trainer's evaluation (mask resident, gathered with
// every batch), on odd batch sizes.
func TestTableModelMask(t *testing.T) {
	b := cpu.New()
	m, err := nn.NewModel(b, tableConfig, 1)
	if err != nil {
		t.Fatal(err)
	}
	const n = 13
	x, mask := tableRows(n)
	src := nn.Source{Rows: n, Cols: 8, Floats: x, Mask: mask}
	res, err := m.Run(b, src, 5, nn.Want{Output: true, Losses: true})
	if err != nil {
		t.Fatal(err)
	}
	var mean float64
	for i := range n {
		want := tableRef(res.Output[i*8:(i+1)*8], x[i*8:(i+1)*8], mask[i*8:(i+1)*8])
		if got := float64(res.Recon[i]); math.Abs(got-want) > 1e-5*max(1, math.Abs(want)) {
			t.Errorf("row %d: loss %v, want %v", i, got, want)
		}
		mean += want / n
	}
	if res.Recon[1] != 0 {
		t.Errorf("row 1, wholly missing: loss %v, want 0", res.Recon[1])
	}
	unmasked, err := m.Run(b, nn.Source{Rows: n, Cols: 8, Floats: x}, 5, nn.Want{Losses: true})
	if err != nil {
		t.Fatal(err)
	}
	if unmasked.Recon[1] == 0 {
		t.Error("without a mask, row 1 has loss 0: the mask was not what left it out")
	}
	tr, err := nn.NewTrainer(b, m, src, &src, nn.TrainOptions{Epochs: 1, Batch: 4, Adam: nn.DefaultAdam, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	recon, _, err := tr.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(recon-mean) > 1e-5*max(1, mean) {
		t.Errorf("trainer's evaluation: mean loss %v, Run's %v", recon, mean)
	}
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
}

// TestTableConfig: a LossTable config needs an identity output and groups
// that cover the input width; other losses take no groups.
func TestTableConfig(t *testing.T) {
	for want, edit := range map[string]func(c *nn.Config){
		"needs output activation identity": func(c *nn.Config) { c.OutputAct = nn.Sigmoid },
		"7 model columns, but the input":   func(c *nn.Config) { c.TableGroups = []int{0, 3, 0, 2} },
		"has size -1":                      func(c *nn.Config) { c.TableGroups = []int{0, 3, 0, 2, -1} },
		"only for loss table":              func(c *nn.Config) { c.Loss = nn.LossMSE },
	} {
		c := tableConfig
		edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want an error saying %q", err, want)
		}
	}
	c := tableConfig
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}
