package serve

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkScoreRequest: parallel clients post one-row requests to an
// httptest server of a small table model (HTTP, JSON and batching cost;
// the model's pass is small).
func BenchmarkScoreRequest(b *testing.B) {
	_, hs := newServer(b, fitTable(b, b.TempDir(), "ae", 17), Config{})
	rows := planeRows(rand.New(rand.NewPCG(1, 2)), 1)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := scoreRequest(hs.Client(), hs.URL, rows); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
