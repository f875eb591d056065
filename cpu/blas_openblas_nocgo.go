//go:build openblas && !cgo

package cpu

// The openblas build tag needs cgo (CGO_ENABLED=1 and a C compiler): this
// reference to nothing stops a build that would silently stay pure Go.
var _ = the_openblas_build_tag_needs_cgo
