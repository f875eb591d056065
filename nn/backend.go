// Package nn holds everything of wgml that does not depend on where the
// arithmetic runs: the Tensor handle, the Backend interface, dense layers,
// autoencoder and VAE models, losses, Adam, the Trainer and checkpoints.
//
// nn never imports a backend. Backends (wgml/cpu, wgml/gpu) register
// themselves with Register in an init function; callers pick one with Open.
//
// Matrices are row-major float32. A weight matrix is stored as PyTorch's
// nn.Linear stores it, w is (Out,In), so a dense layer computes
// y = x·wᵀ + b with x (B,In) and y (B,Out).
package nn

import (
	"github.com/wgml/wgml/internal/op"
	"github.com/wgml/wgml/noise"
)

// Tensor is a handle to a backend-owned, row-major matrix of shape
// (Rows, Cols). Its memory lives wherever the backend keeps it (host slice,
// GPU buffer); only the backend that allocated a tensor may use it.
type Tensor interface {
	Rows() int
	Cols() int
}

// Len is the number of elements of t.
func Len(t Tensor) int { return t.Rows() * t.Cols() }

// ViewAlign is the element alignment an offset passed to Backend.View must
// have: 64 float32 = 256 bytes, WebGPU's minimum storage buffer offset
// alignment.
const ViewAlign = 64

// AdamParams are the hyper-parameters of one Adam step (PyTorch's
// torch.optim.Adam, with weight decay added to the gradient as L2):
//
//	g  = grad + WeightDecay·p
//	m  = Beta1·m + (1-Beta1)·g
//	v  = Beta2·v + (1-Beta2)·g²
//	p -= LR · (m/(1-Beta1^Step)) / (sqrt(v/(1-Beta2^Step)) + Eps)
//
// Step counts from 1.
type AdamParams struct {
	LR, Beta1, Beta2, Eps, WeightDecay float32
	Step                               int
}

// Transpose says how a matrix enters a product: op(x) = x (NoTrans) or
// op(x) = xᵀ (Trans). Its home is package internal/op, shared with the
// kernels below nn; Dims gives the shape of op(x).
type Transpose = op.Transpose

// The transpose modes.
const (
	NoTrans = op.NoTrans // op(x) = x
	Trans   = op.Trans   // op(x) = xᵀ
)

// Write says whether an operation overwrites its output (Overwrite) or
// adds into it (Accumulate). Its home is package internal/op.
type Write = op.Write

// The write modes.
const (
	Overwrite  = op.Overwrite  // c = r
	Accumulate = op.Accumulate // c += r
)

