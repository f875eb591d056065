package serve

import (
	"io"
	"sync"

	"github.com/wgml/wgml"
)

// decodeCSV reads a text/csv body as a table of new rows, with the model's
// schema and missing-value policy (wgml.Model.ReadCSVFrom, as wgml score
// reads a file), straight from the body; errors and warnings name it
// "body". The CSV reader reads ahead on goroutines of its own, which may
// still be reading when an error stops it: the body is handed in behind a
// stoppable reader, stopped before decodeCSV returns, so that nothing
// reads it once the handler is done.
func decodeCSV(body io.Reader, m *wgml.Model) (*request, error) {
	r := &stoppable{r: body}
	defer r.stop()
	d, err := m.ReadCSVFrom("body", r)
	if err != nil {
		return nil, err
	}
	d.Name = "body"
	return &request{rows: d}, nil
}

// stoppable reads r until stop, which waits for a Read in flight; a Read
// after stop reads nothing.
type stoppable struct {
	mu      sync.Mutex
	r       io.Reader
	stopped bool
}

func (s *stoppable) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return 0, io.ErrClosedPipe
	}
	return s.r.Read(p)
}

func (s *stoppable) stop() {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
}
