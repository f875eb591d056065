package bench

import (
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
		for _, v := range gpu.MatMulVariants() {
			b.Run(s+"/"+strings.ReplaceAll(v, "/", "-"), func(b *testing.B) {
				skipBigOnSoftware(b, be, flops)
				a, bm, c := matMulOperands(b, be, "gpu/"+s, sh)
				if err := be.PinMatMul(v); err != nil {
					b.Fatal(err)
				}
				be.MatMul(c, a, bm, sh.transA, sh.transB, nn.Overwrite) // warm: pipeline, bind group
				if err := be.Sync(); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := range b.N {
					be.MatMul(c, a, bm, sh.transA, sh.transB, nn.Overwrite)
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
