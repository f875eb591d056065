package main

// Training faults and crash safety, on the real wgml binary (built by
// TestMain in cli_test.go):
//
//   - a NaN or Inf loss stops training, naming the epoch and step, and the
//     last good checkpoint stays as it was;
//   - SIGINT and SIGTERM finish the step, write the checkpoint and exit
//     130 and 143, and --resume then ends with exactly the parameters,
//     Adam state and metadata of an uninterrupted run;
//   - SIGKILL at 20 moments while checkpoints are being written never
//     leaves a checkpoint that fails to load, and temp files do not pile up.

import (
	"bufio"
	"bytes"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/internal/safetensors"
	"github.com/wgml/wgml/nn"
)

// wgmlRun runs the binary in dir and returns its stdout, stderr and exit
// status.
func wgmlRun(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	return wgmlRunEnv(t, dir, nil, args...)
}

// wgmlRunEnv is wgmlRun with env added to the environment.
func wgmlRunEnv(t *testing.T, dir string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(wgmlBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

// oneErrorLine fails t unless stderr is one line "wgml: ..." holding every
// part, with no panic.
func oneErrorLine(t *testing.T, stderr string, parts ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "wgml: ") || strings.Contains(stderr, "panic") {
		t.Fatalf("stderr %q: want one line \"wgml: ...\"", stderr)
	}
	for _, p := range parts {
		if !strings.Contains(lines[0], p) {
			t.Errorf("stderr %q does not say %q", lines[0], p)
		}
	}
}

// bigIDX writes an MNIST-style folder of n training and m test 6x6 images
// of pseudo-random pixels under dir/name and returns its path.
func bigIDX(t *testing.T, dir, name string, n, m int) string {
	t.Helper()
	state := uint32(12345)
	img := func(k int) []byte {
		b := make([]byte, k*fixH*fixW)
		for i := range b {
			state = state*1664525 + 1013904223
			b[i] = byte(state >> 24)
		}
		return b
	}
	lab := make([]byte, max(n, m))
	for i := range lab {
		lab[i] = byte(i % 10)
	}
	files := map[string][]byte{
		"train-images-idx3-ubyte": idxBytes(8, []int{n, fixH, fixW}, img(n)),
		"train-labels-idx1-ubyte": idxBytes(8, []int{n}, lab[:n]),
		"t10k-images-idx3-ubyte":  idxBytes(8, []int{m, fixH, fixW}, img(m)),
		"t10k-labels-idx1-ubyte":  idxBytes(8, []int{m}, lab[:m]),
	}
	out := filepath.Join(dir, name)
	for f, b := range files {
		if err := writeFiles(out, map[string][]byte{f: b}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestNaNLossKeepsLastCheckpoint(t *testing.T) {
	dir := t.TempDir()
	data := bigIDX(t, dir, "idx", 400, 100)
	args := []string{"train", "--backend", "cpu", "--data", data, "--layers", "36,64,16,2", "--batch", "8", "--out", "run"}
	if _, stderr, code := wgmlRun(t, dir, append(args, "--epochs", "1")...); code != 0 {
		t.Fatalf("first epoch: exit %d: %s", code, stderr)
	}
	ckPath := filepath.Join(dir, "run", "model.safetensors")
	good, err := os.ReadFile(ckPath)
	if err != nil {
		t.Fatal(err)
	}
	// A learning rate of 1e30 blows the weights up within a few steps of
	// epoch 2; the loss is checked at every progress read (--log-every).
	_, stderr, code := wgmlRun(t, dir, append(args, "--resume", "--epochs", "3", "--lr", "1e30", "--log-every", "5")...)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, stderr)
	}
	oneErrorLine(t, stderr, "loss became", "in epoch 2 by step ", "last good checkpoint kept at run/model.safetensors")
	t.Logf("lr 1e30: %s", strings.TrimSpace(stderr))
	now, err := os.ReadFile(ckPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(now, good) {
		t.Error("the checkpoint of epoch 1 was changed")
	}
	ck, err := nn.LoadCheckpoint(ckPath)
	if err != nil {
		t.Fatalf("last good checkpoint: %v", err)
	}
	if ck.Epoch != 1 || ck.EpochBatch != 0 {
		t.Errorf("checkpoint at epoch %d batch %d, want the end of epoch 1", ck.Epoch, ck.EpochBatch)
	}
	noTemps(t, filepath.Join(dir, "run"), 0)

	// Values whose squares overflow float32, not normalised: the loss is
	// +Inf from the first step, and there is no checkpoint to keep.
	var csv strings.Builder
	csv.WriteString("a,b\n")
	for i := range 20 {
		fmt.Fprintf(&csv, "%g,%d\n", math.Pow(-1, float64(i))*3e30, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "huge.csv"), []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = wgmlRun(t, dir, "train", "--backend", "cpu", "--data", "huge.csv", "--normalize", "none", "--layers", "2,1", "--batch", "4", "--log-every", "1", "--out", "huge")
	if code != 1 {
		t.Fatalf("huge values: exit %d, want 1; stderr %q", code, stderr)
	}
	oneErrorLine(t, stderr, "loss became", "in epoch 1 by step 1 ", "no checkpoint was written yet")
	t.Logf("huge values: %s", strings.TrimSpace(stderr))
	if _, err := os.Stat(filepath.Join(dir, "huge", "model.safetensors")); err == nil {
		t.Error("a checkpoint of a diverged run was written")
	}
}

// started is a wgml process whose stdout lines arrive on lines.
type started struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr *bytes.Buffer
}

func startWgml(t *testing.T, dir string, args ...string) *started {
	t.Helper()
	return startWgmlEnv(t, dir, nil, args...)
}

// startWgmlEnv is startWgml with env added to the environment.
func startWgmlEnv(t *testing.T, dir string, env []string, args ...string) *started {
	t.Helper()
	cmd := exec.Command(wgmlBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &started{cmd: cmd, lines: make(chan string, 1000), stderr: &bytes.Buffer{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
		close(s.lines)
	}()
	return s
}

// waitSteps waits until the process has done n training steps, as its
// $WGML_STEP_FILE (path) says.
func waitSteps(t *testing.T, s *started, path string, n int) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		select {
		case _, ok := <-s.lines: // stdout is not needed, only its end
			if !ok {
				t.Fatalf("wgml ended before step %d; stderr %q", n, s.stderr)
			}
		default:
		}
		b, _ := os.ReadFile(path)
		if k, err := strconv.Atoi(string(b)); err == nil && k >= n {
			return
		}
	}
	t.Fatalf("wgml did not reach step %d within 60 s; stderr %q", n, s.stderr)
}

// wait waits for the process and returns its exit status.
func (s *started) wait(t *testing.T) int {
	t.Helper()
	for range s.lines {
	}
	err := s.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0
}

// TestInterruptAndResumeIsExact trains straight through, and again with a
// SIGINT and a SIGTERM in the middle, each followed by a plain --resume:
// the final checkpoints must agree bit for bit in every tensor (weights and
// Adam moments) and in their metadata (step, epoch, fitted threshold,
// recorded flags; the history's losses, not its timings). It does so for a
// plain run and for one with an LR schedule, a validation split and early
// stopping (which stops after epoch 4: min-delta is out of reach, so only
// epoch 1 improves), whose best (model.safetensors) and last
// (last.safetensors) checkpoints must both agree.
func TestInterruptAndResumeIsExact(t *testing.T) {
	for _, c := range []struct {
		name  string
		extra []string
		ck    string     // the checkpoint a signal writes
		at    [2]float64 // the epochs (fractional: mid-epoch) after which the signals are sent
		rows  int        // training rows of an epoch
		stop  string     // a line the straight run prints, if any
	}{
		{"plain", nil, "model.safetensors", [2]float64{1.5, 4.5}, 2400, ""},
		{"schedule and early stopping", []string{"--lr-schedule", "cosine,warmup:1", "--val-frac", "0.25", "--patience", "3", "--min-delta", "1e9"},
			lib.LastName, [2]float64{1.5, 3.5}, 1800, "early stop at epoch 4: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			interruptAndResume(t, c.extra, c.ck, c.at, c.rows, c.stop)
		})
	}
}

func interruptAndResume(t *testing.T, extra []string, ckName string, at [2]float64, rows int, stopLine string) {
	dir := t.TempDir()
	data := bigIDX(t, dir, "idx", 2400, 200)
	const epochs = 8
	args := append([]string{"train", "--backend", "cpu", "--data", data, "--model", "vae", "--layers", "36,64,16,2",
		"--batch", "8", "--seed", "7", "--noise", "mask:0.1", "--lr", "0.002", "--epochs", fmt.Sprint(epochs)}, extra...)

	stdout, stderr, code := wgmlRun(t, dir, append(args, "--out", "straight")...)
	if code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, stopLine) {
		t.Fatalf("uninterrupted run did not print %q:\n%s", stopLine, stdout)
	}

	ckPath := filepath.Join(dir, "run", ckName)
	// Resuming names only the data and the folder: the model, epochs,
	// batch, seed, noise, learning rate, schedule and validation come from
	// the checkpoint.
	resume := []string{"train", "--backend", "cpu", "--data", data, "--out", "run", "--resume"}
	perEpoch := rows / 8
	midEpoch, done := 0, 0 // steps done before this run
	for i, c := range []struct {
		args []string
		at   int // the step after which the signal is sent: mid-epoch
		sig  syscall.Signal
		code int
	}{
		{append(slices.Clone(args), "--out", "run"), int(at[0] * float64(perEpoch)), syscall.SIGINT, 130},
		{resume, int(at[1] * float64(perEpoch)), syscall.SIGTERM, 143},
	} {
		// A step file per process: the one before's last count must not
		// let the signal out before this process installs its handler.
		steps := filepath.Join(dir, fmt.Sprintf("steps-%d", i))
		if _, err := os.Stat(steps); err == nil {
			t.Fatalf("step file %s exists before its process starts", steps)
		}
		p := startWgmlEnv(t, dir, []string{stepFileEnv + "=" + steps}, c.args...)
		waitSteps(t, p, steps, c.at-done)
		if err := p.cmd.Process.Signal(c.sig); err != nil {
			t.Fatal(err)
		}
		if code := p.wait(t); code != c.code {
			t.Fatalf("after %v: exit %d, want %d; stderr %q", c.sig, code, c.code, p.stderr)
		}
		oneErrorLine(t, p.stderr.String(), "train: interrupted by "+c.sig.String()+" in epoch ", "checkpoint written to run/"+ckName+" (continue with --resume)")
		ck, err := nn.LoadCheckpoint(ckPath)
		if err != nil {
			t.Fatalf("checkpoint after %v: %v", c.sig, err)
		}
		t.Logf("%v: %s (checkpoint: %d epochs + %d batches done, step %d)", c.sig, strings.TrimSpace(p.stderr.String()), ck.Epoch, ck.EpochBatch, ck.Step)
		if ck.Epoch >= epochs {
			t.Fatalf("%v arrived after the last epoch; the run is too short for this test", c.sig)
		}
		if ck.EpochBatch > 0 {
			midEpoch++
		}
		done = ck.Step
		noTemps(t, filepath.Join(dir, "run"), 0)
	}
	if midEpoch == 0 {
		t.Error("neither signal stopped training inside an epoch; the epochs are too short for this machine")
	}
	if _, stderr, code := wgmlRun(t, dir, resume...); code != 0 {
		t.Fatalf("final resume: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"model.safetensors", ckName} {
		sameCheckpoints(t, filepath.Join(dir, "straight", name), filepath.Join(dir, "run", name))
	}
}

// sameCheckpoints fails t unless two checkpoints hold bitwise equal tensors
// and equal metadata, timings aside.
func sameCheckpoints(t *testing.T, want, got string) {
	t.Helper()
	wt, wm, err := safetensors.Read(want)
	if err != nil {
		t.Fatal(err)
	}
	gt, gm, err := safetensors.Read(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(wt) != len(gt) {
		t.Errorf("%d tensors, want %d", len(gt), len(wt))
	}
	diff := 0
	for name, w := range wt {
		g, ok := gt[name]
		if !ok || !slices.Equal(g.Shape, w.Shape) {
			t.Errorf("tensor %s: missing or shaped %v, want %v", name, g.Shape, w.Shape)
			continue
		}
		for i := range w.Data {
			if math.Float32bits(g.Data[i]) != math.Float32bits(w.Data[i]) {
				if diff++; diff <= 5 {
					t.Errorf("tensor %s[%d] = %v, want %v", name, i, g.Data[i], w.Data[i])
				}
			}
		}
	}
	if diff > 0 {
		t.Errorf("%d values differ from the uninterrupted run", diff)
	}
	for k, v := range wm {
		if k != "history" && gm[k] != v {
			t.Errorf("metadata %s = %q, want %q", k, gm[k], v)
		}
	}
	wc, err := nn.LoadCheckpoint(want)
	if err != nil {
		t.Fatal(err)
	}
	gc, err := nn.LoadCheckpoint(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(gc.History) != len(wc.History) {
		t.Fatalf("history of %d epochs, want %d", len(gc.History), len(wc.History))
	}
	for i, w := range wc.History {
		g := gc.History[i]
		if g.Epoch != w.Epoch || g.Step != w.Step || g.Loss != w.Loss || g.KL != w.KL || g.TestLoss != w.TestLoss ||
			math.Float64bits(g.ValLoss) != math.Float64bits(w.ValLoss) || g.LR != w.LR {
			t.Errorf("epoch %d: loss %v kl %v test %v at step %d, want %v %v %v at step %d",
				w.Epoch, g.Loss, g.KL, g.TestLoss, g.Step, w.Loss, w.KL, w.TestLoss, w.Step)
		}
	}
}

// noTemps fails t if dir holds more than max temp files of wgml's atomic
// writes.
func noTemps(t *testing.T, dir string, max int) []string {
	t.Helper()
	temps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if len(temps) > max {
		t.Errorf("%d temp files in %s, want at most %d: %v", len(temps), dir, max, temps)
	}
	return temps
}

// waitForCheckpointWrite waits until the n-th new checkpoint temp file
// shows up in dir.
func waitForCheckpointWrite(t *testing.T, dir string, n int) {
	t.Helper()
	seen := map[string]bool{}
	old, _ := filepath.Glob(filepath.Join(dir, ".model.safetensors.tmp-*"))
	for _, p := range old {
		seen[p] = true
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Microsecond) {
		now, _ := filepath.Glob(filepath.Join(dir, ".model.safetensors.tmp-*"))
		for _, p := range now {
			if !seen[p] {
				seen[p] = true
				if n--; n == 0 {
					return
				}
			}
		}
	}
	t.Fatal("no checkpoint write within 20 s")
}

// TestKillDuringCheckpointWrites SIGKILLs a run that writes a checkpoint
// every few milliseconds, 20 times at different moments: every time, the
// checkpoint at the path loads and validates, and its epoch never goes
// back. The killed run may leave its temp files (.model.safetensors.tmp-*,
// .loss.png.tmp-*); the next wgml train in the folder removes them, so they
// never pile up.
func TestKillDuringCheckpointWrites(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	ckPath := filepath.Join(run, "model.safetensors")
	// A model of 230k parameters: each checkpoint (weights and Adam
	// moments) is 2.8 MB, written and fsynced after every 4-step epoch.
	args := []string{"train", "--backend", "cpu", "--data", filepath.Join(fixDir, "idx"), "--layers", "36,3000,2", "--batch", "10", "--out", "run"}
	if _, stderr, code := wgmlRun(t, dir, append(args, "--epochs", "1")...); code != 0 {
		t.Fatalf("first epoch: exit %d: %s", code, stderr)
	}
	lastEpoch, midWrite := 1, 0
	start := time.Now()
	for i := range 20 {
		p := startWgml(t, dir, append(args, "--resume", "--epochs", "1000000")...)
		if i%4 == 3 {
			// Every fourth kill at a time from 30 to 345 ms after the start:
			// during start-up, training, or writing the loss curve.
			time.Sleep(time.Duration(30+(i*7%20)*15+i) * time.Millisecond)
		} else {
			// The others while a checkpoint is being written: as soon as the
			// temp file of the first or second checkpoint this run writes
			// appears, and then 0 to 3 ms later.
			waitForCheckpointWrite(t, run, 1+i%2)
			time.Sleep(time.Duration(i%7) * 500 * time.Microsecond)
		}
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		code := p.wait(t)
		if code != -1 {
			t.Fatalf("kill %d: exit status %d, want death by SIGKILL; stderr %q", i, code, p.stderr)
		}
		ck, err := nn.LoadCheckpoint(ckPath)
		if err != nil {
			t.Fatalf("kill %d: the checkpoint does not load: %v", i, err)
		}
		if ck.Epoch < lastEpoch {
			t.Fatalf("kill %d: checkpoint went back from epoch %d to %d", i, lastEpoch, ck.Epoch)
		}
		lastEpoch = ck.Epoch
		if f, err := os.Open(filepath.Join(run, "loss.png")); err == nil {
			if _, err := png.Decode(f); err != nil {
				t.Errorf("kill %d: loss.png: %v", i, err)
			}
			f.Close()
		}
		// The killed run may have left one temp file of each output; older
		// ones were removed when it started.
		for _, tmp := range noTemps(t, run, 2) {
			if strings.HasPrefix(filepath.Base(tmp), ".model.safetensors.tmp-") {
				midWrite++
			}
		}
	}
	t.Logf("20 kills in %v: the checkpoint loaded every time (epoch %d at the end); %d kills hit a checkpoint write (left its temp file)",
		time.Since(start).Round(time.Millisecond), lastEpoch, midWrite)
	// A clean run in the folder removes the stale temp files.
	if _, stderr, code := wgmlRun(t, dir, append(args, "--resume", "--epochs", fmt.Sprint(lastEpoch+1))...); code != 0 {
		t.Fatalf("resume after the kills: exit %d: %s", code, stderr)
	}
	noTemps(t, run, 0)
}
