package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// stepLayer is one dense layer of a model's training step, with the
// activation of its input (the layer below's; Identity for the data and
// for a VAE's z) and whether its input gradient is computed (not for the
// first encoder layer).
type stepLayer struct {
	name   string
	in     int
	out    int
	act    nn.Activation
	inAct  nn.Activation
	withDx bool
}

// stepLayers lists c's dense layers in forward order as the trainer runs
// them: the encoder, a VAE's heads (one layer of 2·Latent outputs), the
// decoder.
func stepLayers(tb testing.TB, c nn.Config) []stepLayer {
	m, err := nn.NewModel(cpu.New(), c, 1)
	if err != nil {
		tb.Fatal(err)
	}
	var ls []stepLayer
	add := func(name string, d *nn.Dense, inAct nn.Activation) {
		ls = append(ls, stepLayer{name: name, in: d.In, out: d.Out, act: d.Act, inAct: inAct, withDx: len(ls) > 0})
	}
	below := nn.Identity
	for i, d := range m.Enc.Layers {
		add(fmt.Sprintf("enc%d", i), d, below)
		below = d.Act
	}
	if m.Heads != nil {
		add("heads", m.Heads, below)
		below = nn.Identity // the decoder's input is z
	}
	for i, d := range m.Dec.Layers {
		add(fmt.Sprintf("dec%d", i), d, below)
		below = d.Act
	}
	return ls
}

// BenchmarkStepProducts times every matrix product of the AE and VAE
// training steps at batch 128 on the cpu backend's default kernel (or the
// one WGML_CPU_KERNEL forces), each through the op the trainer calls, with
// its fused epilogue: BenchmarkStepProducts/cpu/<model>/<layer>/<op>/<MxKxN>
// where op is fwd (Linear, nt), dw (LinearGrads with db, tn) or dx
// (LinearInputGrad with act' of the layer below, nn). GFLOP/s is 2·M·K·N
// per op; the README's table of products comes from here.
func BenchmarkStepProducts(b *testing.B) {
	const batch = 128
	be := backend(b, "cpu")
	for _, kind := range []string{nn.KindAE, nn.KindVAE} {
		c, err := Model(kind, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range stepLayers(b, c) {
			benchLayerProducts(b, be, "cpu/"+kind+"/"+l.name, l, batch)
		}
	}
}

// benchLayerProducts runs the products of layer l at batch n on be.
func benchLayerProducts(b *testing.B, be nn.Backend, prefix string, l stepLayer, n int) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, w, bias := filled(b, be, n, l.in, rng), filled(b, be, l.out, l.in, rng), filled(b, be, 1, l.out, rng)
	y, dz := filled(b, be, n, l.out, rng), filled(b, be, n, l.out, rng)
	dw, db, dx := filled(b, be, l.out, l.in, rng), filled(b, be, 1, l.out, rng), filled(b, be, n, l.in, rng)
	ops := []struct {
		name    string
		m, k, o int
		run     func()
	}{
		{"fwd", n, l.in, l.out, func() { be.Linear(y, x, w, bias, l.act) }},
		{"dw", l.out, n, l.in, func() { be.LinearGrads(dw, db, dz, x) }},
		{"dx", n, l.out, l.in, func() { be.LinearInputGrad(dx, dz, w, x, l.inAct) }},
	}
	suffix := map[string]string{"fwd": "nt", "dw": "tn", "dx": ""}
	for _, op := range ops {
		if op.name == "dx" && !l.withDx {
			continue
		}
		b.Run(fmt.Sprintf("%s/%s/%dx%dx%d%s", prefix, op.name, op.m, op.k, op.o, suffix[op.name]), func(b *testing.B) {
			op.run()
			b.ResetTimer()
			cpu0 := CPUTime()
			for range b.N {
				op.run()
			}
			b.StopTimer()
			reportCPUTime(b, cpu0)
			b.ReportMetric(2*float64(op.m)*float64(op.k)*float64(op.o)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
