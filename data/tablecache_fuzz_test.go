package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzTableCache feeds arbitrary bytes as a cache's cache.json beside a
// cache built from a small table: CacheTable must rebuild or reuse it and
// read back the table's rows, never fail or panic on the record.
func FuzzTableCache(f *testing.F) {
	f.Add([]byte(`{"source":"x","rows":2,"names":["a","b"]}`))
	f.Add([]byte(`{"rows":-5,"names":null,"masked":true,"label":"y"}`))
	f.Add([]byte("not json"))
	f.Fuzz(func(t *testing.T, meta []byte) {
		dir := t.TempDir()
		src := filepath.Join(dir, "t.csv")
		if err := os.WriteFile(src, []byte("a,b\n1,2\n3,\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cache := filepath.Join(dir, "cache")
		opt := CSVOptions{Missing: MissingMean}
		if _, _, err := CacheTable(src, cache, opt); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cache, cacheMeta), meta, 0o644); err != nil {
			t.Fatal(err)
		}
		c, _, err := CacheTable(src, cache, opt)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		got := make([]float32, 4)
		if err := s.ReadRows(got, 0, 2); err != nil || s.Rows != 2 || strings.Join(c.Names, ",") != "a,b" || got[0] != 1 || got[2] != 3 {
			t.Fatalf("after cache.json %q: %d rows %v of %v: %v", meta, s.Rows, c.Names, got, err)
		}
	})
}
