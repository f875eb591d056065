package wgml

import (
	"image/color"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wgml/wgml/internal/pngtest"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/plot"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// skewedCodes are n codes of width L, far from N(0, I): axis d is an
// exponential scaled by 3(d+1) and shifted by -2d, with a long tail.
func skewedCodes(n, L int) []float32 {
	rng := rand.New(rand.NewPCG(11, 12))
	z := make([]float32, n*L)
	for i := range n {
		for d := range L {
			z[i*L+d] = float32(3*float64(d+1)*rng.ExpFloat64() - 2*float64(d))
		}
	}
	return z
}

// checkCovers fails unless on each axis the plane's grid reaches the 5th
// and 95th percentile of the codes' coordinates and stays within their
// min-max.
func checkCovers(t *testing.T, p Plane, codes []float32) {
	t.Helper()
	uv := p.Project(codes)
	for a, grid := range [][]float64{p.U, p.V} {
		x := make([]float64, len(uv))
		for i := range uv {
			x[i] = uv[i][a]
		}
		slices.Sort(x)
		p5, p95 := stat.Quantile(0.05, stat.Empirical, x, nil), stat.Quantile(0.95, stat.Empirical, x, nil)
		lo, hi := grid[0], grid[len(grid)-1]
		if lo > p5 || hi < p95 || lo < x[0] || hi > x[len(x)-1] {
			t.Errorf("axis %d: grid %.3f..%.3f, codes' 5th-95th percentile %.3f..%.3f, min-max %.3f..%.3f: want the grid over the percentiles and within the min-max",
				a, lo, hi, p5, p95, x[0], x[len(x)-1])
		}
	}
}

// TestAEPlaneCoversCodes: an AE's latent plane spans its codes, on the
// latent dims of a 2-D AE, on the principal plane of wider codes.
func TestAEPlaneCoversCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	m, err := Fit(plane(rng, 300), Options{Layers: []int{4, 2}, Epochs: 10, Batch: 30, LR: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	codes := flat(t, m, plane(rng, 300))
	p, err := m.LatentPlane(codes, 7)
	if err != nil {
		t.Fatal(err)
	}
	checkCovers(t, p, codes)
	for _, L := range []int{2, 3} {
		z := skewedCodes(2000, L)
		p, err := CodesPlane(z, L, 5)
		if err != nil {
			t.Fatal(err)
		}
		checkCovers(t, p, z)
		if len(p.Codes()) != 5*5*L {
			t.Errorf("L=%d: %d grid values, want %d", L, len(p.Codes()), 5*5*L)
		}
	}
}

// flat encodes rows with m into one row-major slice.
func flat(t *testing.T, m *Model, rows [][]float64) []float32 {
	t.Helper()
	codes, err := m.Encode(rows)
	if err != nil {
		t.Fatal(err)
	}
	var z []float32
	for _, c := range codes {
		for _, v := range c {
			z = append(z, float32(v))
		}
	}
	return z
}

// TestPlaneGridProjects: the grid's codes project back onto the grid
// positions, rows from the largest V down, for the principal plane too.
func TestPlaneGridProjects(t *testing.T) {
	z := skewedCodes(500, 4)
	p, err := CodesPlane(z, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	uv := p.Project(p.Codes())
	for i := range 3 {
		for j := range 3 {
			got, want := uv[i*3+j], [2]float64{p.U[j], p.V[2-i]}
			if math.Abs(got[0]-want[0]) > 1e-4 || math.Abs(got[1]-want[1]) > 1e-4 {
				t.Errorf("grid point (%d, %d) projects to %v, want %v", i, j, got, want)
			}
		}
	}
}

// TestVAEKeepsPriorPlane: a VAE's plane is the prior's, spaced by the
// inverse normal CDF whatever its codes.
func TestVAEKeepsPriorPlane(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m, err := Fit(plane(rng, 100), Options{Model: "vae", Layers: []int{4, 2}, Epochs: 1, Batch: 20})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.LatentPlane(skewedCodes(100, 2), 4)
	if err != nil {
		t.Fatal(err)
	}
	for j, u := range p.U {
		if want := distuv.UnitNormal.Quantile((float64(j) + 0.5) / 4); math.Abs(u-want) > 1e-12 || p.V[j] != u {
			t.Errorf("grid position %d: u %g, v %g, want %g", j, u, p.V[j], want)
		}
	}
	z, how, err := m.SampleCodes(nil, 3, 1)
	if err != nil || len(z) != 6 || how != "drawn from the prior N(0, I)" {
		t.Errorf("VAE samples: %d values, %q, %v", len(z), how, err)
	}
}

// TestAESamplesFitCodes: an AE's samples have the mean and covariance of
// the codes they were fitted to, not N(0, I)'s.
func TestAESamplesFitCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m, err := Fit(plane(rng, 100), Options{Layers: []int{4, 2}, Epochs: 1, Batch: 20})
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]float32, 0, 4000)
	for range 2000 { // mean (5, -3), sd 2 and 0.5, correlated
		a, b := rng.NormFloat64(), rng.NormFloat64()
		codes = append(codes, float32(5+2*a), float32(-3+0.3*a+0.4*b))
	}
	z, how, err := m.SampleCodes(codes, 20000, 9)
	if err != nil {
		t.Fatal(err)
	}
	if how != "an AE has no prior: drawn from N(μ, Σ) fitted to its 2000 training codes" {
		t.Errorf("how: %q", how)
	}
	want, got := moments(codes), moments(z)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 0.1*math.Max(1, math.Abs(want[i])) {
			t.Errorf("moment %d (mean u, mean v, var u, var v, cov): samples %.3f, codes %.3f", i, got[i], want[i])
		}
	}
	if _, _, err := m.SampleCodes(codes[:2], 1, 1); err == nil {
		t.Error("one code: want an error, a Gaussian needs two")
	}
}

