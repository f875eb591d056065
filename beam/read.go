package wgmlbeam

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.DoFn4x1[context.Context, string, func(Row), func(DeadLetter), error](&readFn{})
	register.Emitter1[Row]()
	register.Emitter1[DeadLetter]()
}

// CSVOptions say how OpenCSV reads a table.
type CSVOptions struct {
	// KeyCol names the key column (a header name): the segment of
	// TrainPerKey, the row id Score and Encode emit. "" for none: rows are
	// then known by file and position.
	KeyCol string
	// Sep is the field separator, one character or "tab"; "" is a comma.
	Sep string
}

// Table is a set of CSV files sharing one header row, found when the
// pipeline is built.
type Table struct {
	// Pattern is the glob the files matched.
	Pattern string
	// Files are the matching files, sorted.
	Files []string
	// Header is the files' header row, the key column included.
	Header []string
	// Key is the key column's index in Header, -1 for none.
	Key int
	// Sep is the field separator.
	Sep rune
}

// OpenCSV lists the files pattern matches (a glob, through Beam's
// filesystem layer) and reads the first one's header row: every file must
// start with the same header. It fails, at pipeline construction, when no
// file matches, the header is unreadable or the key column is not in it.
func OpenCSV(ctx context.Context, pattern string, opt CSVOptions) (*Table, error) {
	sep, err := separator(opt.Sep)
	if err != nil {
		return nil, err
	}
	fs, files, err := listFiles(ctx, pattern)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	t := &Table{Pattern: pattern, Files: files, Key: -1, Sep: sep}
	rc, err := fs.OpenRead(ctx, files[0])
	if err != nil {
		return nil, fmt.Errorf("data %s: %w", files[0], err)
	}
	defer rc.Close()
	if t.Header, err = readHeader(newCSVReader(rc, sep), files[0]); err != nil {
		return nil, err
	}
	if opt.KeyCol != "" {
		if t.Key = slices.Index(t.Header, opt.KeyCol); t.Key < 0 {
			return nil, fmt.Errorf("data %s: key column %q not in its header (%s)", files[0], opt.KeyCol, strings.Join(t.Header, ", "))
		}
	}
	return t, nil
}

// Columns returns the header without the key column: the columns of
// Row.Fields.
func (t *Table) Columns() []string {
	if t.Key < 0 {
		return t.Header
	}
	return slices.Delete(slices.Clone(t.Header), t.Key, t.Key+1)
}

// Read reads every row of t's files, and spreads them over the workers
// (each file is read whole by one worker). Rows that cannot be parsed or
// have the wrong number of fields, and every row of a file whose header
// differs from t.Header, go to dead with file and line.
func (t *Table) Read(s beam.Scope) (rows, dead beam.PCollection) {
	s = s.Scope("wgml.ReadCSV")
	files := beam.CreateList(s, t.Files)
	rows, dead = beam.ParDo2(s, &readFn{Header: t.Header, Key: t.Key, Sep: string(t.Sep)}, files)
	return reshuffleRows(s, rows), dead
}

// readFn reads the rows of one CSV file.
type readFn struct {
	Header []string
	Key    int
	Sep    string
}

func (f *readFn) ProcessElement(ctx context.Context, file string, emit func(Row), dead func(DeadLetter)) error {
	fs, err := filesystem.New(ctx, file)
	if err != nil {
		return err
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, file)
	if err != nil {
		return fmt.Errorf("data %s: %w", file, err)
	}
	defer rc.Close()
	sep, _ := utf8.DecodeRuneInString(f.Sep)
	r := newCSVReader(rc, sep)
	header, err := readHeader(r, file)
	if err != nil || !slices.Equal(header, f.Header) {
		if err == nil {
			err = fmt.Errorf("%s:1: header %s differs from the first file's %s", file, strings.Join(header, ","), strings.Join(f.Header, ","))
		}
		deadLetters.Inc(ctx, 1)
		dead(DeadLetter{File: file, Line: 1, Pos: -1, Reason: err.Error() + "; the file is skipped"})
		return nil
	}
	for pos := int64(0); ; pos++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		row := Row{File: file, Line: int64(line), Pos: pos}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			row.Line = int64(pe.StartLine)
			deadLetters.Inc(ctx, 1)
			dead(deadLetter(row, "%s:%d: %v", file, pe.Line, pe.Err))
		case err != nil:
			return fmt.Errorf("data %s: %w", file, err)
		case len(rec) != len(f.Header):
			deadLetters.Inc(ctx, 1)
			dead(deadLetter(row, "%s:%d: %d fields, want %d", file, line, len(rec), len(f.Header)))
		default:
			if f.Key >= 0 {
				row.Key = strings.TrimSpace(rec[f.Key])
				rec = slices.Delete(rec, f.Key, f.Key+1)
			}
			row.Fields = rec
			emit(row)
		}
	}
}

// newCSVReader reads records separated by sep as wgml's CSV reader does
// (ragged rows allowed, leading spaces trimmed but in tab files).
func newCSVReader(r io.Reader, sep rune) *csv.Reader {
	c := csv.NewReader(bufio.NewReaderSize(r, 1<<20))
	c.Comma = sep
	c.FieldsPerRecord = -1
	c.TrimLeadingSpace = sep != '\t'
	return c
}

// readHeader reads the header row of file (a UTF-8 byte order mark
// dropped, names trimmed).
func readHeader(r *csv.Reader, file string) ([]string, error) {
	h, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("data %s: empty file, want a header row", file)
	} else if err != nil {
		return nil, fmt.Errorf("data %s: header: %w", file, err)
	}
	h[0] = strings.TrimPrefix(h[0], "\ufeff")
	for i := range h {
		h[i] = strings.TrimSpace(h[i])
	}
	return h, nil
}

// separator parses CSVOptions.Sep.
func separator(spec string) (rune, error) {
	switch spec {
	case "":
		return ',', nil
	case "tab", `\t`:
		return '\t', nil
	}
	r, n := utf8.DecodeRuneInString(spec)
	if n != len(spec) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
		return 0, fmt.Errorf("sep %q: want one character, e.g. , ; | or tab", spec)
	}
	return r, nil
}
