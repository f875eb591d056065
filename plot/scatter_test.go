package plot

import (
	"image"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// clusters returns n points in k well-separated clusters, labelled by
// cluster and interleaved.
func clusters(n, k int) ([][2]float64, []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	points := make([][2]float64, n)
	labels := make([]int, n)
	for i := range points {
		c := i % k
		a := 2 * math.Pi * float64(c) / float64(k)
		points[i] = [2]float64{10*math.Cos(a) + rng.NormFloat64(), 10*math.Sin(a) + rng.NormFloat64()}
		labels[i] = c
	}
	return points, labels
}

func TestLatentScatter(t *testing.T) {
	points, labels := clusters(3000, 12)
	names := []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
	path := filepath.Join(t.TempDir(), "latent.png")
	if err := LatentScatter(path, "latent space", points, labels, names); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	if got := img.Bounds().Size(); got != (image.Point{X: 768, Y: 672}) {
		t.Errorf("size %v, want 768x672 (8x7 in at 96 dpi)", got)
	}
	for k := range 12 {
		if n := countColor(img, palette[k]); n < 20 {
			t.Errorf("class %d: %d pixels of its colour %v, want its points and legend dot", k, n, palette[k])
		}
	}
	if n := countColor(img, palette[12]); n != 0 {
		t.Errorf("%d pixels of the colour of class 12, which has no points", n)
	}
}

func TestLatentScatterUnlabelled(t *testing.T) {
	points, _ := clusters(500, 3)
	path := filepath.Join(t.TempDir(), "latent.png")
	if err := LatentScatter(path, "", points, nil, nil); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	if n := countColor(img, palette[0]); n < 100 {
		t.Errorf("%d pixels of the point colour, want the points", n)
	}
	if n := countColor(img, palette[1]); n != 0 {
		t.Errorf("%d pixels of a second colour, want one colour", n)
	}
}

func TestLatentScatterErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "latent.png")
	pts := [][2]float64{{0, 0}, {1, 1}}
	for name, err := range map[string]error{
		"no points":      LatentScatter(path, "", nil, nil, nil),
		"label count":    LatentScatter(path, "", pts, []int{0}, nil),
		"negative label": LatentScatter(path, "", pts, []int{0, -1}, nil),
		"NaN":            LatentScatter(path, "", [][2]float64{{math.NaN(), 0}}, nil, nil),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	noTempFiles(t, dir)
}

// BenchmarkLatentScatter60k renders an MNIST-sized scatter.
func BenchmarkLatentScatter60k(b *testing.B) {
	points, labels := clusters(60000, 10)
	path := filepath.Join(b.TempDir(), "latent.png")
	for b.Loop() {
		if err := LatentScatter(path, "", points, labels, nil); err != nil {
			b.Fatal(err)
		}
	}
}
