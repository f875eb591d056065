//go:build linux

package data

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestMakeBigAdvisesHugePages: a buffer from makeBig lies in a mapping
// the kernel marks "hg" (MADV_HUGEPAGE) in /proc/self/smaps, and holds
// the zeros and length make gives.
func TestMakeBigAdvisesHugePages(t *testing.T) {
	s := makeBig[float32](3<<20, 4<<20) // 16 MiB of capacity
	if len(s) != 3<<20 || cap(s) != 4<<20 || s[len(s)-1] != 0 {
		t.Fatalf("makeBig gave len %d cap %d", len(s), cap(s))
	}
	mid := uintptr(unsafe.Pointer(&s[2<<20])) // inside a whole huge page of s
	flags, ok := vmFlags(t, mid)
	if !ok {
		t.Skip("no /proc/self/smaps entry for the buffer")
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the buffer's mapping has VmFlags %q, want hg (MADV_HUGEPAGE)", flags)
	}
}

// vmFlags returns the VmFlags of the mapping in /proc/self/smaps that
// holds address p.
func vmFlags(t *testing.T, p uintptr) (string, bool) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			in = lo <= p && p < hi
		} else if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:")), true
		}
	}
	return "", false
}

// mappingRange parses the address range "lo-hi" that starts a mapping's
// line in smaps.
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	r, _, found := strings.Cut(line, " ")
	a, b, dash := strings.Cut(r, "-")
	if !found || !dash {
		return 0, 0, false
	}
	l, err1 := strconv.ParseUint(a, 16, 64)
	h, err2 := strconv.ParseUint(b, 16, 64)
	return uintptr(l), uintptr(h), err1 == nil && err2 == nil
}
