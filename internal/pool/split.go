package pool

import "sync/atomic"

// The split rule. A loop is split over the workers only where it holds at
// least 2 grains of work, a grain being the work whose range pays for its
// handoff: an offer on the queue, a polling worker taking it, the caller's
// wait and, above all, the range's operands and results crossing between
// the cores' caches. A split loop is cut into 4 ranges per core (at most
// one per item), taken in turn by whoever is free: on a shared machine a
// worker that the OS preempts holds up one small range, not half the loop.
//
// Measured on a 2-vCPU Zen 5, serial against parallel, on the shapes of
// the default AE and VAE (32, 100 and 784 inputs; batch 128 and 500-row
// scoring): BenchmarkGemmSplit (internal/gemm) and BenchmarkOpSplit (cpu),
// then whole epochs and scoring passes. A product repeated on hot caches
// breaks even at ~2-4 MFLOP; with the caller writing op(a) and reading c
// as in a step, at ~50 MFLOP. Whole runs put it between: splitting the
// 4 MFLOP products of a 32-column AE at batch 128 cost 30% of its epoch,
// splitting the 16 MFLOP products of its 500-row scoring 15% of the pass,
// while splitting MNIST's 51-80 MFLOP products gains 1.3-1.4×. Elementwise
// ops (hot caches) break even at ~8-10 µs of one core's work; their grains
// are per cost class, as elements per µs differ 20× between them.
const (
	// GrainFlops is the grain of a matrix product, in flops (2·M·N·K):
	// a product splits from 32 MFLOP (~200 µs at ~170 GFLOP/s).
	GrainFlops = 1 << 24
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
// min(4·Procs, n) where work >= 2·grain, else 1 (the caller alone). Under
// Serial 1, under Parallel min(4·Procs, n) whatever the work.
func Split(n int, work, grain float64) int {
	switch Policy(policy.Load()) {
	case Serial:
		return 1
	case Auto:
		if work < 2*grain {
			return 1
		}
	}
	return max(min(4*Procs(), n), 1)
}
