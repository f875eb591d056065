//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockName is the lock file in a training output folder.
const lockName = ".wgml.lock"

// lockDir takes an exclusive flock on dir's lock file, so that a second
// wgml writing there fails at once instead of mixing two runs' outputs. It
// writes the holder's pid into the file for that message. The kernel drops
// the lock when the process ends, kill -9 included, so nothing is left
// stale; the file itself stays, empty of meaning until locked again.
func lockDir(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output directory %s: lock: %w", dir, errors.Unwrap(err))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := "another wgml"
			if p, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
				holder = fmt.Sprintf("another wgml (pid %d)", p)
			}
			return nil, fmt.Errorf("output directory %s: in use by %s; wait for it to finish or choose another --out", dir, holder)
		}
		return nil, fmt.Errorf("output directory %s: lock: %w", dir, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}
