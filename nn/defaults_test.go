package nn

import (
	"slices"
	"testing"
)

func TestDefaultConfig(t *testing.T) {
	for _, c := range []struct {
		kind   string
		images bool
		layers []int
		out    Activation
		loss   string
	}{
		{KindAE, true, []int{784, 256, 64, 16}, Sigmoid, LossMSE},
		{KindVAE, true, []int{784, 400, 20}, Sigmoid, LossBCE},
		{KindVAE, false, []int{784, 400, 20}, Identity, LossMSE},
	} {
		got, err := DefaultConfig(c.kind, 784, c.images)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Layers, c.layers) || got.OutputAct != c.out || got.Loss != c.loss || got.HiddenAct != ReLU || got.Beta != 1 || got.Init != "torch" {
			t.Errorf("DefaultConfig(%s, images %v) = %+v", c.kind, c.images, got)
		}
	}
	if _, err := DefaultConfig("gan", 3, false); err == nil {
		t.Error("DefaultConfig(gan) accepted")
	}
}
