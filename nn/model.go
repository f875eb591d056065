package nn

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
)

// Model kinds.
const (
	KindAE  = "ae"
	KindVAE = "vae"
)

// Reconstruction losses.
const (
	LossMSE = "mse" // Σ_j (y-x)² per row
	LossBCE = "bce" // Σ_j binary cross-entropy per row (sigmoid output)
	// LossTable is a table's loss (Backend.TableLoss, formula in
	// TableLayout's doc): squared error of numeric columns, softmax
	// cross-entropy of one-hot groups (Config.TableGroups), missing values
	// left out (a mask travels with the batch); identity output.
	LossTable = "table"
)

// Config describes a model's architecture. It is stored in checkpoints.
//
// Layers lists the encoder widths from the input to the latent, e.g.
// 784,256,64,16; the decoder mirrors them. An AE's encoder is a chain of dense
// layers (HiddenAct, then LatentAct on the latent layer). A VAE's encoder
// chain stops one layer early and ends in two identity heads, mu and logvar,
// of the latent width (computed as one layer of twice that width, see
// Model.Heads); z = mu + exp(½logvar)·eps feeds the decoder. The
// decoder uses HiddenAct and OutputAct on its last layer.
type Config struct {
	Kind      string     `json:"kind"`
	Layers    []int      `json:"layers"`
	HiddenAct Activation `json:"hidden_act"`
	LatentAct Activation `json:"latent_act"`
	OutputAct Activation `json:"output_act"`
	Loss      string     `json:"loss"`
	Beta      float32    `json:"beta"` // weight of the KL term (VAE)
	Init      string     `json:"init"` // "torch", "he" or "xavier"
	// TableGroups are, for LossTable, the sizes of the table's original
	// columns as TableLayout takes them: 0 for a numeric column, k for a
	// categorical group of k one-hot columns. Σ max(k,1) is the input width.
	TableGroups []int `json:"table_groups,omitempty"`
}