// Backend is the small set of operations wgml's models are built from.
//
// Every operation records work and may return before the work is done (the
// GPU backend encodes dispatches into an open command encoder); Read and Sync
// make results visible. Output tensors never alias input tensors unless an
// operation says so. Shapes are checked by the caller (nn); a backend may
// panic on a shape mismatch, which is a programming error, never user input.
//
// Operations that take a Write add into their output instead of
// overwriting it when it is Accumulate.
type Backend interface {
	// Name is the registered name of the backend ("cpu", "gpu").
	Name() string
	// Device describes where the arithmetic runs, e.g. "gonum blas32 (2 threads)"
	// or a GPU adapter's name and API.
	Device() string

	// Alloc returns a zero-filled float32 tensor of shape (rows, cols).
	Alloc(rows, cols int) (Tensor, error)
	// View returns a tensor of shape (rows, cols) sharing t's memory from
	// element offset on; offset is a multiple of ViewAlign and the view lies
	// inside t.
	View(t Tensor, offset, rows, cols int) Tensor
	// Upload copies src (len = Len(dst)) into dst.
	Upload(dst Tensor, src []float32)
	// Read waits for all recorded work and copies t into dst (len = Len(t)).
	Read(t Tensor, dst []float32) error
	// UploadBytes returns a resident (rows, cols) dataset of unsigned bytes
	// (e.g. pixels); it is only read through Gather.
	UploadBytes(rows, cols int, src []uint8) (Tensor, error)
	// UploadFloats returns a resident (rows, cols) dataset of float32
	// values; like UploadBytes data it is only read through Gather, so a
	// backend may split it over several buffers (whole rows in each).
	UploadFloats(rows, cols int, src []float32) (Tensor, error)
	// AllocIndex returns a (1,n) vector of int32 row indices for Gather;
	// like UploadBytes data it cannot be Read.
	AllocIndex(n int) (Tensor, error)
	// UploadIndex copies idx (len = Len(dst)) into an index tensor.
	UploadIndex(dst Tensor, idx []int32)
	// Flush submits recorded work without waiting for it (a no-op where
	// operations run at once). The trainer flushes after every step.
	Flush()
	// Sync submits recorded work and waits for it to finish.
	Sync() error
	// Release frees every tensor and resource of the backend.
	Release()

	// MatMul computes c = op(a)·op(b) (c += ... with Accumulate), where
	// op(x) is x or xᵀ as transA and transB say; op(a) is (M,K), op(b) is
	// (K,N), c is (M,N).
	MatMul(c, a, b Tensor, transA, transB Transpose, mode Write)
	// Linear computes y = act(x·wᵀ + bias): x is (B,In), w is (Out,In),
	// bias is (1,Out), y is (B,Out). The GPU backend fuses it into one kernel.
	Linear(y, x, w, bias Tensor, act Activation)
	// Activate computes y = act(x) elementwise; x and y have one shape.
	Activate(y, x Tensor, act Activation)
	// ActivateBackward computes dx = dy ⊙ act'(·), with the derivative
	// written in terms of the forward output y (see Activation.DerivFromOutput).
	ActivateBackward(dx, dy, y Tensor, act Activation)
	// LinearGrads computes a dense layer's parameter gradients from dz, the
	// loss gradient at its pre-activation, and x, its input:
	// dw (Out,In) = dzᵀ·x and db (1,Out) = Σ_rows dz, both overwritten;
	// dz is (B,Out), x is (B,In). The GPU backend computes both in one kernel.
	LinearGrads(dw, db, dz, x Tensor)
	// LinearInputGrad computes dx (B,In) = (dz·w) ⊙ act'(y): the gradient at
	// the pre-activation of the layer below, whose output y (B,In) went
	// through act (act' from y as Activation.DerivFromOutput gives it);
	// dz is (B,Out), w is (Out,In). With Identity, dx = dz·w and y is not
	// read (it may be nil). The GPU backend computes it in one kernel.
	LinearInputGrad(dx, dz, w, y Tensor, act Activation)
	// SumRows computes dst (1,N) = Σ_i src[i,:] for src (R,N) (dst += ...
	// with Accumulate). It is the bias gradient and the loss-sum reduction.
	SumRows(dst, src Tensor, mode Write)

	// MSE computes, for pred and target (B,N), rowLoss (B,1) with
	// rowLoss[i] = Σ_j (pred-target)² and, when grad is not nil,
	// grad (B,N) = gradScale·2·(pred-target).
	MSE(rowLoss, grad, pred, target Tensor, gradScale float32)
	// BCEWithLogits computes, for logits z and target t (B,N) with t in [0,1],
	// rowLoss[i] = Σ_j max(z,0) - z·t + log(1+exp(-|z|)) (binary cross-entropy
	// of sigmoid(z)) and, when grad is not nil, grad = gradScale·(sigmoid(z)-t).
	BCEWithLogits(rowLoss, grad, logits, target Tensor, gradScale float32)
	// ReconLossGrad is a training step's reconstruction loss and its gradient
	// in one op. For out and target (B,N) it writes each row's loss into
	// rowLoss (B,1) and dz (B,N), the gradient at the pre-activation of the
	// layer whose output out is, scaled by gradScale:
	//
	//	LossMSE: rowLoss[i] = Σ_j (out-target)², dz = gradScale·2(out-target) ⊙ act'(out)
	//	LossBCE: out are logits z (act is Identity),
	//	         rowLoss[i] = Σ_j max(z,0) - z·t + log(1+exp(-|z|)), dz = gradScale·(sigmoid(z)-t)
	//
	// with act' written in terms of the output (Activation.DerivFromOutput).
	ReconLossGrad(rowLoss, dz, out, target Tensor, loss string, act Activation, gradScale float32)

	// The VAE's latent ops read the encoder heads' output stats (B,2L): row
	// i holds mu[i,:] in columns 0..L-1 and logvar[i,:] in columns L..2L-1,
	// as one dense layer of 2L outputs writes them.

	// KL computes rowKL (B,1) with rowKL[i] = -½ Σ_j (1 + logvar - mu² -
	// exp(logvar)), the divergence KL(N(mu, exp(logvar)) ‖ N(0, I)).
	KL(rowKL, stats Tensor)
	// Reparameterize draws eps (B,L) with element e = philox.Normal(seed,
	// stream, e) (package internal/philox) and computes z (B,L) =
	// mu + exp(½·logvar)·eps. With eps nil it draws nothing and z = mu.
	Reparameterize(z, eps, stats Tensor, seed, stream uint64)
	// ReparameterizeBackward is the backward pass of Reparameterize and of
	// klScale·KL in one op: it writes dStats (B,2L) with
	//
	//	dMu     = dz + klScale·mu
	//	dLogvar = dz·eps·½·exp(½·logvar) + klScale·½(exp(logvar)-1)
	//
	// and each row's KL (as KL computes it) into rowKL (B,1).
	ReparameterizeBackward(dStats, rowKL, dz, stats, eps Tensor, klScale float32)

	// Adam applies one Adam step (see AdamParams) to param in place, updating
	// the moments m and v; all four have one shape.
	Adam(param, grad, m, v Tensor, h AdamParams)
	// AdamSums is Adam followed, in the same op, by the step's loss sums:
	// for rows (K,N) and sums (K,M), sums[k,0] += Σ_j rows[k,j], summed in a
	// fixed order (the same bits every run).
	AdamSums(param, grad, m, v Tensor, h AdamParams, sums, rows Tensor)

	// Gather computes dst[i,:] = scale·data[index[start+i],:] for dst (B,N),
	// data (R,N) as made by UploadBytes or UploadFloats, index from
	// AllocIndex.
	Gather(dst, data, index Tensor, start int, scale float32)
	// RandNormal fills dst with standard normal samples: element e is
	// philox.Normal(seed, stream, e) (package internal/philox).
	RandNormal(dst Tensor, seed, stream uint64)
	// Corrupt writes dst = noise applied to src (same shape), drawing from
	// the Philox stream (seed, stream) as noise.Noise.Apply does.
	Corrupt(dst, src Tensor, noise noise.Noise, seed, stream uint64)
	// Copy copies src into dst (same shape).
	Copy(dst, src Tensor)

	// ---- Table losses (issue 11): add new operations above this block. ----

	// TableLoss is the reconstruction loss of a table with numeric columns,
	// one-hot categorical groups and missing values (the formula is in
	// TableLayout's doc). pred, target and mask are (B,N); mask
	// holds 1 (present) or 0 (missing) per value and nil means all present;
	// layout is an index tensor of N entries made by TableLayout; rowLoss is
	// (B,1); grad (B,N), when not nil, gets gradScale·∂rowLoss/∂pred.
	TableLoss(rowLoss, grad, pred, target, mask, layout Tensor, gradScale float32)
}

