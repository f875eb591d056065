package nn_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/internal/safetensors"
	"github.com/wgml/wgml/nn"
)

// rewrite reads the checkpoint at src, reshapes its bias tensors with
// shape, sets format_version to ver and writes it to a new file.
func rewrite(t *testing.T, src, ver string, shape func(n int) []int) string {
	t.Helper()
	ts, meta, err := safetensors.Read(src)
	if err != nil {
		t.Fatal(err)
	}
	meta["format_version"] = ver
	var out []safetensors.Tensor
	for name, v := range ts {
		if strings.HasSuffix(name, ".bias") {
			v.Shape = shape(len(v.Data))
		}
		v.Name = name
		out = append(out, v)
	}
	path := filepath.Join(t.TempDir(), "v"+ver+".safetensors")
	if err := safetensors.Write(path, out, meta); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCheckpointBiasShapes: version 2 stores biases as [Out] (PyTorch's
// state_dict shape) and version 1 files, with [1 Out] biases, still load
// to the same weights; each version refuses the other's bias shape.
func TestCheckpointBiasShapes(t *testing.T) {
	c := nn.Config{Kind: nn.KindVAE, Layers: []int{5, 3, 2}, HiddenAct: nn.ReLU, OutputAct: nn.Identity, Loss: nn.LossMSE, Beta: 1, Init: "torch"}
	b := cpu.New()
	m, err := nn.NewModel(b, c, 3)
	if err != nil {
		t.Fatal(err)
	}
	src := fuzzRows(8, 5)
	tr, err := nn.NewTrainer(b, m, src, nil, nn.TrainOptions{Epochs: 1, Batch: 4, Adam: nn.DefaultAdam, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	ck, err := nn.Snapshot(b, m, tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	v2 := filepath.Join(t.TempDir(), "m.safetensors")
	if err := ck.Save(v2); err != nil {
		t.Fatal(err)
	}
	ts, meta, err := safetensors.Read(v2)
	if err != nil {
		t.Fatal(err)
	}
	if meta["format_version"] != "2" {
		t.Errorf("format_version %q, want 2", meta["format_version"])
	}
	for _, name := range []string{"encoder.0.bias", "decoder.1.bias", "mu.bias", "adam.m.logvar.bias"} {
		if got := ts[name].Shape; !slices.Equal(got, []int{len(ts[name].Data)}) {
			t.Errorf("%s has shape %v, want [%d]", name, got, len(ts[name].Data))
		}
	}
	if got := ts["encoder.0.weight"].Shape; !slices.Equal(got, []int{3, 5}) {
		t.Errorf("encoder.0.weight has shape %v, want [3 5]", got)
	}
	v1 := rewrite(t, v2, "1", func(n int) []int { return []int{1, n} })
	for _, path := range []string{v2, v1} {
		got, err := nn.LoadCheckpoint(path)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(path), err)
		}
		for name, w := range ck.Weights {
			if !slices.Equal(got.Weights[name], w) || !slices.Equal(got.AdamM[name], ck.AdamM[name]) {
				t.Errorf("%s: %s differs from the saved tensor", filepath.Base(path), name)
			}
		}
		if got.Train == nil || *got.Train != *ck.Train {
			t.Errorf("%s: train options %+v, saved %+v", filepath.Base(path), got.Train, ck.Train)
		}
	}
	for _, bad := range []string{
		rewrite(t, v2, "2", func(n int) []int { return []int{1, n} }),
		rewrite(t, v2, "1", func(n int) []int { return []int{n} }),
	} {
		if _, err := nn.LoadCheckpoint(bad); err == nil || !strings.Contains(err.Error(), "bias has shape") {
			t.Errorf("%s with the other version's bias shape: %v, want a shape error", filepath.Base(bad), err)
		}
	}
}

// TestCheckResume: a run stopped inside an epoch resumes only with the
// batch size and seed that fix the epoch's order.
func TestCheckResume(t *testing.T) {
	ck := &nn.Checkpoint{Epoch: 1, EpochBatch: 2, Train: &nn.TrainOptions{Batch: 10, Seed: 1}}
	for _, c := range []struct {
		opt  nn.TrainOptions
		want string
	}{
		{nn.TrainOptions{Batch: 10, Seed: 1}, ""},
		{nn.TrainOptions{Batch: 5, Seed: 1}, "batch 5: the run stopped inside epoch 2 with batch 10"},
		{nn.TrainOptions{Batch: 10, Seed: 9}, "seed 9: the run stopped inside epoch 2 with seed 1"},
	} {
		err := ck.CheckResume(c.opt)
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("CheckResume(%+v) = %v, want %q", c.opt, err, c.want)
		}
	}
	ck.EpochBatch = 0 // at an epoch boundary anything goes
	if err := ck.CheckResume(nn.TrainOptions{Batch: 5, Seed: 9}); err != nil {
		t.Errorf("at an epoch boundary: %v", err)
	}
}
