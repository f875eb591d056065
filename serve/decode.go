package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/wgml/wgml/data"
)

// request is a decoded body: the rows and whether the client asked for
// per-feature errors.
type request struct {
	rows       *data.Dataset
	perFeature bool
}

// decodeJSON reads a body {"rows": [[x, ...], ...], "per_feature": bool}
// of rows of width numbers each. Every mistake is a one-line error naming
// where it is: the row and column, the field, or the byte of malformed
// JSON. encoding/json checks the body and splits it into rows; each row,
// valid JSON by then, is scanned for its numbers here (the decoder's
// Token API took 4 times longer on a 784-value row).
func decodeJSON(r io.Reader, width int) (*request, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, err // the body limit, or the connection
	}
	var msg struct {
		Rows       []json.RawMessage `json:"rows"`
		PerFeature bool              `json:"per_feature"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&msg); err != nil {
		return nil, jsonError(err, dec)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("malformed JSON at byte %d: more after the object", dec.InputOffset())
	}
	switch {
	case msg.Rows == nil:
		return nil, errors.New(`no "rows" field: want {"rows": [[...], ...]}`)
	case len(msg.Rows) == 0:
		return nil, errors.New(`"rows" is empty: send at least one row`)
	}
	d := &data.Dataset{Name: "rows", Rows: len(msg.Rows), Cols: width, Floats: make([]float32, 0, len(msg.Rows)*width)}
	for i, row := range msg.Rows {
		if d.Floats, err = appendRow(d.Floats, row, width); err != nil {
			return nil, fmt.Errorf("row %d%w", i, err)
		}
	}
	return &request{rows: d, perFeature: msg.PerFeature}, nil
}

// appendRow appends the width numbers of row, a valid JSON value, to dst.
// Its errors start with ", column j: " or ": " to follow the row number.
func appendRow(dst []float32, row []byte, width int) ([]float32, error) {
	row = bytes.TrimSpace(row)
	if row[0] != '[' {
		return nil, fmt.Errorf(": want an array of numbers, got %s", describe(row))
	}
	rest := bytes.TrimLeft(row[1:], " \t\r\n")
	n := 0
	for ; rest[0] != ']'; n++ {
		end := valueEnd(rest)
		v, err := number(rest[:end])
		if err != nil {
			return nil, fmt.Errorf(", column %d: %w", n, err)
		}
		if n < width {
			dst = append(dst, v)
		}
		rest = bytes.TrimLeft(rest[end:], " \t\r\n")
		if rest[0] == ',' {
			rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		}
	}
	if n != width {
		return nil, fmt.Errorf(": %d values, the model takes %d", n, width)
	}
	return dst, nil
}

// valueEnd is the length of the JSON value that v (valid JSON) starts
// with.
func valueEnd(v []byte) int {
	if c := v[0]; c == '-' || c >= '0' && c <= '9' { // a number: up to its delimiter
		return max(bytes.IndexAny(v, ", \t\r\n]"), 1)
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	var raw json.RawMessage
	dec.Decode(&raw) // a string, literal, object or array
	return int(dec.InputOffset())
}

// number is a JSON value as a finite float32: float32 of the float64 it
// reads as, as the library converts rows of float64 (Model.Score).
func number(v []byte) (float32, error) {
	if c := v[0]; c != '-' && (c < '0' || c > '9') {
		return 0, fmt.Errorf("%s is not a number", describe(v))
	}
	x, err := strconv.ParseFloat(string(v), 64)
	if f := float32(x); err == nil && !math.IsInf(float64(f), 0) {
		return f, nil
	}
	return 0, fmt.Errorf("%s is not a finite float32", v)
}

// describe names a JSON value in an error.
func describe(v []byte) string {
	switch v[0] {
	case 'n':
		return "null (a missing value: send CSV, read with the model's missing-value policy)"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	if len(v) > 40 {
		return string(v[:40]) + "…"
	}
	return string(v)
}

// jsonError words an encoding/json error: where the JSON broke, which
// field has the wrong type, or the unknown field.
func jsonError(err error, dec *json.Decoder) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case err == io.EOF:
		return errors.New(`the body is empty: want {"rows": [[...], ...]}`)
	case err == io.ErrUnexpectedEOF:
		return fmt.Errorf("malformed JSON: the body ends at byte %d, inside the value", dec.InputOffset())
	case errors.As(err, &se):
		return fmt.Errorf("malformed JSON at byte %d: %v", dec.InputOffset()+se.Offset-1, err) // Offset counts the bad byte
	case errors.As(err, &te) && te.Field == "":
		return fmt.Errorf(`the body: want a JSON object {"rows": [[...], ...]}, got %s`, article(te.Value))
	case errors.As(err, &te) && te.Field == "rows":
		return fmt.Errorf(`"rows": want an array of rows, got %s`, article(te.Value))
	case errors.As(err, &te):
		return fmt.Errorf("%q: want true or false, got %s", te.Field, article(te.Value))
	}
	return fmt.Errorf("%v: want \"rows\" and optionally \"per_feature\"", err) // json: unknown field "x"
}

// article puts "a" or "an" before a JSON kind.
func article(kind string) string {
	if kind == "" {
		return kind
	}
	switch kind[0] {
	case 'a', 'o':
		return "an " + kind
	}
	return "a " + kind
}