// Validate reports the first problem with c, naming the field.
func (c *Config) Validate() error {
	if c.Kind != KindAE && c.Kind != KindVAE {
		return fmt.Errorf("model %q: want ae or vae", c.Kind)
	}
	if len(c.Layers) < 2 {
		return fmt.Errorf("layers %v: want at least an input and a latent width, e.g. 784,256,64,16", c.Layers)
	}
	for i, w := range c.Layers {
		if w <= 0 {
			return fmt.Errorf("layers %v: width %d at position %d is not positive", c.Layers, w, i+1)
		}
	}
	if n, ok := c.paramCount(); !ok {
		return fmt.Errorf("layers %v: %s parameters, more than the %d wgml supports", c.Layers, n, MaxParams)
	}
	for _, a := range []struct {
		name string
		act  Activation
	}{{"hidden", c.HiddenAct}, {"latent", c.LatentAct}, {"output", c.OutputAct}} {
		if a.act < Identity || int(a.act) >= len(activationNames) {
			return fmt.Errorf("%s activation %d: want one of %s", a.name, int(a.act), strings.Join(activationNames, ", "))
		}
	}
	switch c.Loss {
	case LossMSE:
	case LossBCE:
		if c.OutputAct != Sigmoid {
			return fmt.Errorf("loss bce needs output activation sigmoid, not %s", c.OutputAct)
		}
	case LossTable:
		if err := c.validateTable(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("loss %q: want mse, bce or table", c.Loss)
	}
	if c.Loss != LossTable && c.TableGroups != nil {
		return fmt.Errorf("table groups %v: only for loss table, not %s", c.TableGroups, c.Loss)
	}
	switch c.Init {
	case "torch", "he", "xavier":
	default:
		return fmt.Errorf("init %q: want torch, he or xavier", c.Init)
	}
	if c.Beta < 0 || math.IsNaN(float64(c.Beta)) {
		return fmt.Errorf("beta %v: want a non-negative number", c.Beta)
	}
	return nil
}

// validateTable checks a LossTable config: an identity output and groups
// that cover the input width.
func (c *Config) validateTable() error {
	if c.OutputAct != Identity {
		return fmt.Errorf("loss table needs output activation identity, not %s", c.OutputAct)
	}
	if _, err := TableLayout(c.TableGroups); err != nil {
		return err
	}
	width := 0
	for _, k := range c.TableGroups {
		width += max(k, 1)
	}
	if width != c.Input() {
		return fmt.Errorf("table groups %v: %d model columns, but the input width is %d", c.TableGroups, width, c.Input())
	}
	return nil
}

// MaxParams bounds a model's parameter count (4 GiB of float32 weights, and
// as much again for each of gradients and Adam moments), so that a typo in
// --layers is an error rather than an attempt to allocate terabytes.
const MaxParams = 1 << 30

// paramCount returns the number of parameters c's layers need (as text,
// since it may overflow an int) and whether it is at most MaxParams.
func (c *Config) paramCount() (string, bool) {
	n := new(big.Int)
	add := func(in, out int) { // a dense layer: weights and bias
		n.Add(n, new(big.Int).Mul(big.NewInt(int64(in)), big.NewInt(int64(out))))
		n.Add(n, big.NewInt(int64(out)))
	}
	L := c.Layers
	for i := 0; i+1 < len(L); i++ {
		add(L[i], L[i+1]) // encoder (a VAE's mu head for the last pair)
		add(L[i+1], L[i]) // decoder
	}
	if c.Kind == KindVAE && len(L) >= 2 {
		add(L[len(L)-2], L[len(L)-1]) // logvar head
	}
	return n.String(), n.Cmp(big.NewInt(MaxParams)) <= 0
}

// Latent is the width of the latent code.
func (c *Config) Latent() int { return c.Layers[len(c.Layers)-1] }

// Input is the width of an input row.
func (c *Config) Input() int { return c.Layers[0] }

// Model is an AE or VAE whose parameters live on a backend.
type Model struct {
	Config   Config
	Params   *ParamSet
	Enc, Dec *MLP
	// Heads are a VAE's mu and logvar heads as one identity layer of
	// 2·Latent outputs, mu's first: its w (2L,In) is mu.weight (L,In) with
	// logvar.weight below it, its bias mu.bias then logvar.bias, as the
	// checkpoint names them. nil for an AE.
	Heads *Dense
	// fusedBCE: the decoder's last layer computes logits and the loss
	// applies the sigmoid (BCEWithLogits), for stability.
	fusedBCE bool
	// layout is TableLayout(Config.TableGroups) as an index tensor, made
	// once by NewModel for LossTable; nil otherwise.
	layout Tensor
	// infer holds the inference workspaces of Run and Decode (infer.go).
	infer map[inferKey]*workspace
	// home is the backend NewModel built m on; released is set by
	// Release (release.go).
	home     Backend
	released bool
}

// plan lays out the dense layers of c: the encoder chain, the VAE heads, the
// decoder chain. specs are the parameter tensors in layout order (the heads'
// weights joined, then their biases joined); each layer is bound to the
// specs at weight[i] and bias[i]. It allocates nothing.
func plan(c *Config) (m *Model, specs []ParamSpec, layers []*Dense, weight, bias []int) {
	m = &Model{Config: *c, Enc: &MLP{}, Dec: &MLP{}, fusedBCE: c.Loss == LossBCE}
	add := func(name string, in, out int, act Activation) *Dense {
		weight, bias = append(weight, len(specs)), append(bias, len(specs)+1)
		specs = append(specs, ParamSpec{Name: name + ".weight", Rows: out, Cols: in}, ParamSpec{Name: name + ".bias", Rows: 1, Cols: out})
		d := &Dense{In: in, Out: out, Act: act}
		layers = append(layers, d)
		return d
	}
	L := c.Layers
	nEnc := len(L) - 1
	if c.Kind == KindVAE {
		nEnc--
	}
	for i := 0; i < nEnc; i++ {
		act := c.HiddenAct
		if c.Kind == KindAE && i == nEnc-1 {
			act = c.LatentAct
		}
		m.Enc.Layers = append(m.Enc.Layers, add(fmt.Sprintf("encoder.%d", i), L[i], L[i+1], act))
	}
	if c.Kind == KindVAE {
		in, lat := L[nEnc], L[nEnc+1]
		weight, bias = append(weight, len(specs)), append(bias, len(specs)+2)
		specs = append(specs,
			ParamSpec{Name: "mu.weight", Rows: lat, Cols: in}, ParamSpec{Name: "logvar.weight", Rows: lat, Cols: in, Joined: true},
			ParamSpec{Name: "mu.bias", Rows: 1, Cols: lat}, ParamSpec{Name: "logvar.bias", Rows: 1, Cols: lat, Joined: true})
		m.Heads = &Dense{In: in, Out: 2 * lat, Act: Identity}
		layers = append(layers, m.Heads)
	}
	for i := len(L) - 1; i > 0; i-- {
		act := c.HiddenAct
		if i == 1 {
			act = c.OutputAct
			if m.fusedBCE {
				act = Identity
			}
		}
		m.Dec.Layers = append(m.Dec.Layers, add(fmt.Sprintf("decoder.%d", len(L)-1-i), L[i], L[i-1], act))
	}
	return m, specs, layers, weight, bias
}

// ParamSpecs lists the parameter tensors of c in order, without allocating.
func (c *Config) ParamSpecs() ([]ParamSpec, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	_, specs, _, _, _ := plan(c)
	return specs, nil
}

// NewModel builds c on b with parameters initialised from seed.
func NewModel(b Backend, c Config, seed uint64) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	m, specs, layers, weight, bias := plan(&c)
	ps, err := NewParamSet(b, specs)
	if err != nil {
		return nil, err
	}
	m.Params, m.home = ps, b
	if c.Loss == LossTable {
		lay, _ := TableLayout(c.TableGroups) // checked by Validate
		if m.layout, err = b.AllocIndex(len(lay)); err != nil {
			return nil, err
		}
		b.UploadIndex(m.layout, lay)
	}
	for i, d := range layers {
		d.W, d.B = ps.P[weight[i]], ps.P[bias[i]]
		d.DW, d.DB = ps.G[weight[i]], ps.G[bias[i]]
	}
	b.Upload(ps.Flat, m.initialParams(seed))
	return m, nil
}

