package pool

import "sync/atomic"

// The split rule. A loop is split over the workers only where it holds at
// least 2 grains of work, into one range per grain (at most 4 per core);
// a grain is ~5-12 µs of one core's work, so each range pays for the ~2-5 µs
// a handoff costs (an offer on the queue, a polling worker taking it, the
// caller's wait, the range's data crossing caches). Measured serial
// against parallel on the shapes of the default AE and VAE (32, 100 and
// 784 inputs, batch 128 and 500 rows): BenchmarkGemmSplit (internal/gemm)
// and BenchmarkOpSplit (cpu). On a 2-vCPU Zen 5 a split breaks even at
// ~2-4 MFLOP for a product and at ~8-10 µs of elementwise work; with the
// workers parked instead of polling (no spinFor), only past ~25 MFLOP or
// ~100 µs. Grains are per cost class, as elements per core-µs differ 20×.
const (
	// GrainFlops is the grain of a matrix product, in flops (2·M·N·K):
	// ~12 µs at ~170 GFLOP/s.
	GrainFlops = 1 << 21
	// GrainStream is the grain of a SIMD stream over the elements (copies,
	// ReLU', Adam, internal/vec's sigmoid and byte scaling), ~0.15-0.25 ns
	// an element.
	GrainStream = 1 << 15
	// GrainCheap is the grain of a few scalar operations or a float64 sum
	// per element (ReLU, MSE, SumRows), ~0.3-0.5 ns an element.
	GrainCheap = 1 << 14
	// GrainMath is the grain of a scalar exp, log or tanh per element
	// (BCE, the table loss, tanh), ~3 ns an element.
	GrainMath = 1 << 11
)

// Policy is how Split chooses.
type Policy int32

const (
	// Auto splits by the grains: the default.
	Auto Policy = iota
	// Serial runs every loop on the caller alone.
	Serial
	// Parallel splits every loop of two or more items, up to 4 ranges
	// per core, whatever its work.
	Parallel
)

var policy atomic.Int32

// SetPolicy makes p the policy of later Split calls and returns the one
// before: for benchmarks and tests that run both paths on one shape.
func SetPolicy(p Policy) Policy { return Policy(policy.Swap(int32(p))) }

// Split returns how many ranges For should cut a loop of n items into, the
// loop carrying work units of work of which grain pay for one range:
// min(work/grain, 4·Procs, n) where that is at least 2, else 1 (the caller
// alone); under Serial 1, under Parallel min(4·Procs, n).
func Split(n int, work, grain float64) int {
	most := min(4*Procs(), n)
	switch Policy(policy.Load()) {
	case Serial:
		return 1
	case Parallel:
		return max(most, 1)
	}
	if work < 2*grain {
		return 1
	}
	return max(min(int(work/grain), most), 1)
}
