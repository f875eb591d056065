package backendtest

import (
	"fmt"
	"testing"

	"github.com/wgml/wgml/nn"
)

func testGather(t *testing.T, b nn.Backend) {
	// R rows of N columns in the dataset; B rows gathered from index[start:].
	for _, s := range []struct{ r, n, b, start int }{{1, 1, 1, 0}, {50, 13, 7, 5}, {301, 37, 64, 9}, {300, 129, 65, 33}} {
		for _, bytes := range []bool{false, true} {
			t.Run(fmt.Sprintf("%dx%d/B=%d/start=%d/u8=%v", s.r, s.n, s.b, s.start, bytes), func(t *testing.T) {
				f := newFixture(t, b)
				var data nn.Tensor
				values := make([]float32, s.r*s.n)
				scale := float32(0.5)
				if bytes {
					// Odd widths cross the u32 words a GPU packs bytes into.
					raw := make([]uint8, s.r*s.n)
					for i := range raw {
						raw[i] = uint8(f.rng.IntN(256))
						values[i] = float32(raw[i])
					}
					raw[0], values[0] = 255, 255
					var err error
					if data, err = b.UploadBytes(s.r, s.n, raw); err != nil {
						t.Fatalf("UploadBytes: %v", err)
					}
					scale = 1.0 / 255
				} else {
					values = f.uniform(s.r*s.n, -1, 1)
					var err error
					if data, err = b.UploadFloats(s.r, s.n, values); err != nil {
						t.Fatalf("UploadFloats: %v", err)
					}
				}
				idx := make([]int32, s.start+s.b+3)
				for i := range idx {
					idx[i] = int32(f.rng.IntN(s.r))
				}
				index, err := b.AllocIndex(len(idx))
				if err != nil {
					t.Fatalf("AllocIndex: %v", err)
				}
				b.UploadIndex(index, idx)
				dst, _ := f.output(s.b, s.n)
				b.Gather(dst, data, index, s.start, scale)
				want := make([]float32, s.b*s.n)
				for i := range s.b {
					row := int(idx[s.start+i])
					for j := range s.n {
						want[i*s.n+j] = scale * values[row*s.n+j]
					}
				}
				checkClose(t, "dst", f.read(dst), want, 0, 1e-6)
				f.check()
			})
		}
	}
}

func testCopy(t *testing.T, b nn.Backend) {
	for _, s := range shapes {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) {
			f := newFixture(t, b)
			sd := f.uniform(s[0]*s[1], -1, 1)
			src := f.input("src", s[0], s[1], sd)
			dst, _ := f.output(s[0], s[1])
			b.Copy(dst, src)
			checkClose(t, "dst", f.read(dst), sd, 0, 0)
			f.check()
		})
	}
}

// testView writes into a parent tensor through views (by Upload, as an
// operation's output) and reads through one (as an operation's input), and
// checks the parent changed exactly where the views lie.
func testView(t *testing.T, b nn.Backend) {
	f := newFixture(t, b)
	parent, want := f.output(4, 100)

	// Upload through a (7,13) view at offset 64: elements 64..154.
	ad := f.uniform(7*13, -1, 1)
	a := b.View(parent, nn.ViewAlign, 7, 13)
	b.Upload(a, ad)
	copy(want[nn.ViewAlign:], ad)
	checkClose(t, "view after Upload", f.read(a), ad, 0, 0)
	checkClose(t, "parent after Upload to view", f.read(parent), want, 0, 0)

	// Copy into a (3,5) view at offset 192.
	sd := f.uniform(3*5, -1, 1)
	b.Copy(b.View(parent, 3*nn.ViewAlign, 3, 5), f.input("src", 3, 5, sd))
	copy(want[3*nn.ViewAlign:], sd)
	checkClose(t, "parent after Copy to view", f.read(parent), want, 0, 0)

	// MatMul from view a into a (7,5) view at offset 256.
	wd := f.uniform(13*5, -1, 1)
	b.MatMul(b.View(parent, 4*nn.ViewAlign, 7, 5), a, f.input("b", 13, 5, wd), nn.NoTrans, nn.NoTrans, nn.Overwrite)
	copy(want[4*nn.ViewAlign:], f32(matMulRef(ad, wd, nil, 7, 13, 5, nn.NoTrans, nn.NoTrans)))
	atol, rtol := matMulTol(13)
	checkClose(t, "parent after MatMul from view to view", f.read(parent), want, atol, rtol)
	f.check()
}
