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
// wgml writing there fails at once instead of mixing two runs' outputs; the
// file holds the holder's pid for that message. The kernel drops the lock
// when the process ends, kill -9 included, so a lock is never stale; unlock
// removes the file (a file a killed process leaves behind is locked anew).
func lockDir(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, lockName)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("output directory %s: lock: %w", dir, errors.Unwrap(err))
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			pid, _ := os.ReadFile(path)
			f.Close()
			if !errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, fmt.Errorf("output directory %s: lock: %w", dir, err)
			}
			holder := "another wgml"
			if p, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
				holder = fmt.Sprintf("another wgml (pid %d)", p)
			}
			return nil, fmt.Errorf("output directory %s: in use by %s; wait for it to finish or choose another --out", dir, holder)
		}
		// The holder before us may have removed the file between our open
		// and our lock: then we hold a lock on a file nobody else sees.
		if st, err := os.Stat(path); err == nil && sameFile(f, st) {
			f.Truncate(0)
			f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
			return func() {
				os.Remove(path) // while locked, so the next one locks a new file
				f.Close()
			}, nil
		}
		f.Close()
	}
}

// sameFile reports whether the open file f is the file st describes.
func sameFile(f *os.File, st os.FileInfo) bool {
	fst, err := f.Stat()
	return err == nil && os.SameFile(fst, st)
}
