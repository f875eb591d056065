package card

import (
	"fmt"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// DefaultHidden are the widths after the input, down to the latent, that a
// model of kind gets unless told otherwise: 256, 64, 16 for an AE, 400, 20
// for a VAE (pytorch/examples' VAE).
func DefaultHidden(kind string) []int {
	if kind == nn.KindVAE {
		return []int{400, 20}
	}
	return []int{256, 64, 16}
}

// DefaultConfig is the model of kind for rows of in values, unless told
// otherwise: DefaultHidden widths, relu hidden layers, an identity latent
// layer, and for pixels in [0,1] (images) a sigmoid output, else identity;
// the loss is BCE for a VAE with a sigmoid output, MSE otherwise; Beta 1 and
// PyTorch's nn.Linear initialisation.
func DefaultConfig(kind string, in int, images bool) (nn.Config, error) {
	if kind != nn.KindAE && kind != nn.KindVAE {
		return nn.Config{}, fmt.Errorf("model %q: want ae or vae", kind)
	}
	c := nn.Config{Kind: kind, Layers: append([]int{in}, DefaultHidden(kind)...), HiddenAct: nn.ReLU,
		LatentAct: nn.Identity, OutputAct: nn.Identity, Beta: 1, Init: "torch"}
	if images {
		c.OutputAct = nn.Sigmoid
	}
	c.Loss = DefaultLoss(kind, c.OutputAct)
	return c, nil
}

// DefaultLoss is the reconstruction loss of a model of kind with output
// activation out: BCE for a VAE with a sigmoid output, MSE otherwise.
func DefaultLoss(kind string, out nn.Activation) string {
	if kind == nn.KindVAE && out == nn.Sigmoid {
		return nn.LossBCE
	}
	return nn.LossMSE
}

// NeedsTableLoss reports whether a model of d needs nn.LossTable rather
// than MSE: d is a table with categorical columns, or with missing values
// to leave out of the loss (a mask).
func NeedsTableLoss(d *data.Dataset) bool {
	return d.Schema != nil && (d.Schema.HasCategorical() || d.Mask != nil)
}

// TableGroups are the nn.Config.TableGroups of a table-loss model of d: its
// schema's group sizes, or every column numeric without a schema.
func TableGroups(d *data.Dataset) []int {
	if d.Schema != nil {
		return d.Schema.GroupSizes()
	}
	return make([]int, d.Cols)
}
