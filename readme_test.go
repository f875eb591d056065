package wgml

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// readmeBlocks returns the fenced blocks of lang in README.md.
func readmeBlocks(t *testing.T, lang string) []string {
	t.Helper()
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?ms)^```"+lang+"\n(.*?)^```").FindAllStringSubmatch(string(raw), -1) {
		out = append(out, m[1])
	}
	return out
}

// TestReadmeGoCompiles builds every Go block of the README as the main
// package it says it is, so a reader can paste each one and run it.
func TestReadmeGoCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs")
	}
	blocks := readmeBlocks(t, "go")
	if len(blocks) < 2 {
		t.Fatalf("README has %d Go blocks, want the library and the facade ones", len(blocks))
	}
	for i, src := range blocks {
		// Inside the module, so that its packages resolve; "_" keeps the
		// folder out of ./... patterns.
		dir, err := os.MkdirTemp(".", "_readme")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("go", "build", "-o", os.DevNull, "./"+filepath.ToSlash(dir))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("README Go block %d does not build: %v\n%s\n%s", i+1, err, out, src)
		}
	}
}
