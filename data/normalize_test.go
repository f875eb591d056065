package data

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// table returns a 4×3 float dataset; its last column is constant.
func table() *Dataset {
	return &Dataset{Name: "t", Rows: 4, Cols: 3, Labels: []int{1, 2, 3, 4}, Floats: []float32{
		1, -10, 7,
		2, 0, 7,
		3, 10, 7,
		4, 40, 7,
	}}
}

func TestNormalizerRoundTrip(t *testing.T) {
	d := table()
	for _, kind := range []string{"none", "minmax", "zscore"} {
		n, err := FitNormalizer(kind, d)
		if err != nil {
			t.Fatal(err)
		}
		blob, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		var back Normalizer
		if err := json.Unmarshal(blob, &back); err != nil || !reflect.DeepEqual(back, n) {
			t.Fatalf("%s: JSON %s decodes to %+v, %v", kind, blob, back, err)
		}
		out, err := back.Apply(d)
		if err != nil {
			t.Fatal(err)
		}
		if &out.Floats[0] == &d.Floats[0] || out.Labels[3] != 4 {
			t.Fatalf("%s: Apply did not copy the data, or lost the labels", kind)
		}
		for j := range d.Cols {
			lo, hi, sum, sq := math.Inf(1), math.Inf(-1), 0.0, 0.0
			for i := range d.Rows {
				v := float64(out.Floats[i*d.Cols+j])
				lo, hi, sum, sq = math.Min(lo, v), math.Max(hi, v), sum+v, sq+v*v
			}
			mean := sum / 4
			std := math.Sqrt((sq - 4*mean*mean) / 3)
			switch {
			case kind == "minmax" && j < 2 && (math.Abs(lo) > 1e-6 || math.Abs(hi-1) > 1e-6),
				kind == "zscore" && j < 2 && (math.Abs(mean) > 1e-6 || math.Abs(std-1) > 1e-6),
				kind != "none" && j == 2 && (lo != 0 || hi != 0):
				t.Errorf("%s: column %d has min %g max %g mean %g std %g", kind, j, lo, hi, mean, std)
			}
		}
		row := make([]float32, d.Cols)
		for i := range d.Rows {
			out.Row(i, row)
			n.Invert(row)
			for j, v := range row {
				if want := d.Floats[i*d.Cols+j]; math.Abs(float64(v-want)) > 1e-5*math.Max(1, math.Abs(float64(want))) {
					t.Errorf("%s: Invert(Apply(x))[%d,%d] = %g, want %g", kind, i, j, v, want)
				}
			}
		}
	}
}

func TestNormalizerBytes(t *testing.T) {
	n, err := FitNormalizer("minmax", tiny())
	if err != nil {
		t.Fatal(err)
	}
	// column 0 holds 0, 1, 3, 51 (over 255): the minimum 0, range 51/255.
	if n.Offset[0] != 0 || math.Abs(float64(n.Scale[0])-5) > 1e-5 {
		t.Errorf("got %+v", n)
	}
	out, err := n.Apply(tiny())
	if err != nil || out.Bytes != nil || len(out.Floats) != 8 || math.Abs(float64(out.Floats[6])-1) > 1e-6 {
		t.Errorf("Apply = %+v, %v", out, err)
	}
}

func TestNormalizerErrors(t *testing.T) {
	_, err := FitNormalizer("robust", table())
	wantErr(t, err, `normaliser "robust": want none, minmax or zscore`)
	_, err = FitNormalizer("zscore", &Dataset{Name: "empty", Cols: 2})
	wantErr(t, err, "empty: no rows to fit a normaliser on")
	n, _ := FitNormalizer("zscore", table())
	_, err = n.Apply(tiny())
	wantErr(t, err, "tiny: 2 columns, but the zscore normaliser was fitted to 3")
	if out, err := (Normalizer{}).Apply(tiny()); err != nil || out.Floats[1] != 1 {
		t.Errorf("zero Normalizer: %v, %v", out, err)
	}
	one, err := FitNormalizer("zscore", table().Limit(1))
	if err != nil || one.Scale[0] != 1 {
		t.Errorf("zscore of one row: %+v, %v (want scale 1)", one, err)
	}
}

