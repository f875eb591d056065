package wgmlbeam

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

func init() {
	register.Function2x0[Row, func(string, Row)](keyRow)
	register.DoFn4x1[context.Context, string, func(*Row) bool, func(Summary), error](&trainFn{})
	register.Emitter2[string, Row]()
	register.Emitter1[Summary]()
	register.Iter1[Row]()
}

// TrainOptions say how TrainPerKey trains and where it writes.
type TrainOptions struct {
	// Options are those of `wgml train` (the model, layers, epochs,
	// batch, seed, ...). The batch is at most a key's rows, as in
	// wgml.Fit; Backend and Given must be nil (each worker trains on its
	// CPU; the options travel to the workers as JSON).
	wgml.Options
	// Open says how a key's rows are read as a table (missing values,
	// categorical columns, ...); its header and separator are TrainPerKey's.
	Open data.OpenOptions
	// Out is the folder the checkpoints go to, through Beam's filesystem
	// layer: OUT/key=KEY/model.safetensors (KEY path-escaped).
	Out string
	// MinRows skips keys with fewer rows (default 2), with the reason in
	// their Summary.
	MinRows int
}

// Summary is what TrainPerKey did with one key.
type Summary struct {
	Key string
	// Rows is the key's number of rows; Batch the batch it trained with.
	Rows, Batch int
	// Epochs run and the last one's training loss.
	Epochs int
	Loss   float64
	// Threshold is the fitted outlier threshold.
	Threshold float64
	// Path is the checkpoint written ("" when skipped).
	Path string
	// Skipped says why the key has no model ("" when it has one).
	Skipped string
}

// TrainPerKey trains one model per key of rows (read from t, which must
// have a key column): the rows of a key, in input order (file, then
// position), are read as a table and trained on as wgml.FitFile does with
// opt.Options, so a key's model equals training that key's rows alone with
// the same seed. Each checkpoint goes to opt.Out; the result is one Summary
// per key. A key that cannot be trained (too few rows, a table the options
// reject) gets a Summary saying why, and the job goes on.
func TrainPerKey(s beam.Scope, t *Table, rows beam.PCollection, opt TrainOptions) (beam.PCollection, error) {
	if t.Key < 0 {
		return beam.PCollection{}, fmt.Errorf("train per key: data %s has no key column", t.Pattern)
	}
	if opt.Backend != nil || opt.Given != nil {
		return beam.PCollection{}, fmt.Errorf("train per key: Options.Backend and Options.Given must be nil (workers train on their CPU; options travel as JSON)")
	}
	if opt.Out == "" {
		return beam.PCollection{}, fmt.Errorf("train per key: no output folder")
	}
	if opt.MinRows <= 0 {
		opt.MinRows = 2
	}
	s = s.Scope("wgml.TrainPerKey")
	grouped := beam.GroupByKey(s, beam.ParDo(s, keyRow, rows))
	js, err := json.Marshal(optionsJSON{Options: opt.Options})
	if err != nil {
		return beam.PCollection{}, fmt.Errorf("train per key: options: %w", err)
	}
	fn := &trainFn{Options: string(js), Open: opt.Open, Out: strings.TrimSuffix(opt.Out, "/"), MinRows: opt.MinRows, Columns: t.Columns(), Sep: string(t.Sep)}
	return beam.ParDo(s, fn, grouped), nil
}

// optionsJSON is wgml.Options as the workers get them: its func and
// interface fields (nil) shadowed, so that the rest marshals.
type optionsJSON struct {
	wgml.Options
	Backend *struct{} `json:",omitempty"`
	Given   *struct{} `json:",omitempty"`
}

func keyRow(r Row, emit func(string, Row)) { emit(r.Key, r) }

// CheckpointPath is where TrainPerKey writes the model of key under out.
func CheckpointPath(out, key string) string {
	return strings.TrimSuffix(out, "/") + "/key=" + url.PathEscape(key) + "/model.safetensors"
}

// trainFn trains the model of one key.
type trainFn struct {
	Options string // wgml.Options as JSON (its Backend, an interface, is nil)
	Open    data.OpenOptions
	Out     string
	MinRows int
	Columns []string
	Sep     string
}

func (f *trainFn) ProcessElement(ctx context.Context, key string, iter func(*Row) bool, emit func(Summary)) error {
	var rows []Row
	var r Row
	for iter(&r) {
		rows = append(rows, r)
	}
	slices.SortFunc(rows, byPosition)
	sum := Summary{Key: key, Rows: len(rows)}
	if len(rows) < f.MinRows {
		sum.Skipped = fmt.Sprintf("%d rows, fewer than the %d to train on", len(rows), f.MinRows)
		keysSkipped.Inc(ctx, 1)
		emit(sum)
		return nil
	}
	dir, err := os.MkdirTemp("", "wgml-beam-train-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var js optionsJSON
	if err := json.Unmarshal([]byte(f.Options), &js); err != nil {
		return err
	}
	opt := js.Options
	// A key with fewer rows than the batch trains with a batch of its rows.
	opt.Batch = min(cmp.Or(opt.Batch, nn.DefaultTrainOptions().Batch), len(rows))
	m, err := f.fit(dir, rows, opt)
	if err != nil {
		sum.Skipped = err.Error()
		keysSkipped.Inc(ctx, 1)
		emit(sum)
		return nil
	}
	local := filepath.Join(dir, "model.safetensors")
	if err := m.Save(local); err != nil {
		return err
	}
	sum.Path = CheckpointPath(f.Out, key)
	if err := copyOut(ctx, local, sum.Path); err != nil {
		return err
	}
	sum.Batch = opt.Batch
	sum.Epochs, sum.Threshold = len(m.History), m.Threshold
	if n := len(m.History); n > 0 {
		sum.Loss = m.History[n-1].Loss
	}
	keysTrained.Inc(ctx, 1)
	emit(sum)
	return nil
}

// fit writes rows as a CSV table in dir and trains on it with FitFile. An
// error is the key's: it names the key's row instead of the temp file.
func (f *trainFn) fit(dir string, rows []Row, opt wgml.Options) (*wgml.Model, error) {
	path := filepath.Join(dir, "rows.csv")
	file, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(file)
	w.Comma, _ = separator(f.Sep)
	w.Write(f.Columns)
	for _, r := range rows {
		w.Write(r.Fields)
	}
	w.Flush()
	if err := cmpErr(w.Error(), file.Close()); err != nil {
		return nil, err
	}
	open := f.Open
	open.CSV.Header, open.CSV.Sep = "yes", f.Sep
	m, _, err := wgml.FitFile(path, open, opt)
	if err != nil {
		return nil, fmt.Errorf("%s", strings.ReplaceAll(err.Error(), path, "the key's rows"))
	}
	return m, nil
}

// cmpErr returns the first non-nil error.
func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// SummaryCSV formats summaries: key, rows, batch, epochs, loss,
// threshold, path, skipped.
func SummaryCSV(s beam.Scope, sums beam.PCollection) CSV {
	return CSV{Header: []string{"key", "rows", "batch", "epochs", "loss", "threshold", "path", "skipped"},
		Types: []Type{Text, Int, Int, Int, Float, Float, Text, Text}, Lines: beam.ParDo(s, summaryLine, sums)}
}

func summaryLine(m Summary, emit func(Line)) {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	emit(Line{Key: m.Key, Fields: []string{m.Key, strconv.Itoa(m.Rows), strconv.Itoa(m.Batch), strconv.Itoa(m.Epochs), g(m.Loss), g(m.Threshold), m.Path, m.Skipped}})
}
