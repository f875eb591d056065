package nn

import "fmt"

// DefaultHidden are the widths after the input, down to the latent, that a
// model of kind gets unless told otherwise: 256, 64, 16 for an AE, 400, 20
// for a VAE (pytorch/examples' VAE).
func DefaultHidden(kind string) []int {
	if kind == KindVAE {
		return []int{400, 20}
	}
	return []int{256, 64, 16}
}

// DefaultConfig is the model of kind for rows of in values, unless told
// otherwise: DefaultHidden widths, relu hidden layers, an identity latent
// layer, and for pixels in [0,1] (images) a sigmoid output, else identity;
// the loss is DefaultLoss; Beta 1 and PyTorch's nn.Linear initialisation.
func DefaultConfig(kind string, in int, images bool) (Config, error) {
	if kind != KindAE && kind != KindVAE {
		return Config{}, fmt.Errorf("model %q: want ae or vae", kind)
	}
	c := Config{Kind: kind, Layers: append([]int{in}, DefaultHidden(kind)...), HiddenAct: ReLU,
		LatentAct: Identity, OutputAct: Identity, Beta: 1, Init: "torch"}
	if images {
		c.OutputAct = Sigmoid
	}
	c.Loss = DefaultLoss(kind, c.OutputAct)
	return c, nil
}

// DefaultLoss is the reconstruction loss of a model of kind with output
// activation out: BCE for a VAE with a sigmoid output, MSE otherwise.
func DefaultLoss(kind string, out Activation) string {
	if kind == KindVAE && out == Sigmoid {
		return LossBCE
	}
	return LossMSE
}
