package gpu

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// mmTile is one blocking of the tiled matmul kernel: a workgroup computes
// a BM x BN block of c, each invocation TM x TN outputs.
type mmTile struct {
	name           string
	bm, bn, tm, tn uint8
}

// mmTiles are the tiles a product may use, largest first: 128x128 with
// 8x8 outputs per invocation and 128x64 with 8x4 for large products, 64x64
// with 4x4 and 32x32 (64 invocations, 4x4) for small ones and for the
// weight-gradient products whose K is the batch.
var mmTiles = []mmTile{
	{"t128x128", 128, 128, 8, 8},
	{"t128x64", 128, 64, 8, 4},
	{"t64x64", 64, 64, 4, 4},
	{"t32x32", 32, 32, 4, 4},
}

// mmVariant is a tile and a split of K: split > 1 runs split ranges of K
// as separate workgroups and adds their partial sums in a second dispatch.
type mmVariant struct {
	tile  mmTile
	split int
}

// String is the variant's name as WGML_MATMUL pins it: "t64x64" or
// "t64x64/k3".
func (v mmVariant) String() string {
	if v.split > 1 {
		return fmt.Sprintf("%s/k%d", v.tile.name, v.split)
	}
	return v.tile.name
}

// parseMMVariant reads a variant name (see String).
func parseMMVariant(s string) (mmVariant, error) {
	name, split, hasSplit := strings.Cut(s, "/k")
	v := mmVariant{split: 1}
	if hasSplit {
		n, err := strconv.Atoi(split)
		if err != nil || n < 1 || n > 64 {
			return v, fmt.Errorf("matmul variant %q: split must be 1..64", s)
		}
		v.split = n
	}
	for _, t := range mmTiles {
		if t.name == name {
			v.tile = t
			return v, nil
		}
	}
	return v, fmt.Errorf("matmul variant %q: unknown tile %q", s, name)
}

// groups is the number of workgroups v launches for an (m,k)·(k,n) product.
func (v mmVariant) groups(m, n int) int {
	return ceilDiv(m, int(v.tile.bm)) * ceilDiv(n, int(v.tile.bn)) * v.split
}

// mmMinGroups is the number of workgroups the shape rule wants a product
// to launch, enough to fill a large GPU's compute units a few times.
const mmMinGroups = 64

// mmMinSplitK is the least K a split of a product covers.
const mmMinSplitK = 64

// mmSplitFlops is the least work (2MKN) the shape rule splits: below it a
// product is latency-bound and the reduce's dispatch costs more than the
// split gains.
const mmSplitFlops = 1 << 24

// ruleVariant is the shape rule: the largest tile that launches at least
// mmMinGroups workgroups; failing that (small M and N) the smallest tile,
// with K split (rule split) where that tile launches under a quarter of
// mmMinGroups and the product is long (K of four splits at least) and big
// (mmSplitFlops).
func ruleVariant(m, k, n int) mmVariant {
	for _, t := range mmTiles {
		if v := (mmVariant{t, 1}); v.groups(m, n) >= mmMinGroups {
			return v
		}
	}
	v := mmVariant{mmTiles[len(mmTiles)-1], 1}
	if g := v.groups(m, n); 4*g < mmMinGroups && k >= 4*mmMinSplitK && 2*m*k*n >= mmSplitFlops {
		v.split = ruleSplit(g, k)
	}
	return v
}

// ruleSplit is the split of K that brings a product of g workgroups to
// about mmMinGroups, each split at least mmMinSplitK long.
func ruleSplit(g, k int) int { return max(1, min(ceilDiv(mmMinGroups, g), k/mmMinSplitK)) }

// mmCandidates are the variants the tuning pass times for a shape: every
// tile unsplit, and split by ruleSplit where that is more than one.
func mmCandidates(m, k, n int) []mmVariant {
	var vs []mmVariant
	for _, t := range mmTiles {
		vs = append(vs, mmVariant{t, 1})
		if s := ruleSplit(mmVariant{t, 1}.groups(m, n), k); s > 1 {
			vs = append(vs, mmVariant{t, s})
		}
	}
	return vs
}

// pinEnv names the environment variable that pins every product to one
// variant (tests force each variant through the conformance suite with it).
const pinEnv = "WGML_MATMUL"

// pinnedVariant returns the variant WGML_MATMUL pins, if any.
func pinnedVariant() (mmVariant, bool, error) {
	s := os.Getenv(pinEnv)
	if s == "" {
		return mmVariant{}, false, nil
	}
	v, err := parseMMVariant(s)
	return v, err == nil, err
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// MatMulVariants names every matmul variant PinMatMul takes: each tile
// unsplit, and split four ways.
func MatMulVariants() []string {
	var names []string
	for _, t := range mmTiles {
		names = append(names, mmVariant{t, 1}.String(), mmVariant{t, 4}.String())
	}
	return names
}

// PinMatMul makes every later product of b use the named variant (see
// MatMulVariants; any split "/kN" with N in 1..64 works), as WGML_MATMUL
// does for a whole process; "" returns to the shape rule or tuning.
func (b *Backend) PinMatMul(variant string) error {
	b.mm.pinRead = true
	if variant == "" {
		b.mm.pin = nil
		return nil
	}
	v, err := parseMMVariant(variant)
	if err != nil {
		return err
	}
	b.mm.pin = &v
	return nil
}
