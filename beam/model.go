package wgmlbeam

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/wgml/wgml"
)

// Model is a wgml checkpoint, loaded once when the pipeline is built to
// check it; Score and Encode load it again once per worker (DoFn Setup).
type Model struct {
	// Path is the checkpoint (a local path, or gs://, s3://...).
	Path string
	// Latent is the width of its latent codes.
	Latent int
	// Columns are the table columns it was trained on (nil when it was
	// not trained on a table by FitFile or wgml train).
	Columns []string
}

// OpenModel loads the checkpoint at path to check it. A missing or
// unreadable checkpoint fails here, at pipeline construction, with one
// line.
func OpenModel(ctx context.Context, path string) (*Model, error) {
	m, err := loadModel(ctx, path)
	if err != nil {
		return nil, err
	}
	out := &Model{Path: path, Latent: m.Net.Config.Latent()}
	if m.Schema != nil {
		out.Columns = m.Schema.Names()
	}
	return out, nil
}

// loadModel loads the checkpoint at path on the CPU backend.
func loadModel(ctx context.Context, path string) (*wgml.Model, error) {
	local, done, err := localCopy(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	defer done()
	m, err := wgml.Load(local, nil)
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), local, path)
		if !strings.Contains(msg, path) {
			msg = path + ": " + msg
		}
		return nil, fmt.Errorf("model %s", msg)
	}
	return m, nil
}

// checkColumns fails when t lacks a column m was trained on: then no row
// of t could be scored.
func (m *Model) checkColumns(t *Table) error {
	cols := t.Columns()
	for _, c := range m.Columns {
		if !slices.Contains(cols, c) {
			return fmt.Errorf("data %s: no column %q, which model %s was trained on (its columns: %s)", t.Pattern, c, m.Path, strings.Join(m.Columns, ", "))
		}
	}
	return nil
}
