package serve

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/wgml/wgml"
)

// op is what a rows endpoint computes.
type op int

const (
	opScore       op = iota // scores, is_outlier, probability [, per-feature errors]
	opEncode                // latent codes
	opReconstruct           // reconstructions in data units
)

// handler answers a request and returns the rows it served, or an error
// that instrument writes as the answer.
type handler func(w http.ResponseWriter, r *http.Request) (rows int, err error)

// Handler routes the service's endpoints (see the package comment).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v1/score", s.instrument("score", s.rows(opScore)))
	mux.Handle("/v1/encode", s.instrument("encode", s.rows(opEncode)))
	mux.Handle("/v1/reconstruct", s.instrument("reconstruct", s.rows(opReconstruct)))
	mux.Handle("/v1/model", s.instrument("model", get(s.card)))
	mux.Handle("/healthz", s.instrument("healthz", get(s.health)))
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	mux.Handle("/", s.instrument("other", func(w http.ResponseWriter, r *http.Request) (int, error) {
		return 0, httpErrorf(http.StatusNotFound, "%s: no such endpoint (POST /v1/score, /v1/encode, /v1/reconstruct; GET /v1/model, /healthz, /metrics)", r.URL.Path)
	}))
	return mux
}

// instrument answers h's error as JSON and counts the request, its rows,
// its latency and its errors under name.
func (s *Server) instrument(name string, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rows, err := h(w, r)
		code := http.StatusOK
		if err != nil {
			code = writeError(w, err)
			s.metrics.errors.WithLabelValues(name, strconv.Itoa(code)).Inc()
			if code >= 500 {
				s.log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
			}
		}
		s.metrics.requests.WithLabelValues(name, strconv.Itoa(code)).Inc()
		s.metrics.latency.WithLabelValues(name).Observe(time.Since(start).Seconds())
		s.metrics.rows.WithLabelValues(name).Add(float64(rows))
	})
}

// get answers GET requests with body().
func get(body func() ([]byte, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) (int, error) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			return 0, httpErrorf(http.StatusMethodNotAllowed, "%s %s: want GET", r.Method, r.URL.Path)
		}
		b, err := body()
		if err == nil {
			write(w, http.StatusOK, b)
		}
		return 0, err
	}
}

// rows answers POST requests of rows with what op computes.
func (s *Server) rows(op op) handler {
	return func(w http.ResponseWriter, r *http.Request) (int, error) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			return 0, httpErrorf(http.StatusMethodNotAllowed, "%s %s: want POST with rows", r.Method, r.URL.Path)
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
		defer cancel()
		req, err := s.decode(w, r)
		if err != nil {
			return 0, err
		}
		switch {
		case req.perFeature && op != opScore:
			return 0, httpErrorf(http.StatusBadRequest, "per_feature: only /v1/score reports per-feature errors")
		case req.perFeature && s.model.Load().FeatureColumns() == nil:
			return 0, httpErrorf(http.StatusBadRequest, "per_feature: %v", wgml.ErrNoFeatureNames)
		}
		want := wgml.Outputs{FeatureErrors: req.perFeature, Latent: op == opEncode, Reconstruction: op == opReconstruct}
		inf, m, err := s.submit(ctx, req.rows, want)
		if err != nil {
			return 0, err
		}
		write(w, http.StatusOK, answerBody(op, inf, m, req))
		return req.rows.Rows, nil
	}
}

// decode reads a request's rows by its content type, within the body
// limit, against the current model's width.
func (s *Server) decode(w http.ResponseWriter, r *http.Request) (*request, error) {
	m := s.model.Load()
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	ct := r.Header.Get("Content-Type")
	media, _, _ := mime.ParseMediaType(ct)
	var req *request
	var err error
	switch media {
	case "application/json":
		req, err = decodeJSON(body, m.Net.Config.Input())
	case "text/csv":
		req, err = decodeCSV(body, m)
	default:
		return nil, httpErrorf(http.StatusUnsupportedMediaType, "content type %q: want application/json or text/csv", ct)
	}
	var tooBig *http.MaxBytesError
	var he *httpError
	switch {
	case errors.As(err, &tooBig):
		return nil, httpErrorf(http.StatusRequestEntityTooLarge, "the body is larger than the limit of %d bytes (--max-body)", tooBig.Limit)
	case errors.As(err, &he):
		return nil, err
	case err != nil:
		return nil, httpErrorf(http.StatusBadRequest, "%v", err)
	}
	switch q := r.URL.Query().Get("per_feature"); q {
	case "", "0", "false":
	case "1", "true":
		req.perFeature = true
	default:
		return nil, httpErrorf(http.StatusBadRequest, "per_feature=%q: want 1 or 0", q)
	}
	return req, nil
}

// answerBody is the JSON answer of op for a request's rows.
func answerBody(op op, inf *wgml.Inference, m *wgml.Model, req *request) []byte {
	o := object{}
	switch op {
	case opScore:
		flags, _ := wgml.Outliers(inf.Scores, m.Threshold)
		prob := make([]float64, len(inf.Scores))
		for i, v := range inf.Scores {
			prob[i] = m.Scaler.Probability(v)
		}
		o.field("scores")
		o.b = appendNums(o.b, inf.Scores)
		o.field("is_outlier")
		o.b = appendBools(o.b, flags)
		o.field("probability")
		o.b = appendNums(o.b, prob)
		o.field("threshold")
		o.b = appendNum(o.b, m.Threshold)
		if inf.FeatureErrors != nil {
			o.field("features")
			o.b = appendJSON(o.b, m.FeatureColumns())
			o.field("per_feature")
			o.b = appendRows(o.b, inf.FeatureErrors)
		}
	case opEncode:
		o.field("latent")
		o.b = appendRows(o.b, inf.Latent)
	case opReconstruct:
		o.field("reconstruction")
		o.b = appendRows(o.b, inf.Reconstruction)
		if m.Schema != nil && m.Schema.Width() == len(inf.Reconstruction[0]) {
			fields := make([][]string, len(inf.Reconstruction))
			for i, row := range inf.Reconstruction {
				fields[i] = m.Schema.Decode(float32s(row))
			}
			o.field("fields")
			o.b = appendJSON(o.b, fields)
		}
	}
	if req.rows.Warnings != nil {
		o.field("warnings")
		o.b = appendJSON(o.b, req.rows.Warnings)
	}
	return o.close()
}

func float32s(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
