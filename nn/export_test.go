package nn

// StartEpochForTest prepares epoch's order as RunEpoch does.
func (t *Trainer) StartEpochForTest(epoch int) error { return t.startEpoch(epoch) }

// BatchForTest gathers batch k of the prepared epoch as a step does and
// reads it back: the tests' view of the order a trainer feeds rows in.
func (t *Trainer) BatchForTest(k int) ([]float32, error) {
	first := k * t.Opt.Batch
	ws := t.ws[min(t.Opt.Batch, t.trainRows()-first)]
	if err := t.gather(ws, first); err != nil {
		return nil, err
	}
	out := make([]float32, Len(ws.x))
	err := t.B.Read(ws.x, out)
	return out, err
}

// InferWorkspacesForTest is the number of inference workspaces m keeps.
func (m *Model) InferWorkspacesForTest() int { return len(m.infer) }
