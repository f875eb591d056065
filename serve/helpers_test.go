package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
)

// value is a counter's value.
func value(t testing.TB, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// planeRows draws n rows of 6 features near a 2-D plane.
func planeRows(rng *rand.Rand, n int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		out[i] = []float64{a, b, a + b, a - b, 2 * a, b / 2}
	}
	return out
}

// fitTable trains a small AE (or VAE) on rows of the plane and saves it;
// seed picks the rows and weights.
func fitTable(t testing.TB, dir, kind string, seed uint64) string {
	t.Helper()
	m, err := wgml.Fit(planeRows(rand.New(rand.NewPCG(seed, 1)), 200), wgml.Options{Model: kind, Layers: []int{4, 2}, Epochs: 3, Batch: 32, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, kind+strconv.FormatUint(seed, 10)+".safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// iris is a table with a categorical column and missing values.
const iris = "../testdata/iris_messy/iris.csv"

// fitIris trains a model of the iris table with masked missing values.
func fitIris(t testing.TB, dir string) string {
	t.Helper()
	m, _, err := wgml.FitFile(iris, data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}}, wgml.Options{Layers: []int{5, 2}, Epochs: 3, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "iris.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// newServer starts a Server on the model at path and an httptest server
// over its handler; both close with the test.
func newServer(t testing.TB, path string, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(path, nil, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	return s, hs
}

// rowsBody is the JSON body of rows.
func rowsBody(rows [][]float64) string {
	b, _ := json.Marshal(map[string]any{"rows": rows})
	return string(b)
}

// scoreAnswer is /v1/score's JSON answer.
type scoreAnswer struct {
	Scores      []float64    `json:"scores"`
	IsOutlier   []bool       `json:"is_outlier"`
	Probability []float64    `json:"probability"`
	Threshold   *float64     `json:"threshold"`
	Features    []string     `json:"features"`
	PerFeature  [][]*float64 `json:"per_feature"`
	Latent      [][]float64  `json:"latent"`
	Recon       [][]float64  `json:"reconstruction"`
	Fields      [][]string   `json:"fields"`
	Warnings    []string     `json:"warnings"`
	Error       string       `json:"error"`
}

// post sends body to url as contentType and decodes the answer.
func post(t testing.TB, client *http.Client, url, contentType, body string) (int, scoreAnswer) {
	t.Helper()
	resp, err := client.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var a scoreAnswer
	if err := json.Unmarshal(text, &a); err != nil {
		t.Fatalf("POST %s: answer %q is not JSON: %v", url, text, err)
	}
	if bytes.Count(bytes.TrimSpace(text), []byte("\n")) != 0 {
		t.Errorf("POST %s: answer of several lines: %q", url, text)
	}
	return resp.StatusCode, a
}

// mustScore posts rows to /v1/score and wants 200.
func mustScore(t testing.TB, client *http.Client, base string, rows [][]float64) scoreAnswer {
	t.Helper()
	code, a := post(t, client, base+"/v1/score", "application/json", rowsBody(rows))
	if code != http.StatusOK {
		t.Fatalf("POST /v1/score: %d %s", code, a.Error)
	}
	return a
}

// scoreRequest posts rows to /v1/score and wants 200 with a score per row
// (it may run outside the test's goroutine).
func scoreRequest(client *http.Client, base string, rows [][]float64) (scoreAnswer, error) {
	var a scoreAnswer
	resp, err := client.Post(base+"/v1/score", "application/json", strings.NewReader(rowsBody(rows)))
	if err != nil {
		return a, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return a, err
	}
	if resp.StatusCode != http.StatusOK || len(a.Scores) != len(rows) {
		return a, fmt.Errorf("status %d, %d scores for %d rows: %s", resp.StatusCode, len(a.Scores), len(rows), a.Error)
	}
	return a, nil
}
