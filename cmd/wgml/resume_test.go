package main

import (
	"path/filepath"
	"testing"
)

// TestResumeKeepsTrainingFlags trains a VAE with every training flag away
// from its default for one epoch, then resumes it with --resume --epochs 3
// and nothing else: the flags left out must come from the checkpoint, so
// the result equals an uninterrupted 3-epoch run bit for bit, recorded
// options included (a resume that dropped --weight-decay, --kl-warmup,
// --beta1, --beta2, --adam-eps, --lr or --noise would train differently;
// one that dropped --lr-schedule, --val-frac, --patience or --min-delta is
// refused).
func TestResumeKeepsTrainingFlags(t *testing.T) {
	dir := t.TempDir()
	data := bigIDX(t, dir, "idx", 240, 40)
	flags := []string{"train", "--backend", "cpu", "--data", data, "--model", "vae", "--layers", "36,16,2",
		"--batch", "16", "--seed", "5", "--lr", "0.003", "--weight-decay", "0.05", "--kl-warmup", "2",
		"--beta1", "0.8", "--beta2", "0.99", "--adam-eps", "0.001", "--noise", "gaussian:0.2",
		"--lr-schedule", "step:1:0.5", "--val-frac", "0.2", "--patience", "4", "--min-delta", "0.0001"}
	if _, stderr, code := wgmlRun(t, dir, append(flags, "--epochs", "3", "--out", "straight")...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	if _, stderr, code := wgmlRun(t, dir, append(flags, "--epochs", "1", "--out", "run")...); code != 0 {
		t.Fatalf("first epoch: exit %d: %s", code, stderr)
	}
	if _, stderr, code := wgmlRun(t, dir, "train", "--backend", "cpu", "--data", data, "--out", "run", "--resume", "--epochs", "3"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	sameCheckpoints(t, filepath.Join(dir, "straight", "model.safetensors"), filepath.Join(dir, "run", "model.safetensors"))
}
