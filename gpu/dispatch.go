package gpu

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"

	"github.com/wgml/wgml/shaders"
)

// maxStorage is the most storage buffers a kernel binds.
const maxStorage = 7

// dynamic are the Params words that may change between recordings of one
// dispatch (bases of values the step clock advances, RNG seeds, Adam's
// hyper-parameters); static are the rest (shapes and fixed scalars). The
// kernels' Params types (params.go) name them.
type (
	dynamic [shaders.DynamicWords]uint32
	static  [shaders.ParamWords - shaders.DynamicWords]uint32
)

// binding is the buffer range bound at one storage binding.
type binding struct {
	buf       *buffer
	off, size uint64
}

// dispatchKey identifies a dispatch: the same key always binds the same
// buffers with the same fixed parameters, so its bind groups are reused.
type dispatchKey struct {
	k      kernel
	bind   [maxStorage]binding
	static static
}

// dispatch is one cached kernel invocation: pipeline, storage bindings,
// fixed parameters and grid. It has one slot (uniform block + bind group)
// per time it has been recorded within one submit, so recording it again
// before a submit never overwrites per-step values that an earlier
// recording has yet to read (queue writes land before the whole submit).
// A training step records each dispatch once: k steps per submit make k
// slots in the first submit, or, for a kernel that reads the step clock
// (clock.go, whose two banks alternate from step to step and are part of
// the key), up to ⌈k/2⌉ per bank, made in the first two submits.
type dispatch struct {
	pipe    *wgpu.ComputePipeline
	layout  *wgpu.BindGroupLayout
	entries []wgpu.BindGroupEntry // the storage bindings
	static  static
	groups  grid
	slots   []*slot
	epoch   uint64 // the submit the slots in use belong to
	used    int    // slots used since that submit
}

// slot is a uniform Params block and the bind group that binds it.
type slot struct {
	params *wgpu.Buffer
	group  *wgpu.BindGroup
	dyn    dynamic // what params holds now
}

// grid is a count of workgroups in x and y.
type grid struct{ x, y uint32 }

// groups1D returns the grid of n workgroups, split over y beyond the
// per-dimension limit (kernels flatten it back with group_index).
func (b *Backend) groups1D(n int) grid {
	lim := int(b.limits.MaxComputeWorkgroupsPerDimension)
	if n <= lim {
		return grid{uint32(n), 1}
	}
	y := (n + lim - 1) / lim
	if y > lim {
		panic(fmt.Sprintf("gpu: %d workgroups exceed the adapter's grid", n))
	}
	return grid{uint32(lim), uint32(y)}
}

// run records one dispatch of kernel k over groups with tensors ts bound in
// order (nil, or an empty tensor, binds a placeholder the kernel ignores).
func (b *Backend) run(k kernel, groups grid, dyn dynamic, st static, ts ...*Tensor) {
	if b.err != nil || groups.x == 0 || groups.y == 0 {
		return
	}
	key := dispatchKey{k: k, static: st}
	readOnly := entryPoints[k.id].readOnly
	for i, t := range ts {
		if t != nil && t.shards != nil {
			panic(fmt.Sprintf("gpu: %s: a dataset split over several buffers is read only by Gather", entryPoints[k.id].name))
		}
		if t == nil || t.size() == 0 {
			dummy := b.dummy
			if readOnly&(1<<i) != 0 {
				dummy = b.dummyRead
			}
			key.bind[i] = binding{dummy, 0, dummy.size}
		} else {
			key.bind[i] = binding{t.buf, t.off, t.size()}
		}
	}
	key.k.v.Shared = shares(readOnly, key.bind[:len(ts)])
	d := b.dispatches[key]
	if d == nil {
		var err error
		if d, err = b.newDispatch(key, len(ts), groups); err != nil {
			b.fail(err)
			return
		}
		b.dispatches[key] = d
	}
	s, err := b.slot(d, dyn)
	if err != nil {
		b.fail(err)
		return
	}
	pass := b.computePass()
	pass.SetPipeline(d.pipe)
	pass.SetBindGroup(0, s.group, nil)
	pass.DispatchWorkgroups(d.groups.x, d.groups.y, 1)
	b.counters.Dispatches++
	if b.recorded++; b.recorded >= b.maxDispatches {
		b.submit()
	}
}

