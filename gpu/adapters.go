package gpu

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/cogentcore/webgpu/wgpu"
)

// AdapterInfo describes one WebGPU adapter, as `wgml devices` prints it.
type AdapterInfo struct {
	// Index is the adapter's position in Adapters' list, what
	// Options.AdapterIndex selects.
	Index int
	// Name is the readable adapter name, e.g. "llvmpipe (LLVM 15.0.6, 256
	// bits)" or a GPU's model (wgpu's DriverDescription; its "name" field
	// holds a hex device id, kept in DeviceID).
	Name     string
	DeviceID string
	Vendor   string
	// Driver is the driver's own name where the API reports one.
	Driver string
	// Backend is the graphics API: "vulkan", "metal", "d3d12", "opengl", ...
	Backend string
	// Type is "discrete-gpu", "integrated-gpu", "cpu" or "unknown".
	Type string
	// Software is true for CPU (software rasteriser) adapters such as
	// lavapipe, llvmpipe or SwiftShader.
	Software bool
	// MaxStorageBinding is the largest storage buffer binding in bytes: the
	// largest tensor or dataset the backend can use on this adapter.
	MaxStorageBinding uint64
	// MaxBuffer is the largest buffer in bytes.
	MaxBuffer uint64
	// MaxWorkgroupStorage is the workgroup memory per workgroup in bytes.
	MaxWorkgroupStorage uint32
}

// String is a one-line description, e.g.
// "llvmpipe (LLVM 15.0.6, 256 bits) [vulkan, cpu]".
func (a AdapterInfo) String() string {
	return fmt.Sprintf("%s [%s, %s]", a.Name, a.Backend, a.Type)
}

// ErrNoAdapter is returned when WebGPU finds no adapter at all.
var ErrNoAdapter = errors.New("gpu: no WebGPU adapter found (no Vulkan, Metal, D3D12 or OpenGL driver; on Linux without a GPU install mesa-vulkan-drivers for lavapipe)")

// Adapters lists every adapter WebGPU finds, best first (see Auto for the
// order). It returns ErrNoAdapter when there is none.
func Adapters() ([]AdapterInfo, error) {
	inst := newInstance()
	defer inst.Release()
	adapters := enumerate(inst)
	infos := make([]AdapterInfo, len(adapters))
	for i, a := range adapters {
		infos[i] = describe(a, i)
		a.Release()
	}
	if len(infos) == 0 {
		return nil, ErrNoAdapter
	}
	return infos, nil
}

// Auto picks the adapter `--backend auto` should train on: a hardware
// adapter, discrete before integrated, Vulkan before other APIs. Where only
// software adapters exist (or none), choice is nil and reason says why, so
// the caller can fall back to the cpu backend; err is set only when WebGPU
// itself failed.
func Auto() (choice *AdapterInfo, reason string, err error) {
	infos, err := Adapters()
	if err != nil && !errors.Is(err, ErrNoAdapter) {
		return nil, "", err
	}
	choice, reason = Choose(infos)
	return choice, reason, nil
}

// Choose is Auto's pick among infos, listed best first as Adapters lists
// them.
func Choose(infos []AdapterInfo) (choice *AdapterInfo, reason string) {
	if len(infos) == 0 {
		return nil, "no WebGPU adapter found"
	}
	best := infos[0]
	if best.Software {
		names := make([]string, len(infos))
		for i, a := range infos {
			names[i] = a.String()
		}
		return nil, "only software adapters found (" + strings.Join(names, "; ") + "); they are slower than the cpu backend"
	}
	return &best, fmt.Sprintf("%s adapter %s", best.Type, best.Name)
}

// newInstance creates a WebGPU instance on every API. It passes no
// descriptor: v0.23.0's CreateInstance mallocs the descriptor's
// InstanceExtras without zeroing them, so wgpu-native reads a garbage
// gles3MinorVersion and may abort ("Unknown gles3 minor version").
func newInstance() *wgpu.Instance {
	quietLogs()
	return wgpu.CreateInstance(nil)
}

// enumerate returns inst's adapters sorted best first.
func enumerate(inst *wgpu.Instance) []*wgpu.Adapter {
	adapters := inst.EnumerateAdapters(nil)
	infos := make([]wgpu.AdapterInfo, len(adapters))
	for i, a := range adapters {
		infos[i] = a.GetInfo()
	}
	idx := make([]int, len(adapters))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return rank(infos[idx[i]]) < rank(infos[idx[j]]) })
	sorted := make([]*wgpu.Adapter, len(adapters))
	for i, k := range idx {
		sorted[i] = adapters[k]
	}
	return sorted
}

// rank orders adapters, lower first: hardware before software (discrete,
// integrated, unknown, cpu), then by API (Vulkan, Metal, D3D12, others,
// OpenGL last).
func rank(info wgpu.AdapterInfo) int {
	var t int
	switch info.AdapterType {
	case wgpu.AdapterTypeDiscreteGPU:
		t = 0
	case wgpu.AdapterTypeIntegratedGPU:
		t = 1
	case wgpu.AdapterTypeUnknown:
		t = 2
	default:
		t = 3
	}
	var api int
	switch info.BackendType {
	case wgpu.BackendTypeVulkan:
		api = 0
	case wgpu.BackendTypeMetal:
		api = 1
	case wgpu.BackendTypeD3D12:
		api = 2
	case wgpu.BackendTypeOpenGL, wgpu.BackendTypeOpenGLES:
		api = 4
	default:
		api = 3
	}
	return t*10 + api
}

// describe returns the AdapterInfo of a, listed at position index.
func describe(a *wgpu.Adapter, index int) AdapterInfo {
	info := a.GetInfo()
	lim := a.GetLimits().Limits
	name := info.DriverDescription
	if name == "" {
		name = info.Name
	}
	return AdapterInfo{
		Index:               index,
		Name:                name,
		DeviceID:            info.Name,
		Vendor:              info.VendorName,
		Driver:              info.Architecture,
		Backend:             info.BackendType.String(),
		Type:                info.AdapterType.String(),
		Software:            info.AdapterType == wgpu.AdapterTypeCPU,
		MaxStorageBinding:   lim.MaxStorageBufferBindingSize,
		MaxBuffer:           lim.MaxBufferSize,
		MaxWorkgroupStorage: lim.MaxComputeWorkgroupStorageSize,
	}
}

// quietLogs limits wgpu-native's log to errors, so that headless machines
// do not print surface and XDG_RUNTIME_DIR warnings.
func quietLogs() {
	wgpu.SetLogLevel(wgpu.LogLevelError)
	quietWayland()
}

// quietWayland gives a headless Linux process a private XDG_RUNTIME_DIR
// when it has none: Mesa's window-system code (libwayland, during adapter
// enumeration) otherwise prints "XDG_RUNTIME_DIR is invalid" five times per
// instance, which wgpu's log level cannot silence.
func quietWayland() {
	if runtime.GOOS != "linux" || os.Getenv("XDG_RUNTIME_DIR") != "" {
		return
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("wgml-runtime-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return
	}
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm() == 0o700 {
		os.Setenv("XDG_RUNTIME_DIR", dir)
	}
}