// Counters are the work a backend has done, for measuring per-step costs.
// The GPU backend counts exactly; the CPU backend has no submits.
type Counters struct {
	Submits, Dispatches, Readbacks int64
	BytesUploaded, BytesRead       int64
	// BytesAllocated is the device memory held now (a level, not a flow:
	// Sub of two readings is the growth between them).
	BytesAllocated int64
}

// Batching is implemented by backends that gain from recording several
// training steps before a submit (Backend.Flush); DefaultStepsPerSubmit is
// the Trainer's number of steps per Flush when TrainOptions leaves it 0.
type Batching interface {
	DefaultStepsPerSubmit() int
}

// Counting is implemented by backends that count their work.
type Counting interface {
	Counters() Counters
}

// Add returns c + d.
func (c Counters) Add(d Counters) Counters {
	return Counters{c.Submits + d.Submits, c.Dispatches + d.Dispatches, c.Readbacks + d.Readbacks,
		c.BytesUploaded + d.BytesUploaded, c.BytesRead + d.BytesRead, c.BytesAllocated + d.BytesAllocated}
}

// Sub returns c - d.
func (c Counters) Sub(d Counters) Counters {
	return Counters{c.Submits - d.Submits, c.Dispatches - d.Dispatches, c.Readbacks - d.Readbacks,
		c.BytesUploaded - d.BytesUploaded, c.BytesRead - d.BytesRead, c.BytesAllocated - d.BytesAllocated}
}

// counters returns b's counters, or zero when it does not count.
func counters(b Backend) Counters {
	if c, ok := b.(Counting); ok {
		return c.Counters()
	}
	return Counters{}
}
