package serve

import (
	"net/http"

	"github.com/wgml/wgml"
)

// card is GET /v1/model: what the loaded model is and takes.
func (s *Server) card() ([]byte, error) {
	m := s.model.Load()
	c := m.Net.Config
	o := object{}
	o.field("path")
	o.b = appendJSON(o.b, s.path)
	o.field("kind")
	o.b = appendJSON(o.b, c.Kind)
	o.field("layers")
	o.b = appendJSON(o.b, c.Layers)
	o.field("input")
	o.b = appendJSON(o.b, c.Input())
	o.field("latent")
	o.b = appendJSON(o.b, c.Latent())
	o.field("images")
	o.b = appendJSON(o.b, m.Images)
	o.field("columns") // of a JSON row; a CSV body has the schema's
	o.b = appendJSON(o.b, inputColumns(m))
	o.field("features") // of per_feature
	o.b = appendJSON(o.b, m.FeatureColumns())
	if m.Schema != nil {
		o.field("schema")
		o.b = appendJSON(o.b, m.Schema)
	}
	o.field("score")
	o.b = appendJSON(o.b, m.ScoreKind)
	o.field("threshold")
	o.b = appendNum(o.b, m.Threshold)
	o.field("contamination")
	o.b = appendNum(o.b, m.Contamination)
	o.field("max_batch")
	o.b = appendJSON(o.b, s.cfg.MaxBatch)
	return o.close(), nil
}

// inputColumns names the model's input columns, as a JSON row gives them:
// a categorical column's one-hot group is "name=category" columns. Nil
// where they are unknown.
func inputColumns(m *wgml.Model) []string {
	if m.Schema != nil && m.Schema.Width() == m.Net.Config.Input() {
		return m.Schema.ModelColumns()
	}
	return m.FeatureColumns()
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