// shares reports whether bind puts one buffer at a read-only binding of
// mask readOnly and at a writable one (disjoint views of one buffer as a
// kernel's input and output), which WebGPU forbids in one dispatch.
func shares(readOnly uint8, bind []binding) bool {
	for i, r := range bind {
		for j, w := range bind {
			if readOnly&(1<<i) != 0 && readOnly&(1<<j) == 0 && r.buf == w.buf {
				return true
			}
		}
	}
	return false
}

// maxDispatchesPerSubmit bounds a command buffer on adapter a: on a
// software adapter 256, since Mesa 22.3's lavapipe crashed (in its queue
// thread, intermittently) running one command buffer of 16 MNIST-sized AE
// steps (~500 dispatches) and a copy; on hardware 4096, far above the 8
// steps per submit of DefaultStepsPerSubmit (an AE step records 20).
func maxDispatchesPerSubmit(a AdapterInfo) int {
	if a.Software {
		return 256
	}
	return 4096
}

// newDispatch prepares the dispatch of key with n storage bindings.
func (b *Backend) newDispatch(key dispatchKey, n int, groups grid) (*dispatch, error) {
	if n != entryPoints[key.k.id].storage {
		panic(fmt.Sprintf("gpu: %s binds %d tensors, not %d", entryPoints[key.k.id].name, entryPoints[key.k.id].storage, n))
	}
	pipe, err := b.pipeline(key.k)
	if err != nil {
		return nil, err
	}
	layout, err := b.layout(n, key.k.readOnly())
	if err != nil {
		return nil, err
	}
	d := &dispatch{pipe: pipe, layout: layout, static: key.static, groups: groups, epoch: b.epoch}
	for i, bd := range key.bind[:n] {
		d.entries = append(d.entries, wgpu.BindGroupEntry{Binding: uint32(i), Buffer: bd.buf.b, Offset: bd.off, Size: bd.size})
	}
	return d, nil
}

// slot returns the next free slot of d in the current submit, holding dyn:
// it writes the dynamic words only when they differ from the slot's, and
// creates a slot only when d is recorded more often per submit than ever
// before.
func (b *Backend) slot(d *dispatch, dyn dynamic) (*slot, error) {
	if d.epoch != b.epoch {
		d.epoch, d.used = b.epoch, 0
	}
	if d.used == len(d.slots) {
		s, err := b.newSlot(d, dyn)
		if err != nil {
			return nil, err
		}
		d.slots = append(d.slots, s)
	}
	s := d.slots[d.used]
	d.used++
	if s.dyn != dyn {
		if err := b.queue.WriteBuffer(s.params, 0, wgpu.ToBytes(dyn[:])); err != nil {
			return nil, err
		}
		s.dyn = dyn
		b.counters.BytesUploaded += int64(len(dyn) * 4)
	}
	return s, nil
}

// newSlot creates a uniform Params block holding dyn and d's static words,
// and the bind group binding it after d's storage buffers.
func (b *Backend) newSlot(d *dispatch, dyn dynamic) (*slot, error) {
	params, err := b.dev.CreateBuffer(&wgpu.BufferDescriptor{
		Label:            "params",
		Usage:            wgpu.BufferUsageUniform | wgpu.BufferUsageCopyDst,
		Size:             paramBytes,
		MappedAtCreation: true,
	})
	if err != nil {
		return nil, err
	}
	words := wgpu.FromBytes[uint32](params.GetMappedRange(0, paramBytes))
	copy(words, dyn[:])
	copy(words[len(dyn):], d.static[:])
	if err := params.Unmap(); err != nil {
		params.Release()
		return nil, err
	}
	b.counters.BytesUploaded += paramBytes
	entries := append(d.entries[:len(d.entries):len(d.entries)], wgpu.BindGroupEntry{
		Binding: uint32(len(d.entries)), Buffer: params, Size: paramBytes,
	})
	group, err := b.dev.CreateBindGroup(&wgpu.BindGroupDescriptor{Layout: d.layout, Entries: entries})
	if err != nil {
		params.Release()
		return nil, err
	}
	return &slot{params: params, group: group, dyn: dyn}, nil
}

// release frees d's bind groups and uniform blocks.
func (d *dispatch) release() {
	for _, s := range d.slots {
		s.group.Release()
		s.params.Destroy()
		s.params.Release()
	}
	d.slots = nil
}
