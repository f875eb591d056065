package wgml

import (
	"fmt"
	"io"

	"github.com/wgml/wgml/data"
)

// ScoreData scores the rows of p by opt as ScoreRows scores the rows
// ReadSplit reads, its Train being p's training rows, with the same
// answer: the scores bit for bit, the threshold and how it was chosen, the
// outlier labels and the detection quality, the summary (Report) and the
// scores CSV (WriteCSV). The readers' warnings go to warn (nil: dropped).
//
// Where StreamsScoring says so it reads the file (a table, a .npy of
// floats) as a stream instead, chunk by chunk, keeping of each row only
// its losses and label (lossRows): 4 or 8 bytes a row (12 more with
// labels) and the split's row numbers, in place of the whole file. The
// rows ReadSplit would return are then picked from those as data.Open
// splits the file (Part.order: the same rows in the same order), and
// every threshold method, the probability scaling and the detection
// quality answer from their scores; the training rows a --contamination
// refit or a mad threshold needs come from the same pass (a TestFile's
// training file is a pass of its own). Scoring.Rows then holds the rows'
// name, labels and classes, not their values.
func (m *Model) ScoreData(p Part, opt ScoreOptions, warn io.Writer) (*Scoring, error) {
	if StreamsScoring(p, opt) {
		return m.scoreStreamed(p, opt, warn)
	}
	rows, train, err := m.readPart(p, warn)
	if err != nil {
		return nil, err
	}
	if opt.Train == nil {
		opt.Train = func() (*data.Dataset, error) { return train, nil }
	}
	return m.ScoreRows(rows, opt)
}

// StreamsScoring is ScoreData's rule: it streams the rows of p where they
// can be streamed (a CSV or Parquet table of a model trained on a table,
// a .npy array of floats: streamsPart) and opt asks for no explanation
// (per-feature errors and heatmaps need each row's values beside its
// reconstruction).
func StreamsScoring(p Part, opt ScoreOptions) bool {
	return streamsPart(p) && !opt.PerFeature && !opt.Heatmap
}

// scoreStreamed is ScoreData as a stream (see there).
func (m *Model) scoreStreamed(p Part, opt ScoreOptions, warn io.Writer) (*Scoring, error) {
	opt = m.scoreDefaults(opt)
	x, err := m.explainFor(opt)
	if err != nil {
		return nil, err
	}
	batched := *m // the stream's passes run opt.Batch rows at a time
	batched.Batch = opt.Batch
	rows, train, err := p.rows(batched.lossRows, warn)
	if err != nil {
		return nil, err
	}
	s, err := m.newScoring(rows, opt, x)
	if err != nil {
		return nil, err
	}
	s.Scores = lossScores(rows, s.Kind)
	opt.Train = train
	return s, s.choose(opt, m.trainingScores(opt, func(d *data.Dataset) ([]float64, error) {
		d, err := m.ThresholdRows(d)
		if err != nil {
			return nil, err
		}
		return lossScores(d, s.Kind), nil
	}))
}

// readPart reads the rows of p whole, as ReadSplit reads them, and
// returns its part p.Split (refused where its width is not the model's)
// and the training rows.
func (m *Model) readPart(p Part, warn io.Writer) (rows, train *data.Dataset, err error) {
	train, test, err := readSplit(p.Spec, p.Open, p.Limit, p.TestLimit, warn)
	if err != nil {
		return nil, nil, err
	}
	rows = p.Split.Of(train, test)
	if rows.Cols != m.Net.Config.Input() {
		return nil, nil, fmt.Errorf("data %s has %d columns, model expects %d", p.Spec, rows.Cols, m.Net.Config.Input())
	}
	return rows, train, nil
}
