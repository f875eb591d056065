#!/usr/bin/python3
"""Writes the resize fixture that data.TestResizeAgainstReferences reads:
a few small odd-sized images (src_NAME.png) and two references' resizes of
each to odd sizes:

  pil_NAME_WxH.png    Pillow's bicubic resize (Image.BICUBIC), of the
                      images whose overshoot stays inside [0, 255];
  exact_NAME_WxH.png  the resize computed here with NumPy in float64.

Both are the cubic convolution kernel with a = -0.5 (Catmull-Rom), widened
by the scale factor when shrinking, sampled at the destination pixel
centres ((i + 0.5) * scale - 0.5 in source pixels), taps past the border
left out and the weights renormalised, as golang.org/x/image/draw's
CatmullRom does. They differ in arithmetic: Pillow stores the horizontal
pass in 8 bits (rounded and clipped to [0, 255]) before the vertical one;
NumPy keeps it exact and rounds once at the end. The script checks that
NumPy with Pillow's 8-bit middle pass gives Pillow's pixels.

Run from this folder with Debian's python3 (Pillow 9.4, NumPy 1.24):
/usr/bin/python3 gen.py
"""
import numpy as np
from PIL import Image

rng = np.random.RandomState(19)


def gradient(w, h):
    y, x = np.mgrid[0:h, 0:w]
    v = 128 + 70 * np.sin(x / 3.1) * np.cos(y / 4.7) + 30 * (x / w - y / h)
    return np.round(v).astype(np.uint8)


def square(w, h, lo, hi):
    v = np.full((h, w), lo, np.uint8)
    v[h // 4:3 * h // 4, w // 3:2 * w // 3] = hi
    return v


# name: (pixels, target sizes (w, h)). The first three stay inside
# [40, 215] so that no overshoot of the kernel reaches past [0, 255]: there
# Pillow's 8-bit middle pass only rounds. full_square's edges go from 0 to
# 255, and Pillow clips the overshoot of its middle pass.
SOURCES = {
    "gradient": (gradient(37, 23), [(16, 11), (53, 41)]),
    "square": (square(19, 13, 40, 215), [(7, 5), (31, 27)]),
    "noise": (rng.randint(40, 216, (31, 29, 3)).astype(np.uint8), [(12, 17), (45, 40)]),
    "full_square": (square(19, 13, 0, 255), [(7, 5), (31, 27)]),
}


def catmull_rom(x):
    """Keys' cubic convolution kernel with a = -0.5."""
    a, x = -0.5, np.abs(x)
    return np.where(x < 1, (a + 2) * x**3 - (a + 3) * x**2 + 1,
                    np.where(x < 2, a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a, 0.0))


def weights(dst, src):
    """The dst×src matrix of one axis' normalised resize weights."""
    scale = src / dst
    stretch = max(scale, 1.0)
    centre = (np.arange(dst) + 0.5) * scale - 0.5
    w = catmull_rom((centre[:, None] - np.arange(src)[None, :]) / stretch)
    return w / w.sum(axis=1, keepdims=True)


def exact(px, w, h):
    """Resizes px (H×W or H×W×3 uint8) to w×h in float64, rounded once."""
    f = px.astype(np.float64)
    wy, wx = weights(h, px.shape[0]), weights(w, px.shape[1])
    out = np.einsum("yi,ij...->yj...", wy, np.einsum("xj,ij...->ix...", wx, f))
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def pillow_like(px, w, h):
    """exact with Pillow's arithmetic: the middle pass rounded and clipped
    to 8 bits."""
    f = px.astype(np.float64)
    wy, wx = weights(h, px.shape[0]), weights(w, px.shape[1])
    mid = np.clip(np.round(np.einsum("xj,ij...->ix...", wx, f)), 0, 255)
    return np.clip(np.round(np.einsum("yi,ij...->yj...", wy, mid)), 0, 255)


for name, (px, sizes) in SOURCES.items():
    img = Image.fromarray(px)  # mode L (2-D) or RGB (3-D)
    img.save(f"src_{name}.png")
    for w, h in sizes:
        pil = img.resize((w, h), Image.BICUBIC)
        # The two references are one resize: with Pillow's 8-bit middle
        # pass, the NumPy one gives Pillow's pixels.
        diff = np.abs(np.asarray(pil, np.float64) - pillow_like(px, w, h)).max()
        assert diff <= 1, f"{name} {w}x{h}: Pillow differs from its NumPy model by {diff}"
        print(f"{name} {w}x{h}: Pillow - NumPy with an 8-bit middle pass: max |diff| {diff:g}")
        if not name.startswith("full_"):
            pil.save(f"pil_{name}_{w}x{h}.png")
        Image.fromarray(exact(px, w, h)).save(f"exact_{name}_{w}x{h}.png")
