package bench

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// BenchmarkMatMulVariant times every gpu matmul variant (gpu.PinMatMul) on
// the training products of BenchmarkMatMul's shapes (WGML_BENCH_MATMUL
// replaces them, e.g. 4096x4096x4096): the table the tuning pass builds,
// as benchstat reads it.
func BenchmarkMatMulVariant(b *testing.B) {
	shapes := matMulShapes
	if s := os.Getenv("WGML_BENCH_MATMUL"); s != "" {
		shapes = strings.Split(s, ",")
	}
	be, ok := backend(b, "gpu").(*gpu.Backend)
	if !ok {
		b.Skip("no gpu backend")
	}
	defer be.PinMatMul("")
	for _, s := range shapes {
		sh, err := parseShape(s)
		if err != nil {
			b.Fatal(err)
		}
		flops := 2 * float64(sh.m) * float64(sh.k) * float64(sh.n)
		ar, ac := sh.m, sh.k
		if sh.transA {
			ar, ac = ac, ar
		}
		br, bc := sh.k, sh.n
		if sh.transB {
			br, bc = bc, br
		}
		for _, v := range gpu.MatMulVariants() {
			b.Run(s+"/"+strings.ReplaceAll(v, "/", "-"), func(b *testing.B) {
				skipBigOnSoftware(b, be, flops)
				key := "gpu/" + s
				abc, ok := operands[key]
				if !ok {
					rng := rand.New(rand.NewPCG(1, 2))
					abc = [3]nn.Tensor{filled(b, be, ar, ac, rng), filled(b, be, br, bc, rng), filled(b, be, sh.m, sh.n, rng)}
					operands[key] = abc
				}
				if err := be.PinMatMul(v); err != nil {
					b.Fatal(err)
				}
				a, bm, c := abc[0], abc[1], abc[2]
				be.MatMul(c, a, bm, sh.transA, sh.transB, false) // warm: pipeline, bind group
				if err := be.Sync(); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := range b.N {
					be.MatMul(c, a, bm, sh.transA, sh.transB, false)
					if i%matMulsPerFlush == matMulsPerFlush-1 {
						be.Flush()
					}
				}
				if err := be.Sync(); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
