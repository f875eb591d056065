package serve

import (
	"encoding/json"
	"net/http"

	"github.com/wgml/wgml/data"
)

// modelCard is the body of GET /v1/model: what the loaded model is and
// takes, each fact read from the model (wgml.Model) as it is.
type modelCard struct {
	Path     string       `json:"path"`
	Kind     string       `json:"kind"`
	Layers   []int        `json:"layers"`
	Input    int          `json:"input"`
	Latent   int          `json:"latent"`
	Images   bool         `json:"images"`
	Columns  []string     `json:"columns"`  // of a JSON row (Model.InputColumns); a CSV body has the schema's
	Features []string     `json:"features"` // of per_feature (Model.FeatureColumns)
	Schema   *data.Schema `json:"schema,omitempty"`
	Score    string       `json:"score"`
	// Threshold and Contamination: null where not finite.
	Threshold     jsonNum `json:"threshold"`
	Contamination jsonNum `json:"contamination"`
	MaxBatch      int     `json:"max_batch"`
}

// jsonNum is a float64 written as appendNum writes it.
type jsonNum float64

func (v jsonNum) MarshalJSON() ([]byte, error) { return appendNum(nil, float64(v)), nil }

// card is GET /v1/model.
func (s *Server) card() ([]byte, error) {
	m := s.model.Load()
	c := m.Net.Config
	b, err := json.Marshal(modelCard{Path: s.path, Kind: c.Kind, Layers: c.Layers, Input: c.Input(), Latent: c.Latent(), Images: m.Images,
		Columns: m.InputColumns(), Features: m.FeatureColumns(), Schema: m.Schema, Score: m.ScoreKind,
		Threshold: jsonNum(m.Threshold), Contamination: jsonNum(m.Contamination), MaxBatch: s.cfg.MaxBatch})
	return append(b, '\n'), err
}

// health is GET /healthz: 200 while the goroutine that owns the model
// runs, 503 once Close stopped it.
func (s *Server) health() ([]byte, error) {
	select {
	case <-s.done:
		return nil, httpErrorf(http.StatusServiceUnavailable, "the server is shutting down")
	default:
	}
	o := object{}
	o.field("status")
	o.b = appendJSON(o.b, "ok")
	return o.close(), nil
}
