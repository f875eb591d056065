package main

// Pins of the training workflow's decisions (issue 18, deliverable 0), on
// the real wgml binary: which rows a seed splits off, what early stopping
// keeps, what resume continues, and which rows thresholds are fitted on.
// Each test checks values, so that moving the code cannot change them
// unseen.

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/internal/safetensors"
	"github.com/wgml/wgml/outlier"
)

// The rows data.Split gives for seed 7: of 30 rows with --test-frac 0.2
// (test rows, then training rows in their order), and of 24 training rows
// with --val-frac 0.25 (the validation rows, by position). The library
// (select_test.go in the root package) pins the same validation rows.
var (
	pinTest  = []int{23, 27, 13, 28, 5, 9}
	pinTrain = []int{10, 20, 24, 4, 21, 8, 6, 26, 2, 18, 7, 19, 1, 11, 22, 12, 25, 29, 0, 3, 15, 14, 16, 17}
	pinVal   = []int{6, 5, 21, 8, 14, 10}
)

// pinCSV is a table of n rows: an id column ("r0".."r{n-1}", used as the
// label so that score's CSV names each row) and three numeric features;
// huge[i] makes row i's b 3e38 (a non-finite loss in float32).
func pinCSV(n int, huge map[int]bool) []byte {
	var b strings.Builder
	b.WriteString("id,a,b,c\n")
	for i := range n {
		x := float64(i)
		v := []float64{3 * math.Sin(x), 0.3*x - 2 + math.Cos(2*x), math.Sin(x) * (0.3*x - 2) / 4}
		if huge[i] {
			v[1] = 3e38
		}
		fmt.Fprintf(&b, "r%d,%g,%g,%g\n", i, v[0], v[1], v[2])
	}
	return []byte(b.String())
}

