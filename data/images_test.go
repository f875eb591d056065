package data

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// pngBytes encodes a w×h RGBA image whose pixel (x, y) is (x, y, v, 255).
func pngBytes(t testing.TB, w, h int, v uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), v, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// put writes b to dir/rel, making folders.
func put(t *testing.T, dir, rel string, b []byte) string {
	t.Helper()
	path := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadImageDirClasses(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, "dog/b.png", pngBytes(t, 3, 2, 50))
	put(t, dir, "dog/a.PNG", pngBytes(t, 3, 2, 40))
	put(t, dir, "cat/z.png", pngBytes(t, 3, 2, 10))
	put(t, dir, "cat/notes.txt", []byte("not an image"))
	var jb bytes.Buffer
	gray := image.NewGray(image.Rect(0, 0, 3, 2))
	for i := range gray.Pix {
		gray.Pix[i] = 200
	}
	if err := jpeg.Encode(&jb, gray, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	put(t, dir, "bird/x.jpg", jb.Bytes())
	d, err := ReadImageDir(dir, ImageOptions{Channels: 3})
	if err != nil {
		t.Fatal(err)
	}
	if d.Rows != 4 || d.Cols != 18 || d.Width != 3 || d.Height != 2 || d.Channels != 3 ||
		!slices.Equal(d.Classes, []string{"bird", "cat", "dog"}) || !slices.Equal(d.Labels, []int{0, 1, 2, 2}) {
		t.Fatalf("got %d rows of %d (%dx%dx%d), classes %v labels %v", d.Rows, d.Cols, d.Width, d.Height, d.Channels, d.Classes, d.Labels)
	}
	// Row 1 is cat/z.png: pixel (x, y) = (x, y, 10), RGB per pixel.
	if got := d.Bytes[18 : 18+6]; !slices.Equal(got, []byte{0, 0, 10, 1, 0, 10}) || d.Bytes[0] < 195 || d.Bytes[0] > 205 {
		t.Errorf("pixels %v, jpeg %d", got, d.Bytes[0])
	}
	g, err := ReadImageDir(dir, ImageOptions{Width: 6, Height: 4})
	if err != nil || g.Cols != 24 || g.Channels != 0 || g.Width != 6 || len(g.Bytes) != 4*24 {
		t.Fatalf("resized gray: %v %+v", err, g)
	}
	// Open splits an image folder.
	train, test, err := Open(dir, OpenOptions{TestFrac: 0.25, Seed: 1})
	if err != nil || train.Rows != 3 || test.Rows != 1 || test.Classes == nil {
		t.Fatalf("Open: %v", err)
	}
}

func TestReadImageDirErrors(t *testing.T) {
	flat := t.TempDir()
	put(t, flat, "a.png", pngBytes(t, 4, 4, 0))
	put(t, flat, "b.png", pngBytes(t, 5, 4, 0))
	_, err := ReadImageDir(flat, ImageOptions{})
	wantErr(t, err, flat+"/b.png: 5x4 image, but "+flat+"/a.png is 4x4; give --image-size WxH to resize every image")
	if d, err := ReadImageDir(flat, ImageOptions{Width: 4, Height: 4}); err != nil || d.Rows != 2 || d.Labels != nil {
		t.Fatalf("flat resized: %v %+v", err, d)
	}
	bad := put(t, flat, "c.png", []byte("\x89PNG\r\n\x1a\n broken"))
	_, err = ReadImageDir(flat, ImageOptions{Width: 4, Height: 4})
	wantErr(t, err, bad+": not a readable PNG or JPEG image")
	put(t, flat, "d.jpg", pngBytes(t, 4, 4, 0)[:30])
	d, err := ReadImageDir(flat, ImageOptions{Width: 4, Height: 4, SkipBad: true})
	if err != nil || d.Rows != 2 || len(d.Warnings) != 1 {
		t.Fatalf("skip bad: %v %+v", err, d)
	}
	wantErr(t, errorString(d.Warnings[0]), flat+": skipped 2 unreadable images (first: "+bad+": not a readable")

	mixed := t.TempDir()
	put(t, mixed, "cls/a.png", pngBytes(t, 2, 2, 0))
	put(t, mixed, "stray.png", pngBytes(t, 2, 2, 0))
	_, err = ReadImageDir(mixed, ImageOptions{})
	wantErr(t, err, mixed+": holds images (stray.png) beside class folders")
	empty := t.TempDir()
	_, err = ReadImageDir(empty, ImageOptions{})
	wantErr(t, err, empty+": no PNG or JPEG images and no class folders")
	_, err = ReadImageDir(flat, ImageOptions{Channels: 2})
	wantErr(t, err, "channels 2: want 1 (grayscale) or 3 (RGB)")
	_, _, err = Open(flat, OpenOptions{TestFile: "t.csv"})
	wantErr(t, err, "a separate test file is for CSV data")

	for _, c := range []struct {
		s    string
		w, h int
	}{{"28x28", 28, 28}, {"64X48", 64, 48}} {
		if w, h, err := ParseImageSize(c.s); err != nil || w != c.w || h != c.h {
			t.Errorf("ParseImageSize(%q) = %d, %d, %v", c.s, w, h, err)
		}
	}
	for _, s := range []string{"", "28", "0x5", "-1x4", "axb", "99999x2"} {
		if _, _, err := ParseImageSize(s); err == nil {
			t.Errorf("ParseImageSize(%q): no error", s)
		}
	}
}

// errorString is a string as an error, for wantErr.
type errorString string

func (e errorString) Error() string { return string(e) }
