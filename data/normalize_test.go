package data

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
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
