package wgml

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wgml/wgml/data"
)

// streamable reports whether spec is a file a Job can stream: .npy, .csv
// or .parquet.
func streamable(spec string) bool {
	switch strings.ToLower(filepath.Ext(spec)) {
	case ".npy", ".csv", ".parquet", ".pq":
		return true
	}
	return false
}

// autoStream is StreamAuto's rule (see Options.Stream): stream spec when
// the values a resident run holds — 2 × rows × columns × 4 bytes, the rows
// read and their normalised copy as float32 — exceed the host's available
// memory. It returns why, for the run's log line, or "" to hold the set in
// memory. A file it cannot size is not streamed: reading it says what is
// wrong.
func autoStream(spec string, open data.OpenOptions) string {
	avail, ok := memAvailable()
	if !ok || !streamable(spec) {
		return ""
	}
	rows, cols, ok := dataShape(spec, open)
	need := 2 * 4 * int64(rows) * int64(cols)
	if !ok || need <= avail {
		return ""
	}
	return fmt.Sprintf("auto: in memory its %d rows × %d values would take %.1f GiB (2 × 4 bytes a value), more than the %.1f GiB available",
		rows, cols, gib(need), gib(avail))
}

func gib(b int64) float64 { return float64(b) / (1 << 30) }

// dataShape returns the rows and columns of a .npy file, or a table's
// estimated rows (its reader's SizeHint) and feature columns.
func dataShape(spec string, open data.OpenOptions) (rows, cols int, ok bool) {
	if strings.EqualFold(filepath.Ext(spec), ".npy") {
		s, err := data.OpenNPYStream(spec)
		if err != nil {
			return 0, 0, false
		}
		defer s.Close()
		return s.Rows, s.Cols, true
	}
	r, err := data.OpenTable(spec, open.CSV)
	if err != nil {
		return 0, 0, false
	}
	defer r.Close()
	return r.SizeHint(), len(r.Header().Names), r.SizeHint() > 0
}

// memAvailable returns the host's available memory in bytes (Linux's
// /proc/meminfo MemAvailable); false where it is unknown. A variable, so
// that tests can set the host's memory.
var memAvailable = func() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
