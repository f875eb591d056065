package wgml

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeImages: every picture the README shows is a committed file
// under docs/ of well under 200 KB, and the AE-versus-VAE comparison is
// among them.
func TestReadmeImages(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`!\[[^\]]*\]\(([^)\s]+)\)`).FindAllStringSubmatch(string(raw), -1)
	seen := map[string]bool{}
	for _, l := range links {
		path := l[1]
		seen[path] = true
		if !strings.HasPrefix(path, "docs/") || !strings.HasSuffix(path, ".png") {
			t.Errorf("README image %s: want a PNG under docs/", path)
			continue
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Errorf("README image %s: %v", path, err)
		} else if st.Size() > 200<<10 {
			t.Errorf("README image %s: %d bytes, want under 200 KB", path, st.Size())
		}
	}
	if !seen["docs/compare.png"] {
		t.Errorf("README shows %d images, none of them docs/compare.png (the AE-versus-VAE picture)", len(links))
	}
}
