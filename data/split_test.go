package data

import (
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	d := &Dataset{Name: "t", Rows: 10, Cols: 1, Floats: make([]float32, 10), Labels: make([]int, 10)}
	for i := range 10 {
		d.Floats[i] = float32(i)
		d.Labels[i] = i
	}
	train, test := Split(d, 0.25, 9)
	if train.Rows != 7 || test.Rows != 3 || train.Name != "t train" || test.Name != "t test" {
		t.Fatalf("split into %d (%s) and %d (%s) rows, want 7 and 3", train.Rows, train.Name, test.Rows, test.Name)
	}
	all := append(slices.Clone(train.Labels), test.Labels...)
	for i, l := range all {
		if float32(l) != append(slices.Clone(train.Floats), test.Floats...)[i] {
			t.Fatal("rows and labels were separated")
		}
	}
	slices.Sort(all)
	if !slices.Equal(all, d.Labels) {
		t.Errorf("train ∪ test = %v, want every row once", all)
	}
	again, _ := Split(d, 0.25, 9)
	if !slices.Equal(again.Labels, train.Labels) {
		t.Error("Split is not deterministic")
	}
	if other, _ := Split(d, 0.25, 10); slices.Equal(other.Labels, train.Labels) {
		t.Error("seeds 9 and 10 split alike")
	}
	if tr, te := Split(d, 2, 0); tr.Rows != 0 || te.Rows != 10 {
		t.Errorf("testFrac 2 split %d/%d, want 0/10", tr.Rows, te.Rows)
	}
}

// TestSplitInPlace: SplitInPlace gives the sets Split gives (values, mask,
// labels, names, order), as views of the data set's own memory.
func TestSplitInPlace(t *testing.T) {
	d := &Dataset{Name: "t", Rows: 11, Cols: 2, Floats: make([]float32, 22), Mask: make([]uint8, 22), Labels: make([]int, 11)}
	for e := range d.Floats {
		d.Floats[e], d.Mask[e] = float32(e), uint8(e%3)
	}
	for i := range d.Labels {
		d.Labels[i] = 100 + i
	}
	wantTrain, wantTest := Split(d, 0.3, 4)
	mem := &d.Floats[0]
	train, test := SplitInPlace(d, 0.3, 4)
	for _, c := range [][2]*Dataset{{train, wantTrain}, {test, wantTest}} {
		got, want := c[0], c[1]
		if got.Name != want.Name || got.Rows != want.Rows || !slices.Equal(got.Floats, want.Floats) || !slices.Equal(got.Mask, want.Mask) || !slices.Equal(got.Labels, want.Labels) {
			t.Errorf("SplitInPlace gave %s (%d rows, labels %v), Split %s (%d rows, labels %v)", got.Name, got.Rows, got.Labels, want.Name, want.Rows, want.Labels)
		}
	}
	if &test.Floats[0] != mem || &train.Floats[0] != &d.Floats[test.Rows*2] {
		t.Error("SplitInPlace copied the rows")
	}
}

// TestClone: a clone's rows are its own.
func TestClone(t *testing.T) {
	d := &Dataset{Name: "t", Rows: 2, Cols: 1, Floats: []float32{1, 2}, Mask: []uint8{1, 1}, Labels: []int{0, 1}}
	c := d.Clone()
	c.Floats[0], c.Mask[0], c.Labels[0] = 7, 0, 5
	if d.Floats[0] != 1 || d.Mask[0] != 1 || d.Labels[0] != 0 || c.Name != "t" || c.Rows != 2 {
		t.Errorf("after writing the clone: %v %v %v; clone %s of %d rows", d.Floats, d.Mask, d.Labels, c.Name, c.Rows)
	}
}

