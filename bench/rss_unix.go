//go:build unix

package bench

import (
	"runtime"
	"syscall"
)

// PeakRSS is the peak resident set size of this process in bytes
// (getrusage's ru_maxrss), 0 where it is unknown.
func PeakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) // bytes there
	}
	return int64(ru.Maxrss) * 1024 // KiB on Linux and the BSDs
}
