package bench

import (
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// StreamData opens the .npy at path as a stream read from disk as the
// trainer goes (nn.Source.Stream), normalised as Data normalises rows in
// memory: pixels as they are, tables z-scored (fitted in one pass).
func StreamData(path string) (nn.Source, string, error) {
	s, err := data.OpenNPYStream(path)
	if err != nil {
		return nn.Source{}, "", err
	}
	kind := "zscore"
	if s.Pixels() {
		kind = "none"
	}
	if s.Normalize, err = s.FitNormalizer(kind); err != nil {
		s.Close()
		return nn.Source{}, "", err
	}
	return nn.Source{Rows: s.Rows, Cols: s.Cols, Stream: s}, path + " (streamed)", nil
}
