package main

import (
	"io"

	lib "github.com/wgml/wgml"
)

// scoreStream is wgml score as a stream (lib.Model.ScoreStream, see
// streamCmd) with the model's threshold, or --threshold.
func (c *scoreCmd) scoreStream(out, errOut io.Writer) error {
	return c.st.run(out, errOut, lib.StreamOptions{}, func(m *lib.Model, spec string, w io.Writer, opt lib.StreamOptions) (int, error) {
		if c.given {
			m.Threshold = c.threshold
		}
		return m.ScoreStream(spec, w, opt)
	})
}
