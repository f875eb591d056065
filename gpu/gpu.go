// Package gpu is wgml's WebGPU backend: every nn.Backend operation as a
// WGSL compute kernel (package shaders) run through
// github.com/cogentcore/webgpu on whatever adapter exists, Mesa's lavapipe
// included.
//
// Operations record dispatches into one open command encoder; Sync submits
// it and waits, Read submits, copies to a staging buffer and maps it.
// Pipelines are compiled once per kernel variant, and each distinct
// dispatch (kernel variant, bound buffer ranges, fixed parameters) gets its
// bind group and uniform parameter block once, the first time it is
// recorded; repeating a training step then creates nothing and uploads
// nothing: its per-step values come from a step counter on the device
// (clock.go).
//
// The Trainer flushes every few steps (DefaultStepsPerSubmit: 8 on a
// hardware adapter, 1 on a software one) and Flush waits only for the
// oldest of flushDepth submits in flight; a command buffer is bounded per
// adapter (maxDispatchesPerSubmit), as long recordings crashed lavapipe.
//
// Quirks of cogentcore/webgpu v0.23.0 and Mesa found while building this
// (beyond DESIGN.md's list): Adapter.GetLimits returns garbage in
// MaxPushConstantSize, which must be zeroed before RequestDevice; Mesa's
// libwayland prints "XDG_RUNTIME_DIR is invalid" during enumeration unless
// the variable names a private directory, which wgpu's log level cannot
// silence (quietWayland sets one); "target" is a reserved word in naga's
// WGSL; lavapipe's minimum storage offset alignment is 32 bytes; binding one
// buffer both read-only and writable in a dispatch is invalid, so kernels
// declare what they only read read-only and a dispatch that binds views of
// one buffer as input and output takes the Shared variant (all read_write);
// a read-only WGSL declaration does not fit a read_write layout entry; the
// binding has no pipeline cache (nothing in v0.23.0 to keep compiled
// pipelines between processes).
//
// Importing the package registers it with nn as "gpu".
package gpu

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"

	"github.com/wgml/wgml/nn"
)

func init() {
	nn.Register("gpu", func() (nn.Backend, error) { return New(Options{AdapterIndex: BestAdapter}) })
}

// BestAdapter is the Options.AdapterIndex that picks the first adapter of
// Adapters' order: hardware before software, Vulkan before other APIs.
const BestAdapter = -1

// Options configure New.
type Options struct {
	// AdapterIndex is the Index of an adapter from Adapters, or BestAdapter.
	// Adapters lists the best first, so 0 picks it too.
	AdapterIndex int
}

var (
	_ nn.Backend  = (*Backend)(nil)
	_ nn.Counting = (*Backend)(nil)
	_ nn.Batching = (*Backend)(nil)
)

// Backend implements nn.Backend and nn.Counting on one WebGPU device. It is
// not safe for concurrent use.
type Backend struct {
	inst    *wgpu.Instance
	adapter *wgpu.Adapter
	dev     *wgpu.Device
	queue   *wgpu.Queue
	info    AdapterInfo
	limits  wgpu.Limits

	buffers     []*buffer    // everything Alloc, UploadBytes and AllocIndex made
	dummy       *buffer      // bound where a kernel's optional tensor is absent
	dummyRead   *buffer      // the same at a read-only binding (one buffer cannot be both)
	staging     *wgpu.Buffer // Read's map-read buffer, grown on demand
	stagingSize uint64

	layouts    map[layoutKey]*wgpu.BindGroupLayout
	pipelines  map[kernel]*wgpu.ComputePipeline
	dispatches map[dispatchKey]*dispatch

	enc      *wgpu.CommandEncoder
	pass     *wgpu.ComputePassEncoder
	epoch    uint64 // number of submits so far
	recorded int    // dispatches in the open encoder
	err      error  // first failure of a recorded operation; sticky

	counters nn.Counters

	inFlight      [flushDepth]wgpu.SubmissionIndex // of the last submits, by epoch mod flushDepth
	maxDispatches int                              // per command buffer, by adapter (maxDispatchesPerSubmit)

	clock     *Tensor // the step clock's two banks (clock.go)
	clk, bank uint32  // the count the current bank holds when the next recording runs; that bank

	mm mmState // matmul variant choice and split-K scratch

	maxData uint64 // the most bytes of one buffer of a resident dataset (shards.go)
}

// New opens the adapter opt selects and creates a device on it, requesting
// the adapter's own limits (its largest storage binding and buffer) rather
// than WebGPU's defaults. It returns ErrNoAdapter when no adapter exists.
func New(opt Options) (*Backend, error) {
	b := &Backend{
		layouts:    map[layoutKey]*wgpu.BindGroupLayout{},
		pipelines:  map[kernel]*wgpu.ComputePipeline{},
		dispatches: map[dispatchKey]*dispatch{},
	}
	if err := b.open(opt.AdapterIndex); err != nil {
		b.Release()
		return nil, err
	}
	dummy, err := b.newBuffer("placeholder buffer", 256, nil)
	if err != nil {
		b.Release()
		return nil, err
	}
	b.dummy = dummy
	if b.dummyRead, err = b.newBuffer("read-only placeholder buffer", 256, nil); err != nil {
		b.Release()
		return nil, err
	}
	b.maxDispatches = maxDispatchesPerSubmit(b.info)
	if b.maxData, err = b.dataBinding(); err != nil {
		b.Release()
		return nil, err
	}
	if err = b.newClock(); err != nil {
		b.Release()
		return nil, err
	}
	return b, nil
}

// Name returns "gpu".
func (b *Backend) Name() string { return "gpu" }

// Device describes the adapter, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)
// [vulkan, cpu]".
func (b *Backend) Device() string { return b.info.String() }

// Adapter returns the description of the adapter b runs on.
func (b *Backend) Adapter() AdapterInfo { return b.info }

// Counters returns the work b has done so far: queue submits, dispatches,
// readbacks, and bytes moved between host and device.
func (b *Backend) Counters() nn.Counters { return b.counters }

// fail records the first error of an operation that cannot return one; the
// next Sync or Read returns it.
func (b *Backend) fail(err error) {
	if b.err == nil {
		b.err = fmt.Errorf("gpu: %w", err)
	}
}

// Release waits for recorded work and frees every tensor, pipeline, bind
// group and the device. b must not be used afterwards.
func (b *Backend) Release() {
	if b.dev != nil {
		b.submit()
		b.dev.Poll(true, nil)
	}
	for _, d := range b.dispatches {
		d.release()
	}
	b.dispatches = nil
	for _, p := range b.pipelines {
		p.Release()
	}
	b.pipelines = nil
	for _, l := range b.layouts {
		l.Release()
	}
	b.layouts = nil
	for _, buf := range b.buffers {
		buf.release()
	}
	b.buffers, b.dummy, b.dummyRead = nil, nil, nil
	if b.staging != nil {
		b.staging.Destroy()
		b.staging.Release()
		b.staging = nil
	}
	if b.queue != nil {
		b.queue.Release()
		b.queue = nil
	}
	if b.dev != nil {
		b.dev.Release()
		b.dev = nil
	}
	if b.adapter != nil {
		b.adapter.Release()
		b.adapter = nil
	}
	if b.inst != nil {
		b.inst.Release()
		b.inst = nil
	}
}
