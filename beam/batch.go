package wgmlbeam

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wgml/wgml"
)

// batcher is the part of the Score and Encode DoFns that holds the model
// (loaded once per worker, in Setup) and gathers rows into batches. A batch
// is written as a CSV file in the header's columns and handed to the
// library, which reads it as it reads a whole file for `wgml score`: the
// same schema, missing-value policy and normalisation, so a row gets the
// same result in any batch.
type batcher struct {
	// Model is the checkpoint's path.
	Model string
	// Columns are the header of the batch files (Table.Columns).
	Columns []string
	// Sep is the field separator of the batch files.
	Sep string
	// Batch is the number of rows per batch.
	Batch int

	m    *wgml.Model
	path string // the batch file
	rows []Row  // the batch being gathered
}

func (b *batcher) Setup(ctx context.Context) error {
	var err error
	if b.m, err = loadModel(ctx, b.Model); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "wgml-beam-*")
	b.path = filepath.Join(dir, "batch.csv")
	return err
}

func (b *batcher) Teardown() error {
	return os.RemoveAll(filepath.Dir(b.path))
}

// add gathers r and reports whether the batch is full.
func (b *batcher) add(r Row) bool {
	b.rows = append(b.rows, r)
	return len(b.rows) >= b.Batch
}

// write writes rows as the batch file and returns the line each starts on.
func (b *batcher) write(rows []Row) ([]int, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma, _ = separator(b.Sep)
	w.Write(b.Columns)
	lines := make([]int, len(rows))
	for i, r := range rows {
		w.Flush()
		lines[i] = 1 + bytes.Count(buf.Bytes(), []byte{'\n'})
		w.Write(r.Fields)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return lines, os.WriteFile(b.path, buf.Bytes(), 0o600)
}

// tryBatch runs fn on the batch file of rows and passes the rows and its
// result to ok. When fn rejects a row (its error names the batch file's
// line), that row goes to dead with the reason and the rest are tried
// again; an error that names no row splits the batch in halves, down to
// single rows. So every row that fits the model gets its result and no
// row fails the job.
func tryBatch[R any](ctx context.Context, b *batcher, rows []Row, fn func(path string) (R, error), ok func([]Row, R), dead func(DeadLetter)) error {
	if len(rows) == 0 {
		return nil
	}
	lines, err := b.write(rows)
	if err != nil {
		return err
	}
	res, err := fn(b.path)
	if err == nil {
		ok(rows, res)
		return nil
	}
	i := b.culprit(err, lines)
	if i < 0 && len(rows) > 1 {
		h := len(rows) / 2
		if err := tryBatch(ctx, b, rows[:h], fn, ok, dead); err != nil {
			return err
		}
		return tryBatch(ctx, b, rows[h:], fn, ok, dead)
	}
	i = max(i, 0)
	deadLetters.Inc(ctx, 1)
	dead(deadLetter(rows[i], "%s", b.reason(err, rows[i], lines[i])))
	if err := tryBatch(ctx, b, rows[:i], fn, ok, dead); err != nil {
		return err
	}
	return tryBatch(ctx, b, rows[i+1:], fn, ok, dead)
}

// culprit returns the index of the row whose line err names in the batch
// file, or -1.
func (b *batcher) culprit(err error, lines []int) int {
	m := regexp.MustCompile(regexp.QuoteMeta(b.path) + `:(\d+)`).FindStringSubmatch(err.Error())
	if m == nil {
		return -1
	}
	line, _ := strconv.Atoi(m[1])
	i, found := slices.BinarySearch(lines, line)
	if !found {
		return -1
	}
	return i
}

// reason is err as said of row r (which starts on line of the batch file):
// the batch file's name and line become r's file and line.
func (b *batcher) reason(err error, r Row, line int) string {
	msg := strings.ReplaceAll(err.Error(), fmt.Sprintf("%s:%d", b.path, line), fmt.Sprintf("%s:%d", r.File, r.Line))
	msg = strings.ReplaceAll(msg, b.path, r.File)
	if !strings.Contains(msg, r.File) {
		msg = fmt.Sprintf("%s:%d: %s", r.File, r.Line, msg)
	}
	return msg
}
