package gpu

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"
)

// encoder returns the open command encoder, creating it if none is open.
func (b *Backend) encoder() *wgpu.CommandEncoder {
	if b.enc == nil {
		enc, err := b.dev.CreateCommandEncoder(nil)
		if err != nil {
			// Creating an encoder fails only when the device is lost.
			panic(fmt.Sprintf("gpu: %s: %v", b.info, err))
		}
		b.enc = enc
	}
	return b.enc
}

// computePass returns the open compute pass, beginning one if none is open.
// Consecutive operations share one pass; WebGPU orders their dispatches.
func (b *Backend) computePass() *wgpu.ComputePassEncoder {
	if b.pass == nil {
		b.pass = b.encoder().BeginComputePass(nil)
	}
	return b.pass
}

// endPass ends and releases the open compute pass, as copies and Finish
// require (a pass that is not released makes the submit fail).
func (b *Backend) endPass() {
	if b.pass == nil {
		return
	}
	if err := b.pass.End(); err != nil {
		b.fail(err)
	}
	b.pass.Release()
	b.pass = nil
}

// submit finishes the open encoder, if any, and submits it without waiting.
func (b *Backend) submit() {
	if b.enc == nil {
		return
	}
	b.endPass()
	cmd, err := b.enc.Finish(nil)
	b.enc.Release()
	b.enc = nil
	if err != nil {
		b.fail(err)
		return
	}
	idx := b.queue.Submit(cmd)
	cmd.Release()
	b.inFlight[b.epoch%flushDepth] = idx
	b.counters.Submits++
	b.epoch++
	b.recorded = 0
}

// Flush submits recorded work without waiting for it. When more than
// flushDepth submits are in flight it waits for the oldest of them only
// (its submission index), so the device never falls further behind and the
// queue is never drained.
func (b *Backend) Flush() {
	b.submit()
	if n := b.epoch; n > flushDepth {
		b.dev.Poll(true, &wgpu.WrappedSubmissionIndex{Queue: b.queue, SubmissionIndex: b.inFlight[n%flushDepth]})
	} else {
		b.dev.Poll(false, nil)
	}
}

// flushDepth bounds the submits in flight after a Flush.
const flushDepth = 8

// DefaultStepsPerSubmit is the number of training steps the Trainer
// records per Flush by default (nn.Batching): 8 on a hardware adapter,
// where a submit costs tens of microseconds and steps this small are
// bound by it; 1 on a software one, whose long command buffers crashed.
func (b *Backend) DefaultStepsPerSubmit() int {
	if b.info.Software {
		return 1
	}
	return 8
}

// Sync submits recorded work and waits for it to finish.
func (b *Backend) Sync() error {
	b.submit()
	b.dev.Poll(true, nil)
	return b.err
}
