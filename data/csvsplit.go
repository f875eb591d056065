package data

import (
	"bytes"
	"fmt"
)

// Field syntax errors, worded as encoding/csv words them.
var (
	errQuote     = "extraneous or missing \" in quoted-field"
	errBareQuote = "bare \" in non-quoted-field"
)

// syntaxError is a CSV syntax error at a 1-based line and byte column.
type syntaxError struct {
	line, col int
	what      string
}

// fieldSplitter splits the records of a CSV buffer into fields with the
// rules of encoding/csv (RFC 4180: quoted fields, "" for a quote inside
// one, CRLF or LF line ends, blank lines skipped), without a []string per
// record: fields are slices of the buffer, or of scratch where a quoted
// field had to be unescaped. Every record of the buffer must end in '\n'.
type fieldSplitter struct {
	sep         []byte // the separator's UTF-8 bytes
	trimLeading bool   // skip spaces and tabs before a field (encoding/csv's TrimLeadingSpace)
	fields      [][]byte
	scratch     []byte
}

// newFieldSplitter returns a splitter for separator sep.
func newFieldSplitter(sep rune) *fieldSplitter {
	return &fieldSplitter{sep: []byte(string(sep)), trimLeading: sep != '\t'}
}

// record splits the record that starts at b[pos], on line line, into
// s.fields (valid until the next call; none for a blank line). It returns
// the position after the record and the number of newlines it spans.
func (s *fieldSplitter) record(b []byte, pos, line int) (next, lines int, err *syntaxError) {
	s.fields, s.scratch = s.fields[:0], s.scratch[:0]
	if b[pos] == '\n' {
		return pos + 1, 1, nil
	}
	if b[pos] == '\r' && pos+1 < len(b) && b[pos+1] == '\n' {
		return pos + 2, 1, nil
	}
	lineStart := pos
	for {
		if s.trimLeading {
			for pos < len(b) && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\v' || b[pos] == '\f') {
				pos++
			}
		}
		var end bool
		if pos < len(b) && b[pos] == '"' {
			var nl int
			pos, nl, end, err = s.quoted(b, pos+1, &lineStart, line+lines)
			lines += nl
		} else {
			pos, end, err = s.plain(b, pos, lineStart, line+lines)
		}
		if err != nil {
			return 0, 0, err
		}
		if end {
			return pos, lines + 1, nil
		}
	}
}

// plain reads the unquoted field at b[pos:], up to a separator or the end
// of the line; end reports the end of the record.
func (s *fieldSplitter) plain(b []byte, pos, lineStart, line int) (next int, end bool, err *syntaxError) {
	start := pos
	if sep0 := s.sep[0]; len(s.sep) == 1 {
		for pos < len(b) && b[pos] != sep0 && b[pos] != '\n' {
			pos++
		}
	} else {
		for pos < len(b) && b[pos] != '\n' && (b[pos] != sep0 || !bytes.HasPrefix(b[pos:], s.sep)) {
			pos++
		}
	}
	f := b[start:pos]
	if q := bytes.IndexByte(f, '"'); q >= 0 {
		return 0, false, &syntaxError{line, start + q - lineStart + 1, errBareQuote}
	}
	if pos == len(b) || b[pos] == '\n' {
		if n := len(f); n > 0 && f[n-1] == '\r' {
			f = f[:n-1]
		}
		s.fields = append(s.fields, f)
		return pos + 1, true, nil
	}
	s.fields = append(s.fields, f)
	return pos + len(s.sep), false, nil
}

// quoted reads the quoted field whose text starts at b[pos:] (after the
// opening quote), unescaping "" and turning CRLF into LF; it moves
// *lineStart past the newlines inside the field.
func (s *fieldSplitter) quoted(b []byte, pos int, lineStart *int, line int) (next, lines int, end bool, err *syntaxError) {
	start := len(s.scratch)
	for {
		q := bytes.IndexByte(b[pos:], '"')
		if q < 0 {
			// No closing quote: encoding/csv reports the end of the last
			// line (the buffer ends in '\n'; the line holds it).
			lines += bytes.Count(b[pos:], []byte{'\n'})
			last := bytes.LastIndexByte(b[:len(b)-1], '\n') + 1
			return 0, 0, false, &syntaxError{line + lines - 1, len(b) - last + 1, errQuote}
		}
		seg := b[pos : pos+q]
		if k := bytes.LastIndexByte(seg, '\n'); k >= 0 {
			lines += bytes.Count(seg, []byte{'\n'})
			*lineStart = pos + k + 1
			s.scratch = append(s.scratch, bytes.ReplaceAll(seg, []byte("\r\n"), []byte("\n"))...)
		} else {
			s.scratch = append(s.scratch, seg...)
		}
		pos += q + 1
		switch {
		case pos < len(b) && b[pos] == '"': // "" is a quote
			s.scratch = append(s.scratch, '"')
			pos++
		case bytes.HasPrefix(b[pos:], s.sep):
			s.fields = append(s.fields, s.scratch[start:])
			return pos + len(s.sep), lines, false, nil
		case pos == len(b) || b[pos] == '\n':
			s.fields = append(s.fields, s.scratch[start:])
			return pos + 1, lines, true, nil
		case b[pos] == '\r' && pos+1 < len(b) && b[pos+1] == '\n':
			s.fields = append(s.fields, s.scratch[start:])
			return pos + 2, lines, true, nil
		default:
			return 0, 0, false, &syntaxError{line + lines, pos - *lineStart, errQuote}
		}
	}
}

// recordsEnd returns the length of the longest prefix of b that ends a
// record: just after its last newline outside quotes, tracking quotes from
// the start of b (which starts a record); 0 when there is none.
func recordsEnd(b []byte) int {
	if bytes.IndexByte(b, '"') < 0 {
		return bytes.LastIndexByte(b, '\n') + 1
	}
	cut, inQuote, pos := 0, false, 0
	for pos < len(b) {
		q := bytes.IndexByte(b[pos:], '"')
		seg := b[pos:]
		if q >= 0 {
			seg = b[pos : pos+q]
		}
		if !inQuote {
			if k := bytes.LastIndexByte(seg, '\n'); k >= 0 {
				cut = pos + k + 1
			}
		}
		if q < 0 {
			break
		}
		inQuote = !inQuote
		pos += q + 1
	}
	return cut
}

// String writes e as encoding/csv's ParseError does after the path.
func (e *syntaxError) String() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.what) }
