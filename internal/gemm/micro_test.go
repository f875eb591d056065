package gemm

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMicro times each kernel alone on L1-resident panels (k = 256):
// the ceiling the packing and the driver take their share from.
func BenchmarkMicro(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, kn := range kernels(&testing.T{}) {
		const k = 256
		a, bp, c := fill(rng, k*kn.MR), fill(rng, k*kn.NR), fill(rng, kn.MR*kn.NR)
		b.Run(kn.Name, func(b *testing.B) {
			cpu0 := cpuTime()
			for range b.N {
				kn.micro(k, a, bp, c, kn.NR, 0, nil)
			}
			b.StopTimer()
			b.ReportMetric(2*float64(k*kn.MR*kn.NR)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			if d := cpuTime() - cpu0; d > 0 { // one thread: its rate per CPU-second, which a shared machine's load moves less
				b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
