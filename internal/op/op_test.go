package op

import "testing"

func TestString(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{NoTrans.String(), "NoTrans"}, {Trans.String(), "Trans"}, {Transpose(2).String(), "Transpose(2)"},
		{Overwrite.String(), "Overwrite"}, {Accumulate.String(), "Accumulate"}, {Write(7).String(), "Write(7)"},
	} {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
}

func TestDims(t *testing.T) {
	if r, c := NoTrans.Dims(2, 3); r != 2 || c != 3 {
		t.Errorf("NoTrans.Dims(2, 3) = (%d, %d), want (2, 3)", r, c)
	}
	if r, c := Trans.Dims(2, 3); r != 3 || c != 2 {
		t.Errorf("Trans.Dims(2, 3) = (%d, %d), want (3, 2)", r, c)
	}
	defer func() {
		if recover() == nil {
			t.Error("Transpose(2).Dims: no panic")
		}
	}()
	Transpose(2).Dims(2, 3)
}
