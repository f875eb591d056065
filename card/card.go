// Package card is the one typed description of what a wgml checkpoint
// means beyond its weights and training state (which nn.Checkpoint holds,
// TrainOptions included): how its data was read and normalised, the outlier
// thresholds fitted on its training rows, and the class it was trained on.
// The wgml package reads and writes checkpoints through it; model defaults
// and score kinds are nn's, threshold fitting the wgml package's.
//
// A card is stored as keys of the safetensors __metadata__:
//
//	data            JSON of Data
//	threshold       the recon score's threshold; threshold_K for score K
//	score           the default score kind
//	contamination   the fraction the thresholds were fitted for
//	threshold_rows  the number of training rows they were fitted on
//	threshold_on    the rows they were fitted on: train, or val (validation)
//	scaler          JSON of score kind -> outlier.Scaler (outlier probability)
//	normal_class    the label train kept (--normal-class), if any
//	images          "true": the rows are pixels in [0,1] (without an image shape)
package card

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// Metadata keys (see the package comment).
const (
	keyData          = "data"
	keyThreshold     = "threshold"
	keyScore         = "score"
	keyContamination = "contamination"
	keyThresholdRows = "threshold_rows"
	keyNormalClass   = "normal_class"
	keyImages        = "images"
	keyThresholdOn   = "threshold_on"
	keyScaler        = "scaler"
)

// The rows thresholds are fitted on (Thresholds.On).
const (
	OnTrain = "train" // the training rows (default)
	OnVal   = "val"   // the validation rows held out of them
)

// Card is a checkpoint's description. Its zero value describes a model
// without a data file, threshold or class.
type Card struct {
	Data Data
	// Images: the rows are pixels in [0,1], whether or not Data has an
	// image shape (the wgml package's Options.Images).
	Images      bool
	Thresholds  Thresholds
	NormalClass string // the label the training rows were kept by, "" for all
}

// Data is how the training data was read, so other commands read new data
// the same way, and how it was normalised.
type Data struct {
	Spec string `json:"spec"`
	// Open is how Spec was read: the CSV options (label column, header,
	// delimiter, missing-value policy, categorical columns), the image
	// options, the labels file, the test file or fraction and the seed that
	// split it. Its CSV.Schema is not in it but in Schema.
	Open data.OpenOptions `json:"open"`
	// Schema is a table's columns as fitted on the training rows (their
	// categories and imputation means); nil for images and arrays. Scoring
	// a new file encodes it with these columns (data.CSVOptions.Schema).
	Schema     *data.Schema    `json:"schema,omitempty"`
	Cols       int             `json:"cols"`
	Width      int             `json:"width,omitempty"` // images: pixels per row of an image
	Height     int             `json:"height,omitempty"`
	Channels   int             `json:"channels,omitempty"` // images: 3 for RGB, 0 or 1 for grayscale
	Columns    []string        `json:"columns,omitempty"`
	Classes    []string        `json:"classes,omitempty"`
	Normalizer data.Normalizer `json:"normalizer"`
	// Stream: the training rows were streamed from disk, held out in
	// blocks (data.StreamSet); a resumed run streams them again.
	Stream bool `json:"stream,omitempty"`
}

// OpenOptions are the options that read new data as the training data was
// read: d.Open with the recorded schema, so that a table is encoded with the
// training columns and categories.
func (d Data) OpenOptions() data.OpenOptions {
	o := d.Open
	o.CSV.Schema = d.Schema
	return o
}

// Thresholds are the outlier thresholds fitted on the training rows' scores,
// one per score kind the model has. New threshold methods record
// themselves here beside Contamination.
type Thresholds struct {
	ByScore       map[string]float64 // score kind -> threshold; nil when none was fitted
	Score         string             // the default score kind
	Contamination float64            // the fraction they were fitted for; NaN when unknown
	Rows          int                // training rows they were fitted on; 0 when unknown
	On            string             // OnTrain or OnVal; "" (unknown) reads as OnTrain
	// Scalers map each score kind to the outlier probability scaling
	// fitted on the same rows' scores; nil when none was fitted.
	Scalers map[string]outlier.Scaler
}

// RowsName names the rows the thresholds were fitted on.
func (t Thresholds) RowsName() string {
	if t.On == OnVal {
		return "validation"
	}
	return "training"
}

// Fitted reports whether kind has a stored threshold, and returns it.
func (t Thresholds) Fitted(kind string) (float64, bool) {
	v, ok := t.ByScore[kind]
	return v, ok
}

