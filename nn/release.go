package nn

import "errors"

// Freeing is implemented by backends that free tensors one by one, before
// Release frees everything: the gpu backend, whose device memory a
// long-lived process (wgml serve reloading its model) must give back. On
// other backends a tensor's memory goes with its last reference.
type Freeing interface {
	// Free frees tensors made by Alloc, AllocIndex, UploadBytes or
	// UploadFloats (not views) once the work recorded on them has
	// finished; a tensor freed already is skipped. A freed tensor must
	// not be used again.
	Free(ts ...Tensor)
}

// ErrReleased is the error of a model used after Release.
var ErrReleased = errors.New("the model was released: load or build it again")

// Release frees m's tensors on the backend it was built on: parameters,
// gradients, Adam moments, the table layout and the inference workspaces
// of Run and Decode (through Freeing where the backend has it). Afterwards
// Run, Decode, Gradient, SetParams, Snapshot and NewTrainer return
// ErrReleased; Release again does nothing. m's Config stays readable. A
// Trainer of m must not step after it.
func (m *Model) Release() {
	if m.released {
		return
	}
	m.released = true
	var owned []Tensor
	if ps := m.Params; ps != nil {
		owned = append(owned, ps.Flat, ps.Grad, ps.M, ps.V)
	}
	owned = append(owned, m.layout)
	for _, ws := range m.infer {
		owned = append(owned, ws.owned()...)
	}
	m.infer = nil
	if f, ok := m.home.(Freeing); ok {
		f.Free(owned...)
	}
}

// usable returns ErrReleased after Release, else nil.
func (m *Model) usable() error {
	if m.released {
		return ErrReleased
	}
	return nil
}

// owned lists the tensors ws allocated (not its views), nil ones included.
func (ws *workspace) owned() []Tensor {
	ts := []Tensor{ws.x, ws.mask, ws.rows, ws.recon, ws.stats, ws.z, ws.eps, ws.dStats, ws.dz}
	if ws.xin != ws.x {
		ts = append(ts, ws.xin)
	}
	for _, buf := range []*mlpBuffers{ws.enc, ws.dec} {
		ts = append(append(ts, buf.y...), buf.dz...)
	}
	return ts
}

// free frees ws's tensors on b where b frees tensors one by one.
func (ws *workspace) free(b Backend) {
	if f, ok := b.(Freeing); ok {
		f.Free(ws.owned()...)
	}
}
