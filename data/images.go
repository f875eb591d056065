package data

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // registers JPEG with image.Decode
	_ "image/png"  // registers PNG with image.Decode
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
)

// ImageOptions says how ReadImageDir reads a folder of images. It marshals
// to JSON so that a model can record how its data was read.
type ImageOptions struct {
	// Width and Height resize every image (Catmull-Rom); 0, 0 keeps the
	// images' own size, which they must then share.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// Channels is 1 (also 0) for grayscale or 3 for RGB.
	Channels int `json:"channels,omitempty"`
	// SkipBad skips files that do not decode (counted in one warning)
	// instead of failing on the first.
	SkipBad bool `json:"skip_bad,omitempty"`
}

// ParseImageSize parses "WxH" (e.g. "64x48") into a width and height.
func ParseImageSize(s string) (width, height int, err error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, werr := strconv.Atoi(ws)
	h, herr := strconv.Atoi(hs)
	if !ok || werr != nil || herr != nil || w <= 0 || h <= 0 || w > 1<<14 || h > 1<<14 {
		return 0, 0, fmt.Errorf("image size %q: want WIDTHxHEIGHT, e.g. 28x28", s)
	}
	return w, h, nil
}

// isImageFile reports whether name ends in .png, .jpg or .jpeg (any case).
func isImageFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

// ReadImageDir reads the PNG and JPEG files of a folder as rows of bytes
// (Width×Height×Channels pixels, scaled by 1/255 like MNIST's). When dir
// holds folders, each folder is a class, named by the folder (sorted) and
// holding that class's images, and rows are labelled; a flat folder of
// images has no labels. Files are read in name order; other files and
// deeper folders are ignored.
func ReadImageDir(dir string, opt ImageOptions) (*Dataset, error) {
	if opt.Channels != 0 && opt.Channels != 1 && opt.Channels != 3 {
		return nil, fmt.Errorf("channels %d: want 1 (grayscale) or 3 (RGB)", opt.Channels)
	}
	if (opt.Width == 0) != (opt.Height == 0) || opt.Width < 0 || opt.Height < 0 {
		return nil, fmt.Errorf("image size %dx%d: want both positive, or neither", opt.Width, opt.Height)
	}
	files, labels, classes, err := listImages(dir)
	if err != nil {
		return nil, err
	}
	r := &imageReader{opt: opt, channels: max(opt.Channels, 1), w: opt.Width, h: opt.Height}
	d := &Dataset{Name: dir, Classes: classes}
	var skipped []string
	for k, path := range files {
		px, err := r.read(path)
		if err != nil {
			if r.bad && opt.SkipBad {
				skipped = append(skipped, err.Error())
				continue
			}
			return nil, err
		}
		d.Bytes = append(d.Bytes, px...)
		d.Rows++
		if classes != nil {
			d.Labels = append(d.Labels, labels[k])
		}
	}
	if len(skipped) > 0 {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s: skipped %d unreadable images (first: %s)", dir, len(skipped), skipped[0]))
	}
	if d.Rows == 0 {
		return nil, fmt.Errorf("%s: no readable PNG or JPEG images", dir)
	}
	d.Width, d.Height, d.Cols = r.w, r.h, r.w*r.h*r.channels
	if r.channels == 3 {
		d.Channels = 3
	}
	return d, nil
}

// listImages returns the image files of dir in order, with their labels
// and the class names when dir holds class folders.
func listImages(dir string) (files []string, labels []int, classes []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	var flat []string
	for _, e := range entries {
		switch {
		case e.IsDir():
			classes = append(classes, e.Name())
		case isImageFile(e.Name()):
			flat = append(flat, filepath.Join(dir, e.Name()))
		}
	}
	if classes == nil {
		if len(flat) == 0 {
			return nil, nil, nil, fmt.Errorf("%s: no PNG or JPEG images and no class folders", dir)
		}
		return flat, nil, nil, nil
	}
	if len(flat) > 0 {
		return nil, nil, nil, fmt.Errorf("%s: holds images (%s) beside class folders; put every image in its class's folder", dir, filepath.Base(flat[0]))
	}
	slices.Sort(classes)
	for k, c := range classes {
		entries, err := os.ReadDir(filepath.Join(dir, c))
		if err != nil {
			return nil, nil, nil, err
		}
		for _, e := range entries {
			if !e.IsDir() && isImageFile(e.Name()) {
				files = append(files, filepath.Join(dir, c, e.Name()))
				labels = append(labels, k)
			}
		}
	}
	if len(files) == 0 {
		return nil, nil, nil, fmt.Errorf("%s: no PNG or JPEG images in its class folders %s", dir, strings.Join(classes, ", "))
	}
	return files, labels, classes, nil
}

// maxImagePixels bounds the images ReadImageDir decodes, so that a header
// claiming a vast image is an error, not an attempt to allocate it.
const maxImagePixels = 1 << 26

// imageReader decodes images to one size and channel count: the options',
// or the first image's when the options give none.
type imageReader struct {
	opt      ImageOptions
	channels int
	w, h     int    // the size rows have; 0 until the first image sets it
	first    string // the image that set the size
	bad      bool   // the last error was an unreadable file (SkipBad skips it)
}

// read returns the pixels of the image at path.
func (r *imageReader) read(path string) ([]byte, error) {
	r.bad = false
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil && int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		r.bad = true
		return nil, fmt.Errorf("%s: an image of %dx%d pixels, more than %d", path, cfg.Width, cfg.Height, maxImagePixels)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		r.bad = true
		return nil, fmt.Errorf("%s: not a readable PNG or JPEG image: %v", path, err)
	}
	sz := img.Bounds().Size()
	if r.w == 0 {
		if sz.X == 0 || sz.Y == 0 {
			r.bad = true
			return nil, fmt.Errorf("%s: an image of %dx%d pixels", path, sz.X, sz.Y)
		}
		r.w, r.h, r.first = sz.X, sz.Y, path
	}
	if r.opt.Width == 0 && (sz.X != r.w || sz.Y != r.h) {
		return nil, fmt.Errorf("%s: %dx%d image, but %s is %dx%d; give --image-size WxH to resize every image", path, sz.X, sz.Y, r.first, r.w, r.h)
	}
	return pixels(img, r.w, r.h, r.channels), nil
}

// pixels draws img at w×h (scaled with Catmull-Rom where its size differs)
// and returns its bytes: luma (ITU-R 601, Go's color.GrayModel) for one
// channel, R, G, B per pixel for three, transparent parts over black.
func pixels(img image.Image, w, h, channels int) []byte {
	rect := image.Rect(0, 0, w, h)
	var dst draw.Image = image.NewRGBA(rect)
	if channels == 1 {
		dst = image.NewGray(rect)
	}
	if img.Bounds().Size() == rect.Size() {
		draw.Draw(dst, rect, img, img.Bounds().Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(dst, rect, img, img.Bounds(), draw.Src, nil)
	}
	if g, ok := dst.(*image.Gray); ok {
		return g.Pix // stride w: a fresh image has no padding
	}
	rgba := dst.(*image.RGBA)
	px := make([]byte, 0, w*h*3)
	for i := 0; i < len(rgba.Pix); i += 4 {
		px = append(px, rgba.Pix[i:i+3]...) // premultiplied: over black
	}
	return px
}
