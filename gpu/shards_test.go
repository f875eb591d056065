package gpu

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/nn/backendtest"
)

// tinyBinding is the MaxBindingEnv value the several-bindings tests force:
// small enough to split every dataset they upload.
const tinyBinding = "1000"

// TestGatherSeveralBindings runs the Gather conformance cases with
// datasets split over buffers of at most tinyBinding bytes.
func TestGatherSeveralBindings(t *testing.T) {
	t.Setenv(MaxBindingEnv, tinyBinding)
	backendtest.RunGather(t, func(t *testing.T) nn.Backend { return openBackend(t) })
}

// TestShardLayout checks how uploadData splits a dataset: whole rows per
// buffer, each buffer within the cap, the shards in order covering every
// row once, an odd row count leaving a shorter last shard.
func TestShardLayout(t *testing.T) {
	t.Setenv(MaxBindingEnv, tinyBinding)
	b := openBackend(t)
	for _, c := range []struct {
		rows, cols, elem int
		shards           int
	}{
		{101, 7, 4, 3},   // 28 bytes a row: 35 rows a buffer, 35+35+31
		{101, 7, 1, 1},   // 707 bytes fit one buffer
		{333, 9, 1, 3},   // 111 rows a buffer (999 bytes, a row never split across words' buffers)
		{25, 250, 4, 25}, // 1000 bytes: exactly one row a buffer
	} {
		var (
			ten nn.Tensor
			err error
		)
		if c.elem == 1 {
			ten, err = b.UploadBytes(c.rows, c.cols, make([]uint8, c.rows*c.cols))
		} else {
			ten, err = b.UploadFloats(c.rows, c.cols, make([]float32, c.rows*c.cols))
		}
		if err != nil {
			t.Fatal(err)
		}
		parts := ten.(*Tensor).parts()
		if len(parts) != c.shards {
			t.Errorf("%d×%d×%d bytes: %d buffers, want %d", c.rows, c.cols, c.elem, len(parts), c.shards)
		}
		next := 0
		for _, p := range parts {
			if p.lo != next || p.cols != c.cols || p.rows < 1 {
				t.Errorf("%d×%d: shard of rows %d..%d follows row %d", c.rows, c.cols, p.lo, p.lo+p.rows, next)
			}
			if p.buf.size > 1000 || p.buf.size < uint64(p.rows*c.cols*c.elem) {
				t.Errorf("%d×%d: shard of %d rows in a buffer of %d bytes", c.rows, c.cols, p.rows, p.buf.size)
			}
			next = p.lo + p.rows
		}
		if next != c.rows {
			t.Errorf("%d×%d: shards end at row %d", c.rows, c.cols, next)
		}
	}
	if _, err := b.UploadFloats(2, 251, make([]float32, 502)); err == nil || !strings.Contains(err.Error(), "one row of 1004 bytes exceeds") {
		t.Errorf("a row larger than a binding: %v", err)
	}
}

// TestMaxBindingEnvInvalid: a cap that is not a byte count fails New.
func TestMaxBindingEnvInvalid(t *testing.T) {
	t.Setenv(MaxBindingEnv, "12k")
	b, err := New(Options{AdapterIndex: BestAdapter})
	if errors.Is(err, ErrNoAdapter) && os.Getenv("WGML_REQUIRE_GPU") == "" {
		t.Skip("no WebGPU adapter (set WGML_REQUIRE_GPU=1 to make this a failure)")
	}
	if err == nil {
		b.Release()
		t.Fatal("New accepted WGML_MAX_BINDING=12k")
	}
	if !strings.Contains(err.Error(), MaxBindingEnv) {
		t.Errorf("error %q does not name %s", err, MaxBindingEnv)
	}
}
