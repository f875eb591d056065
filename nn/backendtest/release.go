package backendtest

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// releaseCases are models whose inference workspaces hold every kind of
// tensor: an AE, a VAE with fused BCE (stats, z, eps, the sigmoid's
// buffer), a table model with a mask and a layout index.
var releaseCases = []struct {
	name string
	c    nn.Config
	mask bool
}{
	{"ae", nn.Config{Kind: nn.KindAE, Layers: []int{7, 5, 3}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Loss: nn.LossMSE, Init: "torch"}, false},
	{"vae-bce", nn.Config{Kind: nn.KindVAE, Layers: []int{7, 5, 3}, HiddenAct: nn.Tanh, OutputAct: nn.Sigmoid, Loss: nn.LossBCE, Beta: 1, Init: "torch"}, false},
	{"table-mask", nn.Config{Kind: nn.KindAE, Layers: []int{5, 4, 2}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Identity, Loss: nn.LossTable, Init: "he", TableGroups: []int{0, 3, 0}}, true},
}

// RunRelease loads a checkpoint, runs the model over an odd number of rows
// (two batch sizes, noise, every output), decodes and takes a gradient,
// then releases it, three times on one backend: a backend that counts its
// device memory (nn.Counting) must hold as much after each cycle as before
// the first, and every cycle must give the first one's results bit for bit
// (what a freed buffer's cached bindings would spoil). A released model
// answers ErrReleased, Release twice is harmless.
func RunRelease(t *testing.T, newBackend func(t *testing.T) nn.Backend) {
	for _, tc := range releaseCases {
		t.Run(tc.name, func(t *testing.T) {
			b := newBackend(t)
			path := filepath.Join(t.TempDir(), "m.safetensors")
			m, err := nn.NewModel(b, tc.c, 3)
			if err != nil {
				t.Fatal(err)
			}
			ck, err := nn.Snapshot(b, m, nil, nil)
			if err == nil {
				err = ck.Save(path)
			}
			if err != nil {
				t.Fatal(err)
			}
			m.Release()
			level := allocated(b)
			var first []float32
			for cycle := range 3 {
				got := loadRunRelease(t, b, path, tc.c.Input(), tc.mask)
				if cycle == 0 {
					first = got
				} else if !slices.Equal(got, first) {
					t.Errorf("cycle %d: results differ from the first cycle's", cycle+1)
				}
				if a := allocated(b); a != level {
					t.Errorf("cycle %d: %d bytes allocated after Release, %d before the load", cycle+1, a, level)
				}
			}
		})
	}
}

// loadRunRelease is one cycle of RunRelease: it returns the results of
// the model loaded from path, which it releases.
func loadRunRelease(t *testing.T, b nn.Backend, path string, in int, masked bool) []float32 {
	t.Helper()
	ck, err := nn.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ck.Build(b)
	if err != nil {
		t.Fatal(err)
	}
	held := allocated(b)
	const rows = 11
	rng := rand.New(rand.NewPCG(4, 5))
	src := nn.Source{Rows: rows, Cols: in, Floats: make([]float32, rows*in)}
	for i := range src.Floats {
		src.Floats[i] = rng.Float32()
	}
	if masked {
		src.Mask = make([]uint8, rows*in)
		for i := range src.Mask {
			src.Mask[i] = uint8(rng.IntN(4) & 1)
		}
	}
	res, err := m.Run(b, src, 4, nn.Want{Latent: true, Output: true, Losses: true, Input: true, Errors: true, Raw: true,
		Noise: noise.Noise{Kind: noise.Gaussian, Level: 0.1}, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	out := slices.Concat(res.Latent, res.Output, res.Recon, res.KL, res.Input, res.Errors, res.Raw)
	dec, err := m.Decode(b, res.Latent[:3*m.Config.Latent()], 3)
	if err != nil {
		t.Fatal(err)
	}
	_, grad, err := m.Gradient(b, src.Floats[:2*in], 2, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	out = slices.Concat(out, dec, grad)
	if _, ok := b.(nn.Counting); ok && allocated(b) <= held {
		t.Errorf("running the model allocated nothing (%d bytes held): the check below proves nothing", held)
	}
	m.Release()
	m.Release()
	checkReleased(t, b, m, src)
	return out
}

// checkReleased checks that every use of the released m fails with
// ErrReleased.
func checkReleased(t *testing.T, b nn.Backend, m *nn.Model, src nn.Source) {
	t.Helper()
	_, err1 := m.Run(b, src, 4, nn.Want{Losses: true})
	_, err2 := m.Decode(b, make([]float32, m.Config.Latent()), 1)
	_, _, err3 := m.Gradient(b, src.Floats[:src.Cols], 1, 1, 1)
	err4 := m.SetParams(b, make([]float32, m.Params.Total))
	_, err5 := nn.Snapshot(b, m, nil, nil)
	_, err6 := nn.NewTrainer(b, m, src, nil, nn.DefaultTrainOptions())
	for i, err := range []error{err1, err2, err3, err4, err5, err6} {
		if !errors.Is(err, nn.ErrReleased) {
			t.Errorf("use %d of a released model: %v, want ErrReleased", i+1, err)
		}
	}
}

// allocated is the device memory b holds, 0 where it does not count.
func allocated(b nn.Backend) int64 {
	if c, ok := b.(nn.Counting); ok {
		return c.Counters().BytesAllocated
	}
	return 0
}
