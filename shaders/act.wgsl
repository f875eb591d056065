// act.wgsl: library of activation functions; ACT numbers them as
// nn.Activation does: 0 identity, 1 relu, 2 leakyrelu, 3 tanh, 4 sigmoid.

const LEAKY_SLOPE: f32 = 0.01;

// sigmoid is 1/(1+exp(-x)) in a form whose exp never overflows.
fn sigmoid(x: f32) -> f32 {
    let e = exp(-abs(x));
    return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}

// act_apply returns ACT(x). tanh's input is clamped (tanh(±15) rounds to
// ±1 in f32) because some drivers compute tanh through exp and overflow.
fn act_apply(x: f32) -> f32 {
    switch ACT {
        case 1u: { return select(0.0, x, x > 0.0); }
        case 2u: { return select(LEAKY_SLOPE * x, x, x > 0.0); }
        case 3u: { return tanh(clamp(x, -15.0, 15.0)); }
        case 4u: { return sigmoid(x); }
        default: { return x; }
    }
}

// act_deriv returns ACT'(x) written in terms of the output y = ACT(x)
// (nn.Activation.DerivFromOutput).
fn act_deriv(y: f32) -> f32 {
    switch ACT {
        case 1u: { return select(0.0, 1.0, y > 0.0); }
        case 2u: { return select(LEAKY_SLOPE, 1.0, y > 0.0); }
        case 3u: { return 1.0 - y * y; }
        case 4u: { return y * (1.0 - y); }
        default: { return 1.0; }
    }
}
