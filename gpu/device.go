package gpu

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"
)

// open picks adapter index (BestAdapter: the first in Adapters' order) and
// creates b's device and queue on it.
func (b *Backend) open(index int) error {
	b.inst = newInstance()
	adapters := enumerate(b.inst)
	if len(adapters) == 0 {
		return ErrNoAdapter
	}
	if index == BestAdapter {
		index = 0
	}
	if index < 0 || index >= len(adapters) {
		for _, a := range adapters {
			a.Release()
		}
		return fmt.Errorf("gpu: no adapter %d: there are %d (0 to %d, see `wgml devices`)", index, len(adapters), len(adapters)-1)
	}
	for i, a := range adapters {
		if i != index {
			a.Release()
		}
	}
	b.adapter = adapters[index]
	b.info = describe(b.adapter, index)

	limits := b.adapter.GetLimits().Limits
	// The binding reads the push-constant limit from memory that wgpu never
	// fills; no kernel uses push constants.
	limits.MaxPushConstantSize = 0
	dev, err := b.adapter.RequestDevice(&wgpu.DeviceDescriptor{
		Label:          "wgml",
		RequiredLimits: &wgpu.RequiredLimits{Limits: limits},
	})
	if err != nil {
		return fmt.Errorf("gpu: %s: cannot create a device with the adapter's limits: %v", b.info, err)
	}
	b.dev = dev
	b.queue = dev.GetQueue()
	b.limits = dev.GetLimits().Limits
	return nil
}
