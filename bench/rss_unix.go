//go:build unix

package bench

import (
	"runtime"
	"syscall"
	"time"
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

// CPUTime is the user plus system CPU time this process has used (every
// thread), 0 where it is unknown: on a shared machine, CPU time per op
// moves less with the neighbours' load than wall time does.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
