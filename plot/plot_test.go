package plot

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgml/wgml/internal/pngtest"
)

// readPNG decodes the PNG at path and checks that the directory holds no
// leftover temporary files.
func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	noTempFiles(t, filepath.Dir(path))
	return pngtest.Read(t, path)
}

func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("leftover temporary file %s", e.Name())
		}
	}
}

// countColor counts the pixels of img that are exactly c.
func countColor(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == c {
				n++
			}
		}
	}
	return n
}

func TestWriteAtomicFailureKeepsOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A grid with a bad image fails before writing: the old file stays
	// untouched and no temporary file is left (internal/atomicfile tests a
	// failure during the write).
	if err := ImageGrid(path, [][]float32{{1}}, 2, 2, 1, 1, 1); err == nil {
		t.Fatal("bad image size: no error")
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("file now holds %q, want %q", got, "old")
	}
	noTempFiles(t, filepath.Dir(path))
}
