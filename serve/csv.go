package serve

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/wgml/wgml"
)

// decodeCSV reads a text/csv body as a table file of new rows, with the
// model's schema and missing-value policy (wgml.Model.ReadCSV, as wgml score
// reads a file). The body passes through a file in the server's private
// folder, which the reader takes; errors and warnings name it "body".
func (s *Server) decodeCSV(body io.Reader, m *wgml.Model) (*request, error) {
	f, err := os.CreateTemp(s.tmp, "body-*.csv")
	if err != nil {
		return nil, httpErrorf(http.StatusInternalServerError, "body: %v", err)
	}
	path := f.Name()
	defer os.Remove(path)
	_, err = io.Copy(f, body)
	if cerr := f.Close(); cerr != nil {
		return nil, httpErrorf(http.StatusInternalServerError, "body: %v", cerr)
	}
	if err != nil {
		return nil, err
	}
	d, err := m.ReadCSV(path)
	if err != nil {
		return nil, errors.New(strings.ReplaceAll(err.Error(), path, "body"))
	}
	for i, w := range d.Warnings {
		d.Warnings[i] = strings.ReplaceAll(w, path, "body")
	}
	d.Name = "body"
	return &request{rows: d}, nil
}
