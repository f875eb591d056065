// Package noise holds the corruptions that de-noising autoencoders train
// against, as pure functions of wgml's Philox stream.
package noise

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/wgml/wgml/internal/philox"
)

// Kind names a corruption used to train de-noising autoencoders.
type Kind int

const (
	None       Kind = iota
	Gaussian        // x + Level·N(0,1)
	Mask            // 0 with probability Level, else x
	SaltPepper      // with probability Level: 0 or 1 (even odds), else x
)

// Noise is a corruption of inputs. Clip clamps the result to [0, 1]
// (for pixel data).
type Noise struct {
	Kind  Kind
	Level float32
	Clip  bool
}

// String returns the flag form, e.g. "gaussian:0.5".
func (n Noise) String() string {
	names := [...]string{"none", "gaussian", "mask", "saltpepper"}
	if n.Kind < 0 || int(n.Kind) >= len(names) {
		return fmt.Sprintf("Kind(%d)", int(n.Kind))
	}
	name := names[n.Kind]
	if n.Kind == None {
		return name
	}
	return name + ":" + strconv.FormatFloat(float64(n.Level), 'g', -1, 32)
}

// Parse reads "none", "gaussian:SIGMA", "mask:P" or "saltpepper:P";
// P is a probability in [0, 1], SIGMA ≥ 0. Clip is left false.
func Parse(s string) (Noise, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "none" {
		return Noise{}, nil
	}
	name, arg, ok := strings.Cut(s, ":")
	if !ok {
		return Noise{}, fmt.Errorf("noise %q: want KIND:LEVEL, e.g. gaussian:0.5, mask:0.3, saltpepper:0.1", s)
	}
	lvl, err := strconv.ParseFloat(arg, 32)
	if err != nil || !(lvl >= 0) || math.IsInf(lvl, 0) {
		return Noise{}, fmt.Errorf("noise %q: level %q is not a non-negative number", s, arg)
	}
	var k Kind
	switch name {
	case "gaussian", "gauss":
		k = Gaussian
	case "mask", "dropout":
		k = Mask
	case "saltpepper", "salt-pepper", "sp":
		k = SaltPepper
	default:
		return Noise{}, fmt.Errorf("noise %q: unknown kind %q (want gaussian, mask or saltpepper)", s, name)
	}
	if k != Gaussian && lvl > 1 {
		return Noise{}, fmt.Errorf("noise %q: probability %v is above 1", s, lvl)
	}
	return Noise{Kind: k, Level: float32(lvl), Clip: false}, nil
}

// ForPixels returns n clipped to [0, 1] when the data are pixels (images
// scaled to [0, 1]) and unclipped otherwise (a table's z-scored values are
// not bounded).
func (n Noise) ForPixels(pixels bool) Noise {
	n.Clip = pixels && n.Kind != None
	return n
}

// Apply returns the corrupted value of x, element e of stream (seed,
// stream). It is the reference that nn.Backend.Corrupt implementations match:
//
//	gaussian:   x + Level·BoxMuller(U(r0), U(r1))
//	mask:       0 if U(r2) < Level else x
//	saltpepper: (0 if U(r3) < ½ else 1) if U(r2) < Level else x
//
// with r = philox.Bits(seed, stream, e) and U = philox.Uniform; then clamped to [0,1] if Clip.
func (n Noise) Apply(x float32, seed, stream uint64, e uint32) float32 {
	r := philox.Bits(seed, stream, e)
	switch n.Kind {
	case Gaussian:
		x += n.Level * philox.BoxMuller(philox.Uniform(r[0]), philox.Uniform(r[1]))
	case Mask:
		if philox.Uniform(r[2]) < n.Level {
			x = 0
		}
	case SaltPepper:
		if philox.Uniform(r[2]) < n.Level {
			x = 1
			if philox.Uniform(r[3]) < 0.5 {
				x = 0
			}
		}
	}
	if n.Clip {
		x = min(max(x, 0), 1)
	}
	return x
}