func thresholdKey(kind string) string {
	if kind == nn.ScoreRecon {
		return keyThreshold
	}
	return keyThreshold + "_" + kind
}

// Read returns the card of ck, loaded from path (for error messages).
func Read(ck *nn.Checkpoint, path string) (Card, error) {
	c := Card{NormalClass: ck.Meta[keyNormalClass], Images: ck.Meta[keyImages] == "true"}
	if err := json.Unmarshal([]byte(ck.Meta[keyData]), &c.Data); err != nil {
		return c, fmt.Errorf("%s: metadata %s: %v", path, keyData, err)
	}
	if err := readOldData(ck.Meta[keyData], &c.Data.Open); err != nil {
		return c, fmt.Errorf("%s: metadata %s: %v", path, keyData, err)
	}
	c.Images = c.Images || c.Data.Width > 0
	th := &c.Thresholds
	th.Score, th.Contamination = ck.Meta[keyScore], math.NaN()
	if th.Score == "" {
		th.Score = nn.ScoreRecon
	}
	num := func(key string) (float64, bool, error) {
		s, ok := ck.Meta[key]
		if !ok {
			return 0, false, nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false, fmt.Errorf("%s: metadata %s %q is not a number", path, key, s)
		}
		return v, true, nil
	}
	for _, kind := range []string{nn.ScoreRecon, nn.ScoreELBO} {
		v, ok, err := num(thresholdKey(kind))
		if err != nil {
			return c, err
		}
		if ok {
			if th.ByScore == nil {
				th.ByScore = map[string]float64{}
			}
			th.ByScore[kind] = v
		}
	}
	if v, ok, err := num(keyContamination); err != nil {
		return c, err
	} else if ok {
		th.Contamination = v
	}
	if s := ck.Meta[keyThresholdRows]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return c, fmt.Errorf("%s: metadata %s %q is not a row count", path, keyThresholdRows, s)
		}
		th.Rows = n
	}
	th.On = ck.Meta[keyThresholdOn]
	if th.On != "" && th.On != OnTrain && th.On != OnVal {
		return c, fmt.Errorf("%s: metadata %s %q: want %s or %s", path, keyThresholdOn, th.On, OnTrain, OnVal)
	}
	if s := ck.Meta[keyScaler]; s != "" {
		if err := json.Unmarshal([]byte(s), &th.Scalers); err != nil {
			return c, fmt.Errorf("%s: metadata %s: %v", path, keyScaler, err)
		}
	}
	return c, nil
}

// readOldData reads the options of a data key written before Data had
// Open (label column, header, test file and fraction, split seed as keys of
// their own) into open; a newer key, with Open, is left as it is.
func readOldData(js string, open *data.OpenOptions) error {
	var old struct {
		Open      json.RawMessage `json:"open"`
		LabelCol  string          `json:"label_col"`
		Header    string          `json:"header"`
		TestFile  string          `json:"test_file"`
		TestFrac  float64         `json:"test_frac"`
		SplitSeed uint64          `json:"split_seed"`
	}
	if err := json.Unmarshal([]byte(js), &old); err != nil || old.Open != nil {
		return err
	}
	open.CSV.LabelCol, open.CSV.Header = old.LabelCol, old.Header
	open.TestFile, open.TestFrac, open.Seed = old.TestFile, old.TestFrac, old.SplitSeed
	return nil
}

// Write stores c in ck's metadata.
func (c Card) Write(ck *nn.Checkpoint) error {
	d, err := json.Marshal(c.Data)
	if err != nil {
		return err
	}
	if ck.Meta == nil {
		ck.Meta = map[string]string{}
	}
	m := ck.Meta
	m[keyData] = string(d)
	if c.Images {
		m[keyImages] = "true"
	}
	if c.NormalClass != "" {
		m[keyNormalClass] = c.NormalClass
	}
	th := c.Thresholds
	for kind, v := range th.ByScore {
		m[thresholdKey(kind)] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	if th.ByScore != nil {
		m[keyScore] = th.Score
	}
	if !math.IsNaN(th.Contamination) && th.ByScore != nil {
		m[keyContamination] = strconv.FormatFloat(th.Contamination, 'g', -1, 64)
	}
	if th.Rows > 0 {
		m[keyThresholdRows] = strconv.Itoa(th.Rows)
	}
	if th.On != "" {
		m[keyThresholdOn] = th.On
	}
	if th.Scalers != nil {
		sc, err := json.Marshal(th.Scalers)
		if err != nil {
			return err
		}
		m[keyScaler] = string(sc)
	}
	return nil
}
