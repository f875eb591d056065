package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wgml/wgml/nn"
)

// TestUsedOutRefused: train into a folder holding another run's checkpoint
// refuses without --resume or --overwrite, names that run, and leaves it as
// it was.
func TestUsedOutRefused(t *testing.T) {
	dir := t.TempDir()
	args := []string{"train", "--backend", "cpu", "--data", filepath.Join(fixDir, "idx"), "--batch", "10", "--out", "run"}
	if _, stderr, code := wgmlRun(t, dir, append(args, "--layers", "36,8,2", "--epochs", "2")...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	ckPath := filepath.Join(dir, "run", "model.safetensors")
	before, err := os.ReadFile(ckPath)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := wgmlRun(t, dir, append(args, "--layers", "36,4,2", "--epochs", "1")...)
	if code != 2 {
		t.Errorf("second run without --resume: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "run/model.safetensors holds another run (ae [36 8 2], epoch 2 of 2); continue it with --resume or start over with --overwrite")
	if after, _ := os.ReadFile(ckPath); !bytes.Equal(before, after) {
		t.Error("the refused run changed the checkpoint")
	}
	_, stderr, code = wgmlRun(t, dir, append(args, "--resume", "--overwrite")...)
	if code != 2 {
		t.Errorf("--resume --overwrite: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "resume and overwrite: give one of them")
	if _, stderr, code := wgmlRun(t, dir, append(args, "--layers", "36,4,2", "--epochs", "1", "--overwrite")...); code != 0 {
		t.Fatalf("--overwrite: exit %d: %s", code, stderr)
	}
	ck, err := nn.LoadCheckpoint(ckPath)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ck.Config.Layers) != "[36 4 2]" || ck.Epoch != 1 {
		t.Errorf("after --overwrite: layers %v, epoch %d; want the new run's [36 4 2], 1", ck.Config.Layers, ck.Epoch)
	}
	if _, err := os.Stat(filepath.Join(dir, "run", lockName)); !os.IsNotExist(err) {
		t.Errorf("lock file left after a clean exit: %v", err)
	}
	// A run that fails before writing leaves no folder it made.
	if _, _, code := wgmlRun(t, dir, "train", "--data", "missing.csv", "--out", "fresh"); code != 1 {
		t.Errorf("train on a missing file: exit %d, want 1", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "fresh")); !os.IsNotExist(err) {
		t.Errorf("a failed run left its output folder: %v", err)
	}
}

// TestSecondTrainerFailsAtOnce: while one wgml trains into a folder, a
// second one writing there fails at once with one line naming the folder
// and the holder's pid; once the first is killed with SIGKILL the folder is
// free again.
func TestSecondTrainerFailsAtOnce(t *testing.T) {
	dir := t.TempDir()
	args := []string{"train", "--backend", "cpu", "--data", filepath.Join(fixDir, "idx"), "--layers", "36,8,2", "--batch", "10", "--out", "run"}
	first := startWgml(t, dir, append(args, "--epochs", "1000000")...)
	waitFile(t, first, filepath.Join(dir, "run", "model.safetensors")) // epoch 1's checkpoint
	for _, extra := range [][]string{{"--resume"}, {"--overwrite"}, {}} {
		_, stderr, code := wgmlRun(t, dir, append(args, extra...)...)
		if code != 1 {
			t.Errorf("second trainer %v: exit %d, want 1", extra, code)
		}
		oneErrorLine(t, stderr, fmt.Sprintf("output directory run: in use by another wgml (pid %d); wait for it to finish or choose another --out", first.cmd.Process.Pid))
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if code := first.wait(t); code != -1 {
		t.Fatalf("first trainer: exit %d, want death by SIGKILL", code)
	}
	stdout, stderr, code := wgmlRun(t, dir, append(args, "--resume", "--epochs", "1")...)
	if code != 0 || !strings.Contains(stdout, "wrote run/model.safetensors") {
		t.Fatalf("after the kill: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// waitFile waits until s has written the file at path.
func waitFile(t *testing.T, s *started, path string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		select {
		case _, ok := <-s.lines: // stdout is not needed, only its end
			if !ok {
				t.Fatalf("wgml ended before writing %s; stderr %q", path, s.stderr)
			}
		default:
		}
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("wgml did not write %s within 60 s; stderr %q", path, s.stderr)
}