// TestPermuteRows: permuteRows moves rows as the plain gather
// s_new[k] = s_old[perm[k]] does, on odd shapes (no rows, one row, rows of
// one value and of an odd width) and several element types.
func TestPermuteRows(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 67, 1001} {
		for _, w := range []int{1, 3, 7} {
			perm, _ := splitPerm(n, 0.3, uint64(n*w))
			checkPermute(t, n, w, perm, func(e int) float32 { return float32(e) + 0.5 })
			checkPermute(t, n, w, perm, func(e int) uint8 { return uint8(e * 7) })
			checkPermute(t, n, w, perm, func(e int) uint32 { return uint32(e) | 1<<31 })
		}
	}
	id := []int32{0, 1, 2, 3} // the identity and one long cycle
	checkPermute(t, 4, 2, id, func(e int) int { return e })
	checkPermute(t, 5, 2, []int32{1, 2, 3, 4, 0}, func(e int) int { return e })
	// A random permutation, one cycle through every row, pairs swapped,
	// and fixed points between long cycles.
	n, w := 1001, 3
	random, _ := splitPerm(n, 0.2, 5)
	rotate, swaps, mixed := make([]int32, n), make([]int32, n), make([]int32, n)
	for k := range n {
		rotate[k], swaps[k], mixed[k] = int32((k+1)%n), int32(k^1), int32(k)
		if k == n-1 && n%2 == 1 {
			swaps[k] = int32(k)
		}
		if k%3 != 0 && k < n-n%3 { // cycles k -> k+3 -> … among the rows k%3 == 1 and 2
			mixed[k] = int32((k + 3) % (n - n%3))
		}
	}
	for _, p := range [][]int32{random, rotate, swaps, mixed} {
		if q := slices.Sorted(slices.Values(p)); q[0] != 0 || q[n-1] != int32(n-1) || len(slices.Compact(q)) != n {
			t.Fatal("not a permutation")
		}
		checkPermute(t, n, w, p, func(e int) float32 { return float32(e) })
	}
}

// checkPermute checks permuteRows of n rows of w values val(element) by
// perm against the gather.
func checkPermute[T comparable](t *testing.T, n, w int, perm []int32, val func(int) T) {
	t.Helper()
	s := make([]T, n*w)
	for e := range s {
		s[e] = val(e)
	}
	want := make([]T, 0, n*w)
	for _, i := range perm {
		want = append(want, s[int(i)*w:(int(i)+1)*w]...)
	}
	permuteRows(s, w, perm)
	if !slices.Equal(s, want) {
		t.Errorf("permuteRows of %d rows × %d (%T) by %v…: got %v…, want %v…", n, w, s, perm[:min(n, 8)], s[:min(len(s), 8)], want[:min(len(want), 8)])
	}
}

// BenchmarkPermuteRows: SplitInPlace's reordering of 300k rows × 32
// float32 (38 MB, on huge pages where the system gives them).
func BenchmarkPermuteRows(b *testing.B) {
	const n, w = 300_000, 32
	s := makeBig[float32](n*w, n*w)
	perm, _ := splitPerm(n, 0.2, 1)
	for b.Loop() {
		permuteRows(s, w, perm)
	}
}

// TestTablePermute: Table.permute moves a table's numbers, text codes and
// labels together, as the gather of each by the split's order does, on an
// odd shape (37 rows, 3 Number and 2 Text columns).
func TestTablePermute(t *testing.T) {
	const rows = 37
	tb := &Table{TableHeader: TableHeader{Kinds: []Kind{Number, Text, Number, Text, Number}, Label: "y"}, Rows: rows}
	for i := range rows {
		tb.Nums = append(tb.Nums, float32(i), float32(i)+0.25, -float32(i))
		tb.Codes = append(tb.Codes, uint32(i%5), uint32(100+i))
		tb.Labels = append(tb.Labels, uint32(1000+i))
	}
	perm, _ := splitPerm(rows, 0.3, 11)
	var nums []float32
	var codes, labels []uint32
	for _, i := range perm {
		nums = append(nums, tb.Nums[3*i:3*i+3]...)
		codes = append(codes, tb.Codes[2*i:2*i+2]...)
		labels = append(labels, tb.Labels[i])
	}
	tb.permute(perm)
	if !slices.Equal(tb.Nums, nums) || !slices.Equal(tb.Codes, codes) || !slices.Equal(tb.Labels, labels) {
		t.Errorf("permuted table: labels %v…, want %v…", tb.Labels[:5], labels[:5])
	}
}