// initialParams draws every parameter on the host from seed:
//
//	torch:  w, b ~ U(-1/√In, 1/√In)   (PyTorch nn.Linear's default)
//	he:     w ~ N(0, 2/In), b = 0       (Kaiming, for ReLU)
//	xavier: w ~ U(±√(6/(In+Out))), b = 0 (Glorot)
func (m *Model) initialParams(seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0x77676d6c))
	ps := m.Params
	flat := make([]float32, ps.Total)
	views := ps.unpack(flat)
	for _, i := range ps.weights() {
		w, bias := views[i], views[ps.Index(strings.TrimSuffix(ps.Names[i], ".weight")+".bias")]
		out, in := ps.Shapes[i][0], ps.Shapes[i][1]
		switch m.Config.Init {
		case "torch":
			bound := 1 / math.Sqrt(float64(in))
			for j := range w {
				w[j] = float32((2*rng.Float64() - 1) * bound)
			}
			for j := range bias {
				bias[j] = float32((2*rng.Float64() - 1) * bound)
			}
		case "he":
			std := math.Sqrt(2 / float64(in))
			for j := range w {
				w[j] = float32(rng.NormFloat64() * std)
			}
		case "xavier":
			bound := math.Sqrt(6 / float64(in+out))
			for j := range w {
				w[j] = float32((2*rng.Float64() - 1) * bound)
			}
		}
	}
	return flat
}

// weights returns the indices of ps's weight tensors in layout order; each
// NAME.weight has a NAME.bias.
func (ps *ParamSet) weights() []int {
	var ws []int
	for i, n := range ps.Names {
		if strings.HasSuffix(n, ".weight") {
			ws = append(ws, i)
		}
	}
	return ws
}
