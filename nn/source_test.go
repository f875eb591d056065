package nn_test

import (
	"slices"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// TestSourceOwnership: on the cpu backend (an nn.HostAdopter) a Given
// source trains bit for bit as a Lent one, and training leaves the given
// slices as they were; a Lent source is copied, so the caller may
// overwrite its slices once the trainer is built. Both for pixels and for
// a table with a mask (LossTable).
func TestSourceOwnership(t *testing.T) {
	x, mask := tableRows(61)
	cases := []struct {
		name string
		c    nn.Config
		src  nn.Source
	}{
		{"bytes", tinyAE, blobs(61, 20, 3)},
		{"floats with a mask", tableConfig, nn.Source{Rows: 61, Cols: 8, Floats: x, Mask: mask}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, wantParams := trainOn(t, tc.c, clone(tc.src), nil)
			lent, lentParams := trainOn(t, tc.c, clone(tc.src), func(s nn.Source) { // the caller's slices change after the upload
				clear(s.Bytes)
				clear(s.Floats)
				clear(s.Mask)
			})
			given := clone(tc.src)
			given.Own = nn.Given
			got, gotParams := trainOn(t, tc.c, given, nil)
			for _, r := range []struct {
				name   string
				loss   float64
				params []float32
			}{{"lent and overwritten", lent, lentParams}, {"given", got, gotParams}} {
				if r.loss != want || !slices.Equal(r.params, wantParams) {
					t.Errorf("%s: loss %v, params equal %v; want loss %v of a lent source", r.name, r.loss, slices.Equal(r.params, wantParams), want)
				}
			}
			if !slices.Equal(given.Bytes, tc.src.Bytes) || !slices.Equal(given.Floats, tc.src.Floats) || !slices.Equal(given.Mask, tc.src.Mask) {
				t.Error("training wrote the given source's slices")
			}
		})
	}
}

// trainOn trains c for two epochs on src (after calls after, when not nil,
// once the trainer is built) and returns the last training loss and the
// parameters.
func trainOn(t *testing.T, c nn.Config, src nn.Source, after func(nn.Source)) (float64, []float32) {
	t.Helper()
	b := cpu.New()
	m, err := nn.NewModel(b, c, 5)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := nn.NewTrainer(b, m, src, nil, nn.TrainOptions{Epochs: 2, Batch: 8, Adam: nn.DefaultAdam, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if after != nil {
		after(src)
	}
	var st nn.EpochStats
	for range 2 {
		if st, err = tr.RunEpoch(); err != nil {
			t.Fatal(err)
		}
	}
	return st.Loss, params(t, tr)
}

// clone copies src's slices.
func clone(src nn.Source) nn.Source {
	src.Bytes, src.Floats, src.Mask = slices.Clone(src.Bytes), slices.Clone(src.Floats), slices.Clone(src.Mask)
	return src
}
