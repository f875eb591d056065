package wgmlbeam

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
)

// remote reports whether path names a file system by scheme (gs://, s3://,
// memfs://): such files are copied to a local temp file to be read by the
// wgml library, which reads local paths.
func remote(path string) bool { return strings.Contains(path, "://") }

// localCopy returns a local path holding the file at path, and a function
// that removes any copy it made.
func localCopy(ctx context.Context, path string) (string, func(), error) {
	if !remote(path) {
		return path, func() {}, nil
	}
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return "", nil, err
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, path)
	if err != nil {
		return "", nil, err
	}
	defer rc.Close()
	f, err := os.CreateTemp("", "wgml-beam-*"+ext(path))
	if err != nil {
		return "", nil, err
	}
	done := func() { os.Remove(f.Name()) }
	if _, err = io.Copy(f, rc); err == nil {
		err = f.Close()
	} else {
		f.Close()
	}
	if err != nil {
		done()
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	return f.Name(), done, nil
}

// ext is the extension of path's last element ("" for none).
func ext(path string) string {
	base := path[strings.LastIndex(path, "/")+1:]
	if i := strings.LastIndex(base, "."); i >= 0 {
		return base[i:]
	}
	return ""
}

// writeFile writes dst through Beam's filesystem layer: where the file
// system renames (local files), to a temp name beside dst renamed over it
// once complete, so that no reader sees half a file; elsewhere (object
// stores, whose objects appear whole on Close) straight to dst.
func writeFile(ctx context.Context, dst string, write func(io.Writer) error) error {
	fs, err := filesystem.New(ctx, dst)
	if err != nil {
		return err
	}
	defer fs.Close()
	rn, renames := fs.(filesystem.Renamer)
	tmp := dst
	if renames {
		tmp = fmt.Sprintf("%s.tmp-%d", dst, os.Getpid())
	}
	w, err := fs.OpenWrite(ctx, tmp)
	if err != nil {
		return fmt.Errorf("%s: %w", dst, err)
	}
	if err = write(w); err == nil {
		err = w.Close()
	} else {
		w.Close()
	}
	if err == nil && renames {
		err = rn.Rename(ctx, tmp, dst)
	}
	if err != nil && renames {
		if rm, ok := fs.(filesystem.Remover); ok {
			rm.Remove(ctx, tmp)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", dst, err)
	}
	return nil
}

// copyOut copies the local file src to dst through writeFile.
func copyOut(ctx context.Context, src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeFile(ctx, dst, func(w io.Writer) error {
		_, err := io.Copy(w, f)
		return err
	})
}

// listFiles returns the file system of pattern (a glob) and the files it
// matches, sorted; no match is an error.
func listFiles(ctx context.Context, pattern string) (filesystem.Interface, []string, error) {
	fs, err := filesystem.New(ctx, pattern)
	if err != nil {
		return nil, nil, fmt.Errorf("data %s: %w", pattern, err)
	}
	files, err := fs.List(ctx, pattern)
	if err == nil && len(files) == 0 {
		err = errors.New("no file matches")
	}
	if err != nil {
		fs.Close()
		return nil, nil, fmt.Errorf("data %s: %w", pattern, err)
	}
	slices.Sort(files)
	return fs, files, nil
}
