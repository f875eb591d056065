package card

import (
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// TestCardRoundTrip: Write then Read gives the card back, under the
// metadata keys older wgml versions wrote.
func TestCardRoundTrip(t *testing.T) {
	c := Card{
		Data: Data{Spec: "x.csv", Cols: 4, Columns: []string{"a", "b=p", "b=q", "c"},
			Open:    data.OpenOptions{CSV: data.CSVOptions{LabelCol: "y", Header: "yes", Sep: ";", Missing: data.MissingMask, NAValues: []string{"-"}}, TestFrac: 0.2, Seed: 7},
			Schema:  &data.Schema{Columns: []data.Column{{Name: "a", Means: []float64{1}}, {Name: "b", Categories: []string{"p", "q"}, Means: []float64{0.25, 0.75}}, {Name: "c", Means: []float64{2}}}},
			Classes: []string{"n", "o"}, Normalizer: data.Normalizer{Kind: "zscore", Offset: []float32{1, 0, 0, 3}, Scale: []float32{1, 1, 1, 2}}},
		Thresholds: Thresholds{ByScore: map[string]float64{nn.ScoreRecon: 1.25, nn.ScoreELBO: 2.5}, Score: nn.ScoreRecon, Contamination: 0.05, Rows: 40,
			On: OnVal, Scalers: map[string]outlier.Scaler{nn.ScoreRecon: {Min: 0.5, Max: 3}, nn.ScoreELBO: {Min: 1, Max: 4}}},
		NormalClass: "n",
	}
	ck := &nn.Checkpoint{}
	if err := c.Write(ck); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"threshold": "1.25", "threshold_elbo": "2.5", "score": "recon", "contamination": "0.05", "threshold_rows": "40", "normal_class": "n"} {
		if ck.Meta[k] != want {
			t.Errorf("metadata %s = %q, want %q", k, ck.Meta[k], want)
		}
	}
	got, err := Read(ck, filepath.Join("x", "m.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("Read(Write(c)) = %+v\nwant %+v", got, c)
	}
	// A library model's card, as wgml.Model.Save wrote it before this package.
	old := &nn.Checkpoint{Meta: map[string]string{"data": `{"spec":"","cols":2,"normalizer":{"kind":"none"}}`, "threshold_elbo": "3", "score": "elbo", "images": "true", "contamination": "0.1"}}
	got, err = Read(old, "old")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := got.Thresholds.Fitted(nn.ScoreELBO); !ok || v != 3 || !got.Images || got.Thresholds.Score != nn.ScoreELBO || got.Data.Cols != 2 {
		t.Errorf("old library card read as %+v", got)
	}
	if _, ok := got.Thresholds.Fitted(nn.ScoreRecon); ok {
		t.Error("recon threshold found where none was stored")
	}
	// A table's card, as wgml train wrote it before Data had Open.
	oldTable := &nn.Checkpoint{Meta: map[string]string{"data": `{"spec":"t.csv","cols":3,"label_col":"y","header":"yes","test_frac":0.3,"split_seed":7,"normalizer":{"kind":"none"}}`}}
	got, err = Read(oldTable, "old")
	want := data.OpenOptions{CSV: data.CSVOptions{LabelCol: "y", Header: "yes"}, TestFrac: 0.3, Seed: 7}
	if err != nil || !reflect.DeepEqual(got.Data.Open, want) {
		t.Errorf("old table card: options %+v, %v; want %+v", got.Data.Open, err, want)
	}
	none, err := Read(&nn.Checkpoint{Meta: map[string]string{"data": `{"cols":2,"normalizer":{"kind":"none"}}`}}, "none")
	if err != nil || !math.IsNaN(none.Thresholds.Contamination) || none.Thresholds.ByScore != nil {
		t.Errorf("card without thresholds: %+v, %v", none.Thresholds, err)
	}
	for _, bad := range []map[string]string{
		{"data": `{`},
		{"data": `{}`, "threshold": "x"},
		{"data": `{}`, "threshold_rows": "-1"},
	} {
		if _, err := Read(&nn.Checkpoint{Meta: bad}, "bad.safetensors"); err == nil {
			t.Errorf("Read(%v) accepted", bad)
		}
	}
}