// moments are the means, variances and covariance of 2-D codes.
func moments(z []float32) []float64 {
	var u, v []float64
	for i := 0; i < len(z); i += 2 {
		u, v = append(u, float64(z[i])), append(v, float64(z[i+1]))
	}
	return []float64{stat.Mean(u, nil), stat.Mean(v, nil), stat.Variance(u, nil), stat.Variance(v, nil), stat.Covariance(u, v, nil)}
}

func TestLatentPath(t *testing.T) {
	z := LatentPath([]float32{0, 2}, []float32{4, -2}, 5)
	want := []float32{0, 2, 1, 1, 2, 0, 3, -1, 4, -2}
	if !slices.Equal(z, want) {
		t.Errorf("path %v, want %v", z, want)
	}
}

// bars are n 4×4 images of two classes: class 0 lights the top rows, class
// 1 the bottom rows, with noise.
func bars(rng *rand.Rand, n int) (*data.Dataset, [][]float64) {
	d := &data.Dataset{Name: "bars", Rows: n, Cols: 16, Width: 4, Height: 4}
	var rows [][]float64
	for i := range n {
		k := i % 2
		row := make([]float64, 16)
		for p := range row {
			if (p < 8) == (k == 0) {
				row[p] = 0.7 + 0.3*rng.Float64()
			} else {
				row[p] = 0.2 * rng.Float64()
			}
			d.Floats = append(d.Floats, float32(row[p]))
		}
		rows, d.Labels = append(rows, row), append(d.Labels, k)
	}
	return d, rows
}

// TestCompareWritesPanels: Compare writes one PNG of plot.Comparison's
// layout, a panel per model, each with its plane, scatter and path drawn.
func TestCompareWritesPanels(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	d, rows := bars(rng, 60)
	var models []CompareModel
	for _, kind := range []string{"ae", "vae"} {
		m, err := Fit(rows, Options{Model: kind, Images: true, Layers: []int{8, 2}, Epochs: 3, Batch: 20})
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, CompareModel{Name: kind, Model: m})
	}
	path := filepath.Join(t.TempDir(), "cmp.png")
	sums, err := Compare(path, d, models, CompareOptions{From: "label:0", To: "label:1", Grid: 4, Steps: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 || sums[0].From != 0 || sums[0].To != 1 || len(sums[1].Plane.U) != 4 {
		t.Errorf("summaries %+v", sums)
	}
	img := pngtest.Read(t, path)
	w, h := plot.ComparisonSize(2)
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("picture %dx%d, want %dx%d (two panels)", b.Dx(), b.Dy(), w, h)
	}
	for panel := range 2 {
		top := panel * h / 2
		for _, at := range []struct {
			what string
			x, y int
		}{{"scatter", w / 4, top + h/4}, {"decoded plane", 3 * w / 4, top + h/4}, {"path strip", w / 2, top + h/2 - 25}} {
			if !drawn(img, at.x, at.y, 30) {
				t.Errorf("panel %d: nothing drawn around the %s at (%d, %d)", panel, at.what, at.x, at.y)
			}
		}
	}
	if _, err := Compare(path, &data.Dataset{Name: "table", Rows: 60, Cols: 16, Floats: d.Floats}, models, CompareOptions{}); err == nil {
		t.Error("a table: want an error, the picture needs images")
	}
}

// drawn reports whether the r×r square around (x, y) holds a pixel that
// is not white.
func drawn(img interface {
	At(x, y int) color.Color
}, x, y, r int) bool {
	for i := x - r; i <= x+r; i++ {
		for j := y - r; j <= y+r; j++ {
			if cr, cg, cb, _ := img.At(i, j).RGBA(); cr < 0xf000 || cg < 0xf000 || cb < 0xf000 {
				return true
			}
		}
	}
	return false
}
