package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wgml/wgml"
)

// TestConcurrentClients: 8 clients × 200 requests of 1 to 4 rows each get
// no error and exactly the library's scores, flags and probabilities for
// their rows, whatever batches their rows shared.
func TestConcurrentClients(t *testing.T) {
	const clients, requests = 8, 200
	path := fitTable(t, t.TempDir(), "vae", 1)
	s, hs := newServer(t, path, Config{MaxBatch: 16, MaxWait: time.Millisecond})
	m, err := wgml.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	pool := planeRows(rand.New(rand.NewPCG(9, 9)), 64)
	want, err := m.Score(pool)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			for range requests {
				first := rng.IntN(len(pool) - 4)
				n := 1 + rng.IntN(4)
				if err := checkScores(hs.Client(), hs.URL, pool[first:first+n], want[first:first+n], m); err != nil {
					errs <- fmt.Errorf("client %d: %w", c, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := value(t, s.metrics.requests.WithLabelValues("score", "200"))
	batches := value(t, s.metrics.batches)
	if n != clients*requests {
		t.Errorf("%v requests counted as answered, want %d", n, clients*requests)
	}
	t.Logf("%v requests in %v backend passes", n, batches)
}

// checkScores posts rows and compares the answer with the library's.
func checkScores(client *http.Client, base string, rows [][]float64, want []float64, m *wgml.Model) error {
	a, err := scoreRequest(client, base, rows)
	if err != nil {
		return err
	}
	for i, sc := range a.Scores {
		if sc != want[i] || a.IsOutlier[i] != (want[i] > m.Threshold) || a.Probability[i] != m.Scaler.Probability(want[i]) {
			return fmt.Errorf("row %d: score %v outlier %v probability %v, the library says %v %v %v",
				i, sc, a.IsOutlier[i], a.Probability[i], want[i], want[i] > m.Threshold, m.Scaler.Probability(want[i]))
		}
	}
	return nil
}

// TestMicroBatching: requests that wait together run in one backend pass
// (the batch fills at MaxBatch rows long before the generous MaxWait).
func TestMicroBatching(t *testing.T) {
	const n = 8
	s, hs := newServer(t, fitTable(t, t.TempDir(), "ae", 2), Config{MaxBatch: n, MaxWait: time.Minute})
	rows := planeRows(rand.New(rand.NewPCG(3, 3)), n)
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Go(func() {
			resp, err := hs.Client().Post(hs.URL+"/v1/score", "application/json", strings.NewReader(rowsBody(rows[i:i+1])))
			if err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("request %d: status %d", i, c)
		}
	}
	if b := value(t, s.metrics.batches); b != 1 {
		t.Errorf("%d single-row requests ran in %v backend passes, want 1", n, b)
	}
	if got := value(t, s.metrics.rows.WithLabelValues("score")); got != n {
		t.Errorf("%v rows counted, want %d", got, n)
	}
}

// TestEndpoints: encode and reconstruct answer the library's latent codes
// and reconstructions; the model card, health and metrics answer.
func TestEndpoints(t *testing.T) {
	path := fitTable(t, t.TempDir(), "vae", 4)
	_, hs := newServer(t, path, Config{})
	m, err := wgml.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := planeRows(rand.New(rand.NewPCG(5, 5)), 5)
	codes, err := m.Encode(rows)
	if err != nil {
		t.Fatal(err)
	}
	recon, err := m.Denoise(rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		endpoint string
		got      func(a scoreAnswer) [][]float64
		want     [][]float64
	}{{"encode", func(a scoreAnswer) [][]float64 { return a.Latent }, codes}, {"reconstruct", func(a scoreAnswer) [][]float64 { return a.Recon }, recon}} {
		code, a := post(t, hs.Client(), hs.URL+"/v1/"+c.endpoint, "application/json", rowsBody(rows))
		if code != http.StatusOK || fmt.Sprint(c.got(a)) != fmt.Sprint(c.want) {
			t.Errorf("/v1/%s: %d %v, want %v", c.endpoint, code, c.got(a), c.want)
		}
	}
	for path, want := range map[string]string{"/v1/model": `"kind":"vae","layers":[6,4,2]`, "/healthz": `"status":"ok"`,
		"/metrics": `wgml_serve_requests_total{code="200",endpoint="encode"} 1`} {
		resp, err := hs.Client().Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %s, want %s", path, resp.StatusCode, body, want)
		}
	}
}

// TestCSVBody: a CSV body of the iris table is read with the model's
// schema (its category column and missing values): the scores equal
// ScoreFile's of the same file, the per-feature errors name the original
// columns with null for a missing value, and reconstructions decode the
// category.
func TestCSVBody(t *testing.T) {
	path := fitIris(t, t.TempDir())
	_, hs := newServer(t, path, Config{})
	m, err := wgml.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := m.ScoreFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	code, a := post(t, hs.Client(), hs.URL+"/v1/score?per_feature=1", "text/csv", string(text))
	if code != http.StatusOK || len(a.Scores) != len(want) {
		t.Fatalf("status %d, %d scores, want %d: %s", code, len(a.Scores), len(want), a.Error)
	}
	for i := range want {
		if a.Scores[i] != want[i] {
			t.Fatalf("row %d: score %v, ScoreFile says %v", i, a.Scores[i], want[i])
		}
	}
	if fmt.Sprint(a.Features) != "[sepal_length sepal_width petal_length petal_width species]" {
		t.Errorf("features %v", a.Features)
	}
	if a.PerFeature[0][0] != nil || a.PerFeature[0][1] == nil { // row 0 lacks its sepal_length
		t.Errorf("row 0's per-feature errors %v: want null for the missing sepal_length only", a.PerFeature[0])
	}
	resp, err := hs.Client().Get(hs.URL + "/v1/model")
	if err != nil {
		t.Fatal(err)
	}
	card, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `"columns":["sepal_length","sepal_width","petal_length","petal_width","species=setosa","species=versicolor","species=virginica"]`; !strings.Contains(string(card), want) {
		t.Errorf("/v1/model: %s, want %s", card, want)
	}
	code, a = post(t, hs.Client(), hs.URL+"/v1/reconstruct", "text/csv; charset=utf-8", "sepal_length;sepal_width;petal_length;petal_width;species\n5.1;3.5;1.4;0.2;setosa\n")
	if code != http.StatusOK || len(a.Fields) != 1 || len(a.Fields[0]) != 5 {
		t.Fatalf("reconstruct: %d %v %s", code, a.Fields, a.Error)
	}
	code, a = post(t, hs.Client(), hs.URL+"/v1/score", "text/csv", "sepal_length;sepal_width;petal_length;petal_width;species\n5.1;3.5;1.4;0.2;tulip\n")
	if code != http.StatusOK || len(a.Warnings) != 1 || !strings.HasPrefix(a.Warnings[0], `body: column "species"`) {
		t.Errorf("an unseen category: %d, warnings %q, want one naming the body's species column", code, a.Warnings)
	}
}

// TestBadRequests: each bad request gets its 4xx and a one-line JSON error
// naming what and where; the next good request is answered.
func TestBadRequests(t *testing.T) {
	dir := t.TempDir()
	_, hs := newServer(t, fitTable(t, dir, "ae", 5), Config{MaxBody: 4096})
	_, irisHS := newServer(t, fitIris(t, dir), Config{})
	good := planeRows(rand.New(rand.NewPCG(6, 6)), 2)
	const header = "sepal_length;sepal_width;petal_length;petal_width;species\n"
	for _, c := range []struct {
		name, url, method, ctype, body string
		code                           int
		msg                            string
	}{
		{"malformed JSON", "/v1/score", "POST", "application/json", `{"rows": [[1,2,3,4,5,6]`, 400, "malformed JSON"},
		{"syntax error", "/v1/score", "POST", "application/json", `{"rows": [[1,2,3,4,5,6],]}`, 400, "malformed JSON at byte"},
		{"wrong width", "/v1/score", "POST", "application/json", `{"rows": [[1,2,3,4,5,6],[1,2,3,4,5,6],[1,2,3,4,5,6],[1,2,3,4,5,6,7]]}`, 400, "row 3: 7 values, the model takes 6"},
		{"NaN", "/v1/score", "POST", "application/json", `{"rows": [[1,2,NaN,4,5,6]]}`, 400, "malformed JSON at byte 15"},
		{"NaN as text", "/v1/encode", "POST", "application/json", `{"rows": [[1,2,"NaN",4,5,6]]}`, 400, `row 0, column 2: "NaN" is not a number`},
		{"Inf", "/v1/score", "POST", "application/json", `{"rows": [[1,2,3,4,5,6],[1,2,3,4,5,1e39]]}`, 400, "row 1, column 5: 1e39 is not a finite float32"},
		{"text", "/v1/reconstruct", "POST", "application/json", `{"rows": [[1,2,3,"abc",5,6]]}`, 400, `row 0, column 3: "abc" is not a number`},
		{"null", "/v1/score", "POST", "application/json", `{"rows": [[1,2,3,null,5,6]]}`, 400, "row 0, column 3: null"},
		{"a row not an array", "/v1/score", "POST", "application/json", `{"rows": [{"a": 1}]}`, 400, "row 0: want an array of numbers, got an object"},
		{"empty rows", "/v1/score", "POST", "application/json", `{"rows": []}`, 400, `"rows" is empty`},
		{"no rows", "/v1/score", "POST", "application/json", `{"per_feature": true}`, 400, `no "rows" field`},
		{"unknown field", "/v1/score", "POST", "application/json", `{"rows": [[1,2,3,4,5,6]], "row": 1}`, 400, `unknown field "row"`},
		{"trailing data", "/v1/score", "POST", "application/json", `{"rows": [[1,2,3,4,5,6]]} {}`, 400, "more after the object"},
		{"oversized body", "/v1/score", "POST", "application/json", `{"rows": [` + strings.Repeat("[1,2,3,4,5,6],", 1000) + `[1,2,3,4,5,6]]}`, 413, "larger than the limit of 4096 bytes"},
		{"wrong content type", "/v1/score", "POST", "text/plain", rowsBody(good), 415, `content type "text/plain"`},
		{"no content type", "/v1/score", "POST", "", rowsBody(good), 415, `content type ""`},
		{"GET a POST endpoint", "/v1/score", "GET", "", "", 405, "want POST"},
		{"per_feature on encode", "/v1/encode?per_feature=1", "POST", "application/json", rowsBody(good), 400, "per_feature: only /v1/score"},
		{"per_feature without column names", "/v1/score?per_feature=1", "POST", "application/json", rowsBody(good), 400, "per_feature: the model's input columns are unknown"},
		{"bad per_feature", "/v1/score?per_feature=yes", "POST", "application/json", rowsBody(good), 400, `per_feature="yes"`},
		{"no such endpoint", "/v2/score", "POST", "application/json", rowsBody(good), 404, "no such endpoint"},
		{"CSV text in a numeric column", "iris:/v1/score", "POST", "text/csv", header + "5.1;3.5;1.4;0.2;setosa\n5.1;abc;1.4;0.2;setosa\n", 400, `body:3: column "sepal_width": "abc" is not a number`},
		{"CSV other columns", "iris:/v1/score", "POST", "text/csv", "a;b\n1;2\n", 400, "columns a,b differ from the model's"},
		{"CSV empty", "iris:/v1/score", "POST", "text/csv", "", 400, "body: no data rows"},
		{"CSV text for a model of numbers", "/v1/score", "POST", "text/csv", "a,b,c,d,e,f\n1,2,3,4,5,x\n", 400, `column "f" holds text ("x"), the model takes numbers`},
		{"CSV wrong width for a model of numbers", "/v1/score", "POST", "text/csv", "1,2,3\n", 400, "3 columns, the model takes 6"},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := hs
			url, isIris := strings.CutPrefix(c.url, "iris:")
			if isIris {
				base = irisHS
			}
			req, err := http.NewRequest(c.method, base.URL+url, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			resp, err := base.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			text, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var a scoreAnswer
			if err := json.Unmarshal(text, &a); err != nil || resp.StatusCode != c.code || !strings.Contains(a.Error, c.msg) || bytes.Count(bytes.TrimSpace(text), []byte("\n")) > 0 {
				t.Errorf("%d %q, want %d and an error containing %q", resp.StatusCode, text, c.code, c.msg)
			}
			mustScore(t, hs.Client(), hs.URL, good)
		})
	}
}

// TestReload: a model file replaced by garbage fails to reload and the old
// model keeps answering with its scores; a new model file reloads and
// answers with its own.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	path := fitTable(t, dir, "ae", 7)
	s, hs := newServer(t, path, Config{})
	rows := planeRows(rand.New(rand.NewPCG(8, 8)), 3)
	before := mustScore(t, hs.Client(), hs.URL, rows)
	if err := os.WriteFile(path, []byte("not a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err == nil {
		t.Fatal("reloading garbage: no error")
	}
	if after := mustScore(t, hs.Client(), hs.URL, rows); fmt.Sprint(after.Scores) != fmt.Sprint(before.Scores) {
		t.Fatalf("after a failed reload: scores %v, want the old model's %v", after.Scores, before.Scores)
	}
	other := fitTable(t, dir, "ae", 11)
	text, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	m, err := wgml.Load(other, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Score(rows)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustScore(t, hs.Client(), hs.URL, rows); fmt.Sprint(got.Scores) != fmt.Sprint(want) {
		t.Fatalf("after reloading another model: scores %v, want its %v", got.Scores, want)
	}
	if ok, failed := value(t, s.metrics.reloads.WithLabelValues("ok")), value(t, s.metrics.reloads.WithLabelValues("failed")); ok != 1 || failed != 1 {
		t.Errorf("reloads counted: %v ok, %v failed; want 1 and 1", ok, failed)
	}
}

// TestPaddedRows: batches run as few distinct sizes.
func TestPaddedRows(t *testing.T) {
	for _, c := range [][3]int{{1, 256, 1}, {3, 256, 4}, {129, 256, 256}, {256, 256, 256}, {257, 256, 512}, {70, 100, 100}, {5, 1, 5}} {
		if got := paddedRows(c[0], c[1]); got != c[2] {
			t.Errorf("paddedRows(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

// TestHealthAfterClose: /healthz answers 503 once the server is closed,
// and so do scoring requests.
func TestHealthAfterClose(t *testing.T) {
	s, hs := newServer(t, fitTable(t, t.TempDir(), "ae", 13), Config{})
	s.Close()
	resp, err := hs.Client().Get(hs.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz after Close: %d, want 503", resp.StatusCode)
	}
	if code, a := post(t, hs.Client(), hs.URL+"/v1/score", "application/json", rowsBody(planeRows(rand.New(rand.NewPCG(1, 1)), 1))); code != http.StatusServiceUnavailable {
		t.Errorf("/v1/score after Close: %d %s, want 503", code, a.Error)
	}
}

// TestTimeout: a request still waiting for its batch at the time limit
// gets 503 naming the limit (the batch waits a minute for company).
func TestTimeout(t *testing.T) {
	_, hs := newServer(t, fitTable(t, t.TempDir(), "ae", 18), Config{Timeout: 100 * time.Millisecond, MaxWait: time.Minute})
	code, a := post(t, hs.Client(), hs.URL+"/v1/score", "application/json", rowsBody(planeRows(rand.New(rand.NewPCG(2, 2)), 1)))
	if code != http.StatusServiceUnavailable || !strings.Contains(a.Error, "longer than the 100ms limit") {
		t.Errorf("%d %q, want 503 naming the 100ms limit", code, a.Error)
	}
}
