//go:build !linux

package data

// adviseHuge does nothing where madvise's MADV_HUGEPAGE does not exist.
func adviseHuge[T any](s []T) {}
