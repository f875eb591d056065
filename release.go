package wgml

// Release frees the model's memory on its backend (nn.Model.Release: on the
// gpu, device memory) and, when Load made the backend (it was given none),
// the backend too. Afterwards Score, Encode and the rest return
// nn.ErrReleased; the host fields (Threshold, Schema, the card) stay
// readable. Release again does nothing.
func (m *Model) Release() {
	if m.Net != nil {
		m.Net.Release()
	}
	if m.ownBackend {
		m.Backend.Release()
		m.ownBackend = false
	}
}
