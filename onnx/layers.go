package onnx

import (
	"fmt"

	"github.com/wgml/wgml/nn"
)

// params copies a dense layer's weight w (Out,In) and bias (Out) from b to
// the host.
func params(b nn.Backend, d *nn.Dense) (w, bias []float32, err error) {
	w, bias = make([]float32, d.Out*d.In), make([]float32, d.Out)
	if err = b.Read(d.W, w); err == nil {
		err = b.Read(d.B, bias)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("onnx export: reading parameters: %w", err)
	}
	return w, bias, nil
}

// gemm adds y = x·wᵀ + bias for w (out,in) and bias (out).
func (g *graph) gemm(x string, w, bias []float32, in, out int) string {
	W := g.floats("weight", w, int64(out), int64(in))
	B := g.floats("bias", bias, int64(out))
	return g.op("Gemm", "", []string{x, W, B}, intAttr("transB", 1))
}

// activate adds y = a(x), or refuses an activation it does not know.
func (g *graph) activate(x string, a nn.Activation) (string, error) {
	switch a {
	case nn.Identity:
		return x, nil
	case nn.ReLU:
		return g.op("Relu", "", []string{x}), nil
	case nn.LeakyReLU: // PRelu with a constant slope is LeakyRelu(alpha = nn.LeakySlope)
		return g.op("PRelu", "", []string{x, g.scalar(nn.LeakySlope)}), nil
	case nn.Tanh:
		return g.op("Tanh", "", []string{x}), nil
	case nn.Sigmoid:
		return g.op("Sigmoid", "", []string{x}), nil
	}
	return "", fmt.Errorf("onnx export: activation %s is not exportable (want identity, relu, leakyrelu, tanh or sigmoid)", a)
}

// mlp adds the dense layers of m on x and returns the last output.
func (g *graph) mlp(b nn.Backend, m *nn.MLP, x string) (string, error) {
	for _, d := range m.Layers {
		w, bias, err := params(b, d)
		if err != nil {
			return "", err
		}
		if x, err = g.activate(g.gemm(x, w, bias, d.In, d.Out), d.Act); err != nil {
			return "", err
		}
	}
	return x, nil
}

// encode adds the encoder on xn and returns the latent code (a VAE's mu)
// and, for a VAE, the row KL (B,1) (kl "" for an AE).
func (g *graph) encode(s Spec, xn string) (lat, kl string, err error) {
	h, err := g.mlp(s.Backend, s.Net.Enc, xn)
	if err != nil || s.Net.Heads == nil {
		return h, "", err
	}
	heads := s.Net.Heads
	w, bias, err := params(s.Backend, heads)
	if err != nil {
		return "", "", err
	}
	L, in := heads.Out/2, heads.In // rows 0..L-1 are mu's, L..2L-1 logvar's
	mu := g.gemm(h, w[:L*in], bias[:L], in, L)
	lv := g.gemm(h, w[L*in:], bias[L:], in, L)
	return mu, g.kl(mu, lv, L), nil
}

// kl adds the row KL -½ Σ_j (1 + lv - mu² - exp(lv)) (B,1).
func (g *graph) kl(mu, lv string, L int) string {
	t := g.op("Add", "", []string{g.scalar(1), lv})
	t = g.op("Sub", "", []string{t, g.op("Mul", "", []string{mu, mu})})
	t = g.op("Sub", "", []string{t, g.op("Exp", "", []string{lv})})
	return g.op("Mul", "", []string{g.rowSum(t, L), g.scalar(-0.5)})
}

// reconLoss adds the row reconstruction loss (B,1) of decoder output y
// against the normalised input xn, as nn's loss of c computes it.
func (g *graph) reconLoss(c *nn.Config, y, xn, mask string) (string, error) {
	switch c.Loss {
	case nn.LossMSE:
		d := g.op("Sub", "", []string{y, xn})
		return g.rowSum(g.op("Mul", "", []string{d, d}), c.Input()), nil
	case nn.LossBCE: // y are logits: max(z,0) - z·t + log(1+exp(-|z|))
		t := g.op("Sub", "", []string{g.op("Relu", "", []string{y}), g.op("Mul", "", []string{y, xn})})
		sp := g.op("Softplus", "", []string{g.op("Neg", "", []string{g.op("Abs", "", []string{y})})})
		return g.rowSum(g.op("Add", "", []string{t, sp}), c.Input()), nil
	case nn.LossTable:
		return g.tableLoss(c.TableGroups, y, xn, mask), nil
	}
	return "", fmt.Errorf("onnx export: loss %q is not exportable (want mse, bce or table)", c.Loss)
}
