package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
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
// where it is: the row and column, or the byte of malformed JSON.
func decodeJSON(r io.Reader, width int) (*request, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := expectDelim(dec, '{', "the body: want a JSON object {\"rows\": [[...], ...]}"); err != nil {
		return nil, err
	}
	req := &request{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(dec, err)
		}
		switch key, _ := tok.(string); key {
		case "rows":
			if req.rows != nil {
				return nil, fmt.Errorf("\"rows\" given twice")
			}
			if req.rows, err = decodeRows(dec, width); err != nil {
				return nil, err
			}
		case "per_feature":
			tok, err := dec.Token()
			if err != nil {
				return nil, syntaxError(dec, err)
			}
			b, ok := tok.(bool)
			if !ok {
				return nil, fmt.Errorf("\"per_feature\": %s, want true or false", describe(tok))
			}
			req.perFeature = b
		default:
			return nil, fmt.Errorf("unknown field %q: want \"rows\" and optionally \"per_feature\"", key)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, syntaxError(dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, fmt.Errorf("malformed JSON at byte %d: more after the object", dec.InputOffset())
		}
		return nil, syntaxError(dec, err)
	}
	if req.rows == nil {
		return nil, fmt.Errorf("no \"rows\" field: want {\"rows\": [[...], ...]}")
	}
	return req, nil
}

// decodeRows reads the array of rows into a data set of width columns.
func decodeRows(dec *json.Decoder, width int) (*data.Dataset, error) {
	if err := expectDelim(dec, '[', "\"rows\": want an array of rows"); err != nil {
		return nil, err
	}
	d := &data.Dataset{Name: "rows", Cols: width}
	for ; dec.More(); d.Rows++ {
		if err := expectDelim(dec, '[', fmt.Sprintf("row %d: want an array of numbers", d.Rows)); err != nil {
			return nil, err
		}
		n := 0
		for ; dec.More(); n++ {
			tok, err := dec.Token()
			if err != nil {
				return nil, syntaxError(dec, err)
			}
			v, err := number(tok)
			if err != nil {
				return nil, fmt.Errorf("row %d, column %d: %w", d.Rows, n, err)
			}
			if n < width {
				d.Floats = append(d.Floats, v)
			}
		}
		if _, err := dec.Token(); err != nil { // the row's closing bracket
			return nil, syntaxError(dec, err)
		}
		if n != width {
			return nil, fmt.Errorf("row %d: %d values, the model takes %d", d.Rows, n, width)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(dec, err)
	}
	if d.Rows == 0 {
		return nil, fmt.Errorf("\"rows\" is empty: send at least one row")
	}
	return d, nil
}

// number is a JSON token as a finite float32: float32 of the float64 it
// reads as, as the library converts rows of float64 (Model.Score).
func number(tok json.Token) (float32, error) {
	num, ok := tok.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%s is not a number", describe(tok))
	}
	v, err := strconv.ParseFloat(string(num), 64)
	if f := float32(v); err == nil && !math.IsInf(float64(f), 0) {
		return f, nil
	}
	return 0, fmt.Errorf("%s is not a finite float32", num)
}

// describe names a JSON token in an error.
func describe(tok json.Token) string {
	switch t := tok.(type) {
	case nil:
		return "null (a missing value: send CSV, read with the model's missing-value policy)"
	case string:
		return strconv.Quote(t)
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return "an array"
	}
	return fmt.Sprint(tok)
}

// expectDelim reads the next token and checks it opens an object or array.
func expectDelim(dec *json.Decoder, want json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%s, got %s", what, describe(tok))
	}
	return nil
}

// syntaxError words a decoder error: where the JSON broke, or the body
// limit it ran into.
func syntaxError(dec *json.Decoder, err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return err
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return fmt.Errorf("malformed JSON: the body ends at byte %d, inside the value", dec.InputOffset())
	}
	// The decoder's offset: a SyntaxError's Offset can count from the
	// start of the value being read.
	return fmt.Errorf("malformed JSON at byte %d: %v", dec.InputOffset(), err)
}
