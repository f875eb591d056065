package gpu

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestStickyError forces a device failure (an upload into, or a dispatch
// binding, a buffer destroyed behind the backend's back; a failing submit
// aborts inside wgpu-native, so it cannot be forced) and checks that
// the first error sticks: Sync and every Read return it, nothing more is
// recorded, submitted, uploaded or read, a later failure does not replace
// it, and a trainer on the backend stops with it.
func TestStickyError(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		force      func(b *Backend, broken nn.Tensor)
	}{
		{"upload", "gpu: Upload: ", func(b *Backend, broken nn.Tensor) {
			b.tensor(broken).buf.b.Destroy()
			b.Upload(broken, make([]float32, nn.Len(broken)))
		}},
		{"dispatch", "CreateBindGroup", func(b *Backend, broken nn.Tensor) {
			y, _ := b.Alloc(1, nn.Len(broken))
			b.tensor(broken).buf.b.Destroy()
			b.Copy(y, broken)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := openBackend(t)
			const n = 64
			alloc := func() nn.Tensor {
				x, err := b.Alloc(1, n)
				if err != nil {
					t.Fatal(err)
				}
				return x
			}
			x, y, broken := alloc(), alloc(), alloc()
			ones := slices.Repeat([]float32{1}, n)
			b.Upload(x, ones)
			b.Copy(y, x)
			if err := b.Sync(); err != nil {
				t.Fatalf("before the failure: %v", err)
			}

			tc.force(b, broken)
			first := b.Sync()
			if first == nil || !strings.Contains(first.Error(), tc.want) {
				t.Fatalf("Sync after the failure: %v, want an error naming %q", first, tc.want)
			}
			before := b.Counters()
			b.Upload(x, make([]float32, n))
			b.Copy(y, x)
			b.Flush()
			dst := slices.Repeat([]float32{7}, n)
			if err := b.Read(y, dst); err != first {
				t.Errorf("Read after the failure: %v, want the first error %v", err, first)
			}
			if !slices.Equal(dst, slices.Repeat([]float32{7}, n)) {
				t.Error("Read after the failure wrote into dst")
			}
			if err := b.Sync(); err != first {
				t.Errorf("second Sync: %v, want the first error", err)
			}
			if after := b.Counters(); after != before {
				t.Errorf("work after the failure: counters %+v, then %+v", before, after)
			}
			b.fail(errors.New("a later failure"))
			if b.Sync() != first {
				t.Errorf("a later failure replaced the first: %v", b.Sync())
			}

			// A trainer on the failed backend reports the error instead
			// of training on.
			m, err := nn.NewModel(b, nn.Config{Kind: nn.KindAE, Layers: []int{4, 2}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Loss: nn.LossMSE, Init: "torch"}, 1)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := nn.NewTrainer(b, m, nn.Source{Rows: 8, Cols: 4, Bytes: make([]uint8, 32)}, nil,
				nn.TrainOptions{Epochs: 1, Batch: 4, Adam: nn.DefaultAdam})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tr.RunEpoch(); !errors.Is(err, first) {
				t.Errorf("RunEpoch on the failed backend: %v, want %v", err, first)
			}
		})
	}
}