// pinDir writes pin.csv (30 rows) and pin24.csv (24 rows) into a new folder.
func pinDir(t *testing.T) string {
	dir := t.TempDir()
	if err := writeFiles(dir, map[string][]byte{"pin.csv": pinCSV(30, nil), "pin24.csv": pinCSV(24, nil), "test.csv": pinCSV(8, nil)}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pinTrainArgs trains a small AE (layers 3,2 unless extra gives them) on
// the cpu backend with seed 7.
func pinTrainArgs(data string, extra ...string) []string {
	if !slices.Contains(extra, "--layers") {
		extra = append(extra, "--layers", "3,2")
	}
	return append([]string{"train", "--backend", "cpu", "--data", data, "--label-col", "id",
		"--batch", "4", "--lr", "0.01", "--seed", "7"}, extra...)
}

// mustRun runs wgml in dir and fails t unless it exits 0; it returns stdout.
func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	stdout, stderr, code := wgmlRun(t, dir, args...)
	if code != 0 {
		t.Fatalf("wgml %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout
}

// scoresByID scores a split of the data the checkpoint ck was trained on
// and returns each row's score by its id label, the ids in row order, and
// stdout.
func scoresByID(t *testing.T, dir, ck, split string, extra ...string) (map[string]float64, []string, string) {
	t.Helper()
	out := filepath.Join(dir, "scores-"+split+".csv")
	stdout := mustRun(t, dir, append([]string{"score", "--backend", "cpu", "--model", ck, "--split", split, "--out", out}, extra...)...)
	header, rows := readScores(t, out)
	if header[3] != "label" {
		t.Fatalf("score header %v: no label column", header)
	}
	by, ids := map[string]float64{}, []string{}
	for _, r := range rows {
		s, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		by[r[3]] = s
		ids = append(ids, r[3])
	}
	return by, ids, stdout
}

// ids names rows "r<i>".
func ids(rows []int) []string {
	s := make([]string, len(rows))
	for k, i := range rows {
		s[k] = "r" + strconv.Itoa(i)
	}
	return s
}

// pick returns the scores of the named rows.
func pick(by map[string]float64, names []string) []float64 {
	s := make([]float64, len(names))
	for k, n := range names {
		v, ok := by[n]
		if !ok {
			v = math.NaN()
		}
		s[k] = v
	}
	return s
}

// sortedEqual reports whether a and b hold the same names.
func sortedEqual(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// near reports whether got is want to rel relative error (the CSV and the
// printed threshold round).
func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-12)
}

// apart fails t unless the threshold fitted on the right rows differs
// from those fitted on the wrong ones (else the test could not fail).
func apart(t *testing.T, what string, right float64, wrong ...float64) {
	t.Helper()
	for _, w := range wrong {
		if near(w, right, 1e-3) {
			t.Fatalf("%s: the wrong rows give %v, the right ones %v: the test has no power", what, w, right)
		}
	}
}

// TestPinTestSplitRows: --test-frac 0.2 with seed 7 holds out pinTest, and
// --val-frac 0.25 then holds out pinVal of the remaining rows (in their
// order, pinTrain): the threshold train stores with --threshold-on val is
// the quantile of exactly those rows' scores.
func TestPinTestSplitRows(t *testing.T) {
	dir := pinDir(t)
	stdout := mustRun(t, dir, pinTrainArgs("pin.csv", "--epochs", "2", "--test-frac", "0.2", "--val-frac", "0.25", "--threshold-on", "val", "--out", "m")...)
	if !strings.Contains(stdout, "18 train rows (+6 validation rows), 6 test rows") {
		t.Fatalf("train:\n%s", stdout)
	}
	ck := filepath.Join("m", "model.safetensors")
	_, testIDs, _ := scoresByID(t, dir, ck, "test")
	if !sortedEqual(testIDs, ids(pinTest)) {
		t.Errorf("test rows %v, want %v", testIDs, ids(pinTest))
	}
	train, trainIDs, _ := scoresByID(t, dir, ck, "train")
	if !sortedEqual(trainIDs, ids(pinTrain)) {
		t.Errorf("training rows %v, want %v", trainIDs, ids(pinTrain))
	}
	var val, fit []int
	for k, i := range pinTrain {
		if slices.Contains(pinVal, k) {
			val = append(val, i)
		} else {
			fit = append(fit, i)
		}
	}
	want, err := lib.Threshold(pick(train, ids(val)), outlier.DefaultContamination)
	if err != nil {
		t.Fatal(err)
	}
	wrong, _ := lib.Threshold(pick(train, ids(fit)), outlier.DefaultContamination)
	apart(t, "stored threshold", want, wrong)
	m, err := lib.Load(filepath.Join(dir, ck), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !near(m.Threshold, want, 1e-6) {
		t.Errorf("stored threshold %v, want %v (the quantile of validation rows %v)", m.Threshold, want, val)
	}
}

// TestPinMADOnTrainingRows: score --threshold-method mad fits median +
// 3·1.4826·MAD on the rows train fitted its thresholds on (the training
// rows without the validation rows, or the validation rows with
// --threshold-on val), never on the rows it scores: checked by value.
func TestPinMADOnTrainingRows(t *testing.T) {
	dir := pinDir(t)
	var fit, val []string
	for k := range 24 {
		if slices.Contains(pinVal, k) {
			val = append(val, "r"+strconv.Itoa(k))
		} else {
			fit = append(fit, "r"+strconv.Itoa(k))
		}
	}
	all := slices.Concat(fit, val)
	for _, c := range []struct {
		name  string
		extra []string
		rows  []string // the rows mad must be fitted on
		other []string // rows it must not be fitted on
		print string
	}{
		{"no validation", nil, all, nil, "of 24 training rows' scores"},
		{"threshold on train", []string{"--val-frac", "0.25"}, fit, all, "of 18 training rows' scores"},
		{"threshold on val", []string{"--val-frac", "0.25", "--threshold-on", "val"}, val, fit, "of 6 validation rows' scores"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := "m-" + strings.ReplaceAll(c.name, " ", "-")
			mustRun(t, dir, pinTrainArgs("pin24.csv", append([]string{"--epochs", "2", "--test", "test.csv", "--out", out}, c.extra...)...)...)
			ck := filepath.Join(out, "model.safetensors")
			train, _, _ := scoresByID(t, dir, ck, "train")
			test, testIDs, stdout := scoresByID(t, dir, ck, "test", "--threshold-method", "mad")
			want, err := outlier.MADThreshold(pick(train, c.rows), outlier.DefaultMADK)
			if err != nil {
				t.Fatal(err)
			}
			wrong, _ := outlier.MADThreshold(pick(test, testIDs), outlier.DefaultMADK)
			apart(t, "mad", want, wrong)
			if c.other != nil {
				w, _ := outlier.MADThreshold(pick(train, c.other), outlier.DefaultMADK)
				apart(t, "mad", want, w)
			}
			got := number(stdout, "threshold ")
			if !near(got, want, 2e-5) || !strings.Contains(stdout, c.print) {
				t.Errorf("mad threshold %v, want %v (%s):\n%s", got, want, c.print, stdout)
			}
		})
	}
}

// tensorsOf reads a checkpoint's tensors.
func tensorsOf(t *testing.T, path string) map[string]safetensors.Tensor {
	t.Helper()
	ts, _, err := safetensors.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// sameTensors returns the name of a tensor of a (only weights and biases
// with weightsOnly) that b lacks or holds with other bits, "" when none.
func sameTensors(a, b map[string]safetensors.Tensor, weightsOnly bool) string {
	for name, ta := range a {
		if weightsOnly && !strings.HasSuffix(name, ".weight") && !strings.HasSuffix(name, ".bias") {
			continue
		}
		tb, ok := b[name]
		if !ok || !bitsEqual(ta.Data, tb.Data) || !slices.Equal(ta.Shape, tb.Shape) {
			return name
		}
	}
	return ""
}

// TestPinEarlyStopKeepsBest: with a min-delta out of reach only epoch 1
// improves and --patience 2 stops after epoch 3; model.safetensors then
// holds bit for bit the weights of a 1-epoch run (same split) and the
// thresholds fitted on them, last.safetensors epoch 3's.
func TestPinEarlyStopKeepsBest(t *testing.T) {
	dir := pinDir(t)
	sel := []string{"--test", "test.csv", "--val-frac", "0.25"}
	stdout := mustRun(t, dir, pinTrainArgs("pin24.csv", append(sel, "--epochs", "10", "--patience", "2", "--min-delta", "1e9", "--out", "es")...)...)
	if !strings.Contains(stdout, "early stop at epoch 3: ") {
		t.Fatalf("early-stopping run:\n%s", stdout)
	}
	mustRun(t, dir, pinTrainArgs("pin24.csv", append(sel, "--epochs", "1", "--out", "one")...)...)
	best, one := filepath.Join(dir, "es", "model.safetensors"), filepath.Join(dir, "one", "model.safetensors")
	if name := sameTensors(tensorsOf(t, one), tensorsOf(t, best), true); name != "" {
		t.Errorf("model.safetensors' %s differs from the 1-epoch run's: not the best epoch's weights", name)
	}
	last := filepath.Join(dir, "es", lib.LastName)
	if sameTensors(tensorsOf(t, one), tensorsOf(t, last), true) == "" {
		t.Error("last.safetensors holds epoch 1's weights, want epoch 3's")
	}
	bc, lc := loadCk(t, best), loadCk(t, last)
	if bc.Epoch != 1 || bc.BestEpoch != 1 || lc.Epoch != 3 {
		t.Errorf("best checkpoint epoch %d (best %d), last epoch %d; want 1, 1, 3", bc.Epoch, bc.BestEpoch, lc.Epoch)
	}
	mb, err := lib.Load(best, nil)
	if err != nil {
		t.Fatal(err)
	}
	mo, err := lib.Load(one, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mb.Threshold != mo.Threshold || mb.Scaler != mo.Scaler {
		t.Errorf("best checkpoint's threshold %v scaler %+v; the 1-epoch run's (same weights, same rows) %v %+v",
			mb.Threshold, mb.Scaler, mo.Threshold, mo.Scaler)
	}
}

// TestPinResumeEarlyStop: an early-stopping run stopped after 2 epochs and
// resumed to 4 continues from last.safetensors (epoch 2, not the best
// epoch 1 in model.safetensors) and ends bit for bit where a straight
// 4-epoch run ends, at the same epoch and step.
func TestPinResumeEarlyStop(t *testing.T) {
	dir := pinDir(t)
	sel := []string{"--test", "test.csv", "--val-frac", "0.25", "--patience", "5", "--min-delta", "1e9"}
	mustRun(t, dir, pinTrainArgs("pin24.csv", append(sel, "--epochs", "4", "--out", "straight")...)...)
	mustRun(t, dir, pinTrainArgs("pin24.csv", append(sel, "--epochs", "2", "--out", "run")...)...)
	if c := loadCk(t, filepath.Join(dir, "run", lib.LastName)); c.Epoch != 2 {
		t.Fatalf("last.safetensors after 2 epochs: epoch %d", c.Epoch)
	}
	stdout := mustRun(t, dir, "train", "--backend", "cpu", "--data", "pin24.csv", "--test", "test.csv", "--label-col", "id", "--out", "run", "--resume", "--epochs", "4")
	// Resuming from the best epoch (model.safetensors) would end in the
	// same place, training epoch 2 again: the epochs trained tell.
	if !strings.Contains(stdout, "epoch 3/4 ") || strings.Contains(stdout, "epoch 2/4 ") {
		t.Errorf("resume did not start at epoch 3 of 4:\n%s", stdout)
	}
	for _, name := range []string{lib.LastName, "model.safetensors"} {
		want, got := filepath.Join(dir, "straight", name), filepath.Join(dir, "run", name)
		if n := sameTensors(tensorsOf(t, want), tensorsOf(t, got), false); n != "" {
			t.Errorf("%s: tensor %s differs from the straight run's", name, n)
		}
		w, g := loadCk(t, want), loadCk(t, got)
		if w.Epoch != g.Epoch || w.Step != g.Step || w.BestEpoch != g.BestEpoch {
			t.Errorf("%s: epoch %d step %d best %d; the straight run's %d %d %d", name, g.Epoch, g.Step, g.BestEpoch, w.Epoch, w.Step, w.BestEpoch)
		}
	}
	if c := loadCk(t, filepath.Join(dir, "run", lib.LastName)); c.Epoch != 4 || c.Step != 4*5 {
		t.Errorf("resumed last.safetensors: epoch %d step %d, want 4 and 20 (5 batches of 4 of 18 rows per epoch)", c.Epoch, c.Step)
	}
}

// TestPinResumeKeepsSelection: --resume refuses another --min-delta (the
// early-stopping state would not mean what it says) and keeps the
// recorded --threshold-on val when the flag is left out.
func TestPinResumeKeepsSelection(t *testing.T) {
	dir := pinDir(t)
	mustRun(t, dir, pinTrainArgs("pin24.csv", "--test", "test.csv", "--val-frac", "0.25", "--patience", "5", "--min-delta", "0.1", "--threshold-on", "val", "--epochs", "1", "--out", "run")...)
	resume := []string{"train", "--backend", "cpu", "--data", "pin24.csv", "--test", "test.csv", "--label-col", "id", "--out", "run", "--resume", "--epochs", "2"}
	before, _ := os.ReadFile(filepath.Join(dir, "run", lib.LastName))
	_, stderr, code := wgmlRun(t, dir, append(resume, "--min-delta", "0.2")...)
	if code != 2 {
		t.Errorf("resume with another --min-delta: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "min-delta 0.2: the run stops early with patience 5, min-delta 0.1")
	if after, _ := os.ReadFile(filepath.Join(dir, "run", lib.LastName)); !bytes.Equal(before, after) {
		t.Error("the refused resume changed last.safetensors")
	}
	stdout := mustRun(t, dir, resume...)
	ck := loadCk(t, filepath.Join(dir, "run", "model.safetensors"))
	if ck.Meta["threshold_on"] != "val" || !strings.Contains(stdout, "6 validation rows' scores") {
		t.Errorf("resumed run: threshold_on %q, want val\n%s", ck.Meta["threshold_on"], stdout)
	}
}

// TestPinNonFiniteValidation: when every epoch's validation loss is +Inf
// or NaN (a validation row of 3e38 overflows float32) no epoch is the
// best: train fails with one line and keeps no model.safetensors.
func TestPinNonFiniteValidation(t *testing.T) {
	dir := t.TempDir()
	huge := map[int]bool{}
	for _, k := range pinVal {
		huge[k] = true
	}
	if err := writeFiles(dir, map[string][]byte{"huge.csv": pinCSV(24, huge), "test.csv": pinCSV(8, nil)}); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := wgmlRun(t, dir, pinTrainArgs("huge.csv", "--test", "test.csv", "--val-frac", "0.25", "--patience", "1", "--epochs", "3", "--out", "run")...)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	oneErrorLine(t, stderr, "no epoch had a finite validation loss; no best weights to keep")
	if _, err := os.Stat(filepath.Join(dir, "run", "model.safetensors")); err == nil {
		t.Error("model.safetensors written although no epoch was the best")
	}
}

// TestPinTopFeaturesSkipMissing: with --missing mask, --per-feature's
// top_features never names a column whose value is missing in that row,
// even when fewer than 3 values are present.
func TestPinTopFeaturesSkipMissing(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b,c,d\n")
	for i := range 40 {
		x := float64(i)
		r := []string{fmt.Sprint(math.Sin(x)), fmt.Sprint(0.1 * x), fmt.Sprint(math.Cos(x)), fmt.Sprint(x * x / 100)}
		switch i % 4 {
		case 1:
			r[0], r[3] = "", "NA" // two present
		case 2:
			r[1], r[2], r[3] = "", "", "" // one present
		}
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "m.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "train", "--backend", "cpu", "--data", "m.csv", "--test", "m.csv", "--missing", "mask", "--layers", "4,2", "--epochs", "2", "--batch", "8", "--out", "run")
	mustRun(t, dir, "score", "--backend", "cpu", "--model", "run/model.safetensors", "--per-feature", "--out", "s.csv")
	header, rows := readScores(t, filepath.Join(dir, "s.csv"))
	col := slices.Index(header, "err_a")
	if col < 0 || header[len(header)-1] != "top_features" {
		t.Fatalf("header %v", header)
	}
	names := []string{"a", "b", "c", "d"}
	for _, r := range rows {
		present := 0
		for j, name := range names {
			if r[col+j] != "" {
				present++
			} else if slices.Contains(strings.Split(r[len(r)-1], ";"), name) {
				t.Errorf("row %s: top_features %q names %s, whose value is missing", r[0], r[len(r)-1], name)
			}
		}
		if got := len(strings.Split(r[len(r)-1], ";")); got != min(3, present) {
			t.Errorf("row %s: top_features %q: %d names, want %d", r[0], r[len(r)-1], got, min(3, present))
		}
	}
}

// TestPinLockNamesHolder: a killed holder's lock file holding a longer pid
// than the next holder's is rewritten whole: a second trainer names the
// new holder's pid.
func TestPinLockNamesHolder(t *testing.T) {
	dir := t.TempDir()
	if err := writeFiles(dir, map[string][]byte{filepath.Join("run", lockName): []byte("98765432109876\n")}); err != nil {
		t.Fatal(err)
	}
	args := []string{"train", "--backend", "cpu", "--data", filepath.Join(fixDir, "idx"), "--layers", "36,8,2", "--batch", "10", "--out", "run"}
	first := startWgml(t, dir, append(args, "--epochs", "1000000")...)
	defer func() {
		first.cmd.Process.Kill()
		first.wait(t)
	}()
	waitFile(t, first, filepath.Join(dir, "run", "model.safetensors"))
	if b, _ := os.ReadFile(filepath.Join(dir, "run", lockName)); string(b) != fmt.Sprintf("%d\n", first.cmd.Process.Pid) {
		t.Errorf("lock file holds %q, want the holder's pid %d", b, first.cmd.Process.Pid)
	}
	_, stderr, code := wgmlRun(t, dir, append(args, "--overwrite")...)
	if code != 1 {
		t.Errorf("second trainer: exit %d, want 1", code)
	}
	oneErrorLine(t, stderr, fmt.Sprintf("in use by another wgml (pid %d);", first.cmd.Process.Pid))
}

// TestPinOverwriteDropsLast: --overwrite replaces an early-stopping run
// with a plain one; the old run's last.safetensors must go, or a later
// --resume would continue the old run ("holds epoch 2, but the best epoch
// is 1"). A folder holding only another run's last.safetensors is refused
// without --overwrite, like one holding its model.safetensors.
func TestPinOverwriteDropsLast(t *testing.T) {
	dir := pinDir(t)
	mustRun(t, dir, pinTrainArgs("pin24.csv", "--test", "test.csv", "--val-frac", "0.25", "--patience", "5", "--min-delta", "1e9", "--epochs", "2", "--out", "run")...)
	last := filepath.Join(dir, "run", lib.LastName)
	old, err := os.ReadFile(last)
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, pinTrainArgs("pin24.csv", "--test", "test.csv", "--layers", "3,1", "--epochs", "1", "--overwrite", "--out", "run")...)
	if _, err := os.Stat(last); err == nil {
		t.Errorf("--overwrite left the old run's %s", lib.LastName)
	}
	stdout := mustRun(t, dir, "train", "--backend", "cpu", "--data", "pin24.csv", "--test", "test.csv", "--label-col", "id", "--out", "run", "--resume", "--epochs", "2")
	ck := loadCk(t, filepath.Join(dir, "run", "model.safetensors"))
	if fmt.Sprint(ck.Config.Layers) != "[3 1]" || ck.Epoch != 2 {
		t.Errorf("resumed after --overwrite: layers %v epoch %d, want the new run's [3 1] at epoch 2\n%s", ck.Config.Layers, ck.Epoch, stdout)
	}
	// Only the old run's last.safetensors in a folder: refused.
	if err := writeFiles(dir, map[string][]byte{filepath.Join("only", lib.LastName): old}); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := wgmlRun(t, dir, pinTrainArgs("pin24.csv", "--test", "test.csv", "--epochs", "1", "--out", "only")...)
	if code != 2 {
		t.Errorf("new run over another run's %s: exit %d, want 2", lib.LastName, code)
	}
	oneErrorLine(t, stderr, "only/"+lib.LastName+" holds another run", "continue it with --resume or start over with --overwrite")
	if b, _ := os.ReadFile(filepath.Join(dir, "only", lib.LastName)); !bytes.Equal(b, old) {
		t.Error("the refused run changed last.safetensors")
	}
}

// bitsEqual reports whether a and b hold the same float32 bits.
func bitsEqual(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}
