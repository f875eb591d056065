package data

import (
	"fmt"
	"image"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgml/wgml/internal/pngtest"
)

// TestResizeAgainstReferences compares, pixel by pixel, our resize
// (pixels: golang.org/x/image/draw's Catmull-Rom) with two references'
// resizes of the same odd-sized images to odd sizes, up and down
// (testdata/resize, written by its gen.py): a NumPy resize in float64 and
// Pillow's bicubic. All three are one resize (the a = -0.5 cubic kernel,
// widened by the scale factor when shrinking, taps past the border left
// out and the weights renormalised); they differ in rounding only, hence
// the tolerances (in levels of 255):
//
//   - NumPy rounds the exact value x once; x/image keeps its horizontal
//     pass in float64 and keeps the high byte of its 16-bit result,
//     ⌊257x/256⌋ (truncation near black, about rounding near white): 1.
//   - Pillow also rounds its horizontal pass to 8 bits, which moves x by at
//     most 0.5 × the vertical weights' absolute sum (≤ 1.25 for this
//     kernel) before its final rounding: one more level, 2.
//
// Pillow also clips that middle pass to [0, 255], cutting the kernel's
// overshoot at a full-range edge before the second pass: at the corners of
// a white square on black it differs from the exact resize by up to 15
// levels (gen.py checks that this 8-bit middle pass is all that makes
// Pillow's pixels), so Pillow is compared only on images whose overshoot
// stays inside [0, 255], and the full-range square against NumPy.
func TestResizeAgainstReferences(t *testing.T) {
	refs, err := filepath.Glob("testdata/resize/*_*_*x*.png")
	if err != nil || len(refs) < 10 {
		t.Fatalf("%d reference images (%v), want the fixture's 14", len(refs), err)
	}
	for _, path := range refs {
		ref, name, w, h := refName(t, path)
		want, channels := refPixels(pngtest.Read(t, path))
		got := pixels(pngtest.Read(t, filepath.Join("testdata/resize", "src_"+name+".png")), w, h, channels)
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, the reference %d", path, len(got), len(want))
		}
		worst, sum := 0, 0
		for i := range got {
			d := int(got[i]) - int(want[i])
			sum += d
			worst = max(worst, d, -d)
		}
		t.Logf("%s %s %dx%dx%d: max |diff| %d, mean diff %+.3f", ref, name, w, h, channels, worst, float64(sum)/float64(len(got)))
		if tol := map[string]int{"exact": 1, "pil": 2}[ref]; worst > tol {
			t.Errorf("%s: %s at %dx%d differs from %s's by %d levels, want at most %d", path, name, w, h, ref, worst, tol)
		}
	}
}

// refName parses a reference's file name, REF_NAME_WxH.png.
func refName(t *testing.T, path string) (ref, name string, w, h int) {
	base := filepath.Base(path)
	ref, rest, _ := strings.Cut(base, "_")
	i := strings.LastIndex(rest, "_")
	if _, err := fmt.Sscanf(rest[i+1:], "%dx%d.png", &w, &h); err != nil || i < 0 {
		t.Fatalf("%s: want REF_NAME_WxH.png (%v)", path, err)
	}
	return ref, rest[:i], w, h
}

// refPixels returns a reference image's bytes as pixels lays them out:
// luma for a gray image (one channel), else R, G, B per pixel.
func refPixels(img image.Image) ([]byte, int) {
	if g, ok := img.(*image.Gray); ok {
		return g.Pix, 1
	}
	b := img.Bounds()
	px := make([]byte, 0, b.Dx()*b.Dy()*3)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			px = append(px, byte(r>>8), byte(g>>8), byte(bl>>8))
		}
	}
	return px, 3
}
