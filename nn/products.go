package nn

// Product is one matrix product a training step runs: C(M×N) = op(A)·op(B)
// with op(A) M×K and op(B) K×N, A and B transposed as TransA and TransB
// say (Backend.MatMul's shapes).
type Product struct {
	M, K, N        int
	TransA, TransB Transpose
}

// StepProducts lists the distinct products of a training step of an MLP
// autoencoder with encoder widths layers (the decoder mirrors them) at
// batch size batch: per layer (in -> out) the forward x·wᵀ (B,in,out), the
// input gradient dz·w (B,out,in) and the weight gradient dzᵀ·x (out,B,in).
func StepProducts(layers []int, batch int) []Product {
	seen := map[Product]bool{}
	var ps []Product
	add := func(p Product) {
		if !seen[p] {
			seen[p] = true
			ps = append(ps, p)
		}
	}
	for i := 0; i+1 < len(layers); i++ {
		for _, p := range [][2]int{{layers[i], layers[i+1]}, {layers[i+1], layers[i]}} {
			in, out := p[0], p[1]
			add(Product{batch, in, out, NoTrans, Trans})
			add(Product{batch, out, in, NoTrans, NoTrans})
			add(Product{out, batch, in, Trans, NoTrans})
		}
	}
	return ps
}