// TestStatsStreaming: Welford's one pass over chunks of any size equals
// the two-pass mean and sample deviation (gonum's stat.MeanStdDev) of the
// whole columns, and the same rows chunked two ways give the same bits.
func TestStatsStreaming(t *testing.T) {
	const rows, cols = 1000, 3
	rng := rand.New(rand.NewPCG(7, 8))
	x := make([]float32, rows*cols)
	for i := range x {
		x[i] = float32(rng.NormFloat64()*float64(1+i%cols*100) + float64(i%cols)*1e4)
	}
	whole := NewStats(cols)
	whole.Add(x, nil)
	chunked := NewStats(cols)
	for lo := 0; lo < rows; lo += 7 * (1 + lo%3) {
		hi := min(lo+7*(1+lo%3), rows)
		chunked.Add(x[lo*cols:hi*cols], nil)
	}
	if !reflect.DeepEqual(whole, chunked) {
		t.Fatalf("chunking changed the statistics: %+v vs %+v", whole, chunked)
	}
	n := whole.Normalizer("zscore", nil)
	col := make([]float64, rows)
	for j := range cols {
		for i := range rows {
			col[i] = float64(x[i*cols+j])
		}
		mean, std := stat.MeanStdDev(col, nil)
		if math.Abs(whole.Mean[j]-mean) > 1e-9*math.Abs(mean)+1e-12 || math.Abs(math.Sqrt(whole.M2[j]/(rows-1))-std) > 1e-9*std {
			t.Errorf("column %d: Welford mean %v std %v, two-pass %v %v", j, whole.Mean[j], math.Sqrt(whole.M2[j]/(rows-1)), mean, std)
		}
		if n.Offset[j] != float32(mean) || math.Abs(float64(n.Scale[j])*std-1) > 1e-6 {
			t.Errorf("column %d: normaliser %v %v", j, n.Offset[j], n.Scale[j])
		}
	}
}

// TestApplyInPlace: normalising in place gives Apply's values in d's own
// memory; image bytes are refused.
func TestApplyInPlace(t *testing.T) {
	d := table()
	n, err := FitNormalizer("zscore", d)
	if err != nil {
		t.Fatal(err)
	}
	want, err := n.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	before := &d.Floats[0]
	if err := n.ApplyInPlace(d); err != nil || &d.Floats[0] != before || !reflect.DeepEqual(d.Floats, want.Floats) {
		t.Errorf("in place: %v, %v want %v", err, d.Floats, want.Floats)
	}
	if err := n.ApplyInPlace(&Dataset{Name: "img", Rows: 1, Cols: 3, Bytes: []uint8{1, 2, 3}}); err == nil {
		t.Error("bytes normalised in place")
	}
}

// addRef is Stats.Add in its plain form, Welford's update per value with
// math.Min and math.Max: the reference Add must equal bit for bit.
func addRef(s *Stats, rows []float32, mask []uint8) {
	for e, v := range rows {
		if mask != nil && mask[e] == 0 {
			continue
		}
		j, x := e%s.cols, float64(v)
		s.N[j]++
		d := x - s.Mean[j]
		s.Mean[j] += d / float64(s.N[j])
		s.M2[j] += d * (x - s.Mean[j])
		s.Min[j], s.Max[j] = math.Min(s.Min[j], x), math.Max(s.Max[j], x)
	}
}

// TestStatsAddEqualsReference: Add gives addRef's statistics bit for bit
// on values that test its shortcut around math.Min and math.Max (zeros of
// both signs, infinities, NaN, repeats), with and without a mask, in
// chunks of whole rows and with a partial last row.
func TestStatsAddEqualsReference(t *testing.T) {
	special := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 3, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-30, -7}
	rng := rand.New(rand.NewPCG(3, 4))
	const cols = 3
	for trial := range 200 {
		n := 1 + rng.IntN(40)
		rows, mask := make([]float32, n), make([]uint8, n)
		for e := range rows {
			rows[e], mask[e] = special[rng.IntN(len(special))], uint8(rng.IntN(2))
			if trial%3 == 0 { // columns of zeros and finite values only
				rows[e] = special[rng.IntN(5)]
			}
		}
		for _, m := range [][]uint8{nil, mask} {
			got, want := NewStats(cols), NewStats(cols)
			cut := n / 2 / cols * cols
			got.Add(rows[:cut], sub(m, 0, cut))
			got.Add(rows[cut:], sub(m, cut, n))
			addRef(want, rows, m)
			same := func(a, b []float64) bool {
				for j := range a {
					if math.Float64bits(a[j]) != math.Float64bits(b[j]) {
						return false
					}
				}
				return true
			}
			if !reflect.DeepEqual(got.N, want.N) || !same(got.Mean, want.Mean) || !same(got.M2, want.M2) || !same(got.Min, want.Min) || !same(got.Max, want.Max) {
				t.Fatalf("rows %v mask %v: Add gives %+v, the reference %+v", rows, m, got, want)
			}
		}
	}
}

// sub is m[a:b], nil for nil.
func sub(m []uint8, a, b int) []uint8 {
	if m == nil {
		return nil
	}
	return m[a:b]
}
