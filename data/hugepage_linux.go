//go:build linux

package data

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the transparent huge page of x86-64 (and of arm64 with
// 4 KiB pages; with larger base pages the advice covers less).
const hugePage = 2 << 20

// adviseHuge asks the kernel to back the whole 2 MiB pages inside s's
// capacity with transparent huge pages (madvise MADV_HUGEPAGE), so that
// first touching a large buffer takes one page fault per 2 MiB instead of
// one per 4 KiB. It is only advice: where THP is off, or the call fails,
// nothing changes.
func adviseHuge[T any](s []T) {
	var zero T
	n := uintptr(cap(s)) * unsafe.Sizeof(zero)
	if n < 2*hugePage {
		return
	}
	base := unsafe.Pointer(unsafe.SliceData(s))
	p := uintptr(base)
	lo, hi := (p+hugePage-1)&^(hugePage-1), (p+n)&^(hugePage-1)
	if hi > lo {
		_ = unix.Madvise(unsafe.Slice((*byte)(unsafe.Add(base, lo-p)), hi-lo), unix.MADV_HUGEPAGE)
	}
}
