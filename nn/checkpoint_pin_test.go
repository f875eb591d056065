package nn_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// TestCheckpointNonFiniteHistory: a checkpoint whose history holds a
// validation or test loss of +Inf, -Inf or NaN (a row that overflows
// float32) is written, and those losses read back as NaN; before, +Inf
// failed every save ("json: unsupported value: +Inf").
func TestCheckpointNonFiniteHistory(t *testing.T) {
	c := nn.Config{Kind: nn.KindAE, Layers: []int{5, 2}, HiddenAct: nn.ReLU, OutputAct: nn.Identity, Loss: nn.LossMSE, Beta: 1, Init: "torch"}
	b := cpu.New()
	m, err := nn.NewModel(b, c, 3)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := nn.Snapshot(b, m, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ck.History = []nn.EpochStats{{Epoch: 1, Loss: 1, TestLoss: math.Inf(1), TestRecon: math.Inf(-1), TestKL: 0, ValLoss: math.Inf(1), ValRecon: math.NaN(), ValKL: 0}}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := ck.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := nn.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	h := back.History[0]
	for name, v := range map[string]float64{"test loss": h.TestLoss, "test recon": h.TestRecon, "val loss": h.ValLoss, "val recon": h.ValRecon} {
		if !math.IsNaN(v) {
			t.Errorf("%s read back as %v, want NaN", name, v)
		}
	}
	if h.Loss != 1 || h.TestKL != 0 || h.ValKL != 0 {
		t.Errorf("finite losses read back as %v, %v, %v", h.Loss, h.TestKL, h.ValKL)
	}
}
