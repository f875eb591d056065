package serve

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// httpError is an answer other than 200: its status and a one-line
// message naming what is wrong and where.
type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func httpErrorf(code int, format string, args ...any) error {
	return &httpError{code: code, msg: fmt.Sprintf(format, args...)}
}

// writeError answers err as {"error": "..."} with its status (500 for an
// error that carries none).
func writeError(w http.ResponseWriter, err error) int {
	code := http.StatusInternalServerError
	if he, ok := err.(*httpError); ok {
		code = he.code
	}
	o := object{}
	o.field("error")
	o.b = appendJSON(o.b, err.Error())
	write(w, code, o.close())
	return code
}

// write sends a JSON body with status code.
func write(w http.ResponseWriter, code int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	w.Write(body)
}

// object builds a JSON object field by field; numbers go straight to text
// (a non-finite one as null, e.g. the error of a missing value).
type object struct {
	b []byte
	n int
}

// field starts the field name (a plain ASCII name).
func (o *object) field(name string) {
	if o.n == 0 {
		o.b = append(o.b, '{')
	} else {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = append(append(append(o.b, '"'), name...), '"', ':')
}

// close ends the object and returns its text, with a newline.
func (o *object) close() []byte {
	if o.n == 0 {
		o.b = append(o.b, '{')
	}
	return append(o.b, '}', '\n')
}

func appendNum(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// appendList appends v as a JSON array, each element by elem.
func appendList[T any](b []byte, v []T, elem func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, x)
	}
	return append(b, ']')
}

func appendNums(b []byte, v []float64) []byte      { return appendList(b, v, appendNum) }
func appendRows(b []byte, rows [][]float64) []byte { return appendList(b, rows, appendNums) }
func appendBools(b []byte, v []bool) []byte        { return appendList(b, v, strconv.AppendBool) }

// appendJSON appends v as encoding/json writes it (strings, names, the
// schema), or null where it has no JSON form.
func appendJSON(b []byte, v any) []byte {
	text, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, text...)
}
