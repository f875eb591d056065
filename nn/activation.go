package nn

import (
	"fmt"
	"math"
	"strings"
)

// Activation is an elementwise nonlinearity of a dense layer.
type Activation int

const (
	Identity  Activation = iota // f(x) = x
	ReLU                        // f(x) = max(x, 0)
	LeakyReLU                   // f(x) = x if x > 0 else LeakySlope·x
	Tanh                        // f(x) = tanh(x)
	Sigmoid                     // f(x) = 1/(1+exp(-x))
)

// LeakySlope is the negative-side slope of LeakyReLU (PyTorch's default).
const LeakySlope = 0.01

var activationNames = []string{"identity", "relu", "leakyrelu", "tanh", "sigmoid"}

// String returns the flag name of a.
func (a Activation) String() string {
	if a < 0 || int(a) >= len(activationNames) {
		return fmt.Sprintf("Activation(%d)", int(a))
	}
	return activationNames[a]
}

// ParseActivation reads an activation name: identity (or linear, none),
// relu, leakyrelu (or leaky_relu), tanh, sigmoid.
func ParseActivation(s string) (Activation, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "identity", "linear", "none":
		return Identity, nil
	case "relu":
		return ReLU, nil
	case "leakyrelu", "leaky_relu", "leaky-relu":
		return LeakyReLU, nil
	case "tanh":
		return Tanh, nil
	case "sigmoid":
		return Sigmoid, nil
	}
	return 0, fmt.Errorf("unknown activation %q (want one of %s)", s, strings.Join(activationNames, ", "))
}

// Apply returns f(x).
func (a Activation) Apply(x float32) float32 {
	switch a {
	case ReLU:
		if x > 0 {
			return x
		}
		return 0
	case LeakyReLU:
		if x > 0 {
			return x
		}
		return LeakySlope * x
	case Tanh:
		return float32(math.Tanh(float64(x)))
	case Sigmoid:
		return float32(1 / (1 + math.Exp(-float64(x))))
	}
	return x
}

// DerivFromOutput returns f'(x) written in terms of y = f(x), so backward
// passes need only the forward output:
//
//	identity 1; relu 1 if y > 0 else 0; leakyrelu 1 if y > 0 else LeakySlope;
//	tanh 1-y²; sigmoid y(1-y).
func (a Activation) DerivFromOutput(y float32) float32 {
	switch a {
	case ReLU:
		if y > 0 {
			return 1
		}
		return 0
	case LeakyReLU:
		if y > 0 {
			return 1
		}
		return LeakySlope
	case Tanh:
		return 1 - y*y
	case Sigmoid:
		return y * (1 - y)
	}
	return 1
}

// MarshalText writes the flag name, so configs store "relu", not 1.
func (a Activation) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads a flag name.
func (a *Activation) UnmarshalText(b []byte) error {
	v, err := ParseActivation(string(b))
	*a = v
	return err
}
