// Package pngtest holds the one PNG helper the tests of several packages
// share.
package pngtest

import (
	"image"
	"image/png"
	"os"
	"testing"
)

// Read decodes the PNG at path, failing the test where it cannot.
func Read(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
