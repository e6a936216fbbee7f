"""Data augmentation for digit images: a random shift of up to 2 pixels and a small rotation per
image, drawn afresh for every batch (the articles' third regulariser, beside L2 and dropout).

Each output pixel p takes the input at the inverse-mapped point R(-angle) (p - c - shift) + c
(c the image centre), read by bilinear interpolation with zeros outside the image. So every output
pixel is a convex combination of input pixels and zeros: values stay within [0, max of the input],
and the labels are untouched. One vectorised pass for the whole batch.
"""
from __future__ import annotations

import numpy as np

MAX_SHIFT = 2.0                    # pixels, each axis
MAX_ANGLE = 10.0                   # degrees, either way


def augment(X: np.ndarray, rng: np.random.Generator, side: int = 28,
            max_shift: float = MAX_SHIFT, max_angle: float = MAX_ANGLE) -> np.ndarray:
    """X (n, side*side) images -> a new (n, side*side) float64 array, each image shifted by up to
    max_shift pixels per axis and rotated by up to max_angle degrees (uniform draws)."""
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    shift = rng.uniform(-max_shift, max_shift, (n, 2, 1))               # (dy, dx)
    angle = np.deg2rad(rng.uniform(-max_angle, max_angle, (n, 1)))
    c = (side - 1) / 2.0
    r, q = np.divmod(np.arange(side * side), side)                       # row, column of each pixel
    y = r - c - shift[:, 0]                                              # (n, side*side)
    x = q - c - shift[:, 1]
    cos, sin = np.cos(angle), np.sin(angle)
    sy = cos * y - sin * x + c                                           # source row
    sx = sin * y + cos * x + c                                           # source column
    y0, x0 = np.floor(sy), np.floor(sx)
    fy, fx = sy - y0, sx - x0
    y0, x0 = y0.astype(np.intp), x0.astype(np.intp)
    padded = np.zeros((n, side + 2, side + 2))                           # a ring of zeros around
    padded[:, 1:-1, 1:-1] = X.reshape(n, side, side)
    flat = padded.reshape(n, -1)
    # corners outside the padded image read the zero ring
    yy0, xx0 = np.clip(y0 + 1, 0, side + 1), np.clip(x0 + 1, 0, side + 1)
    yy1, xx1 = np.clip(y0 + 2, 0, side + 1), np.clip(x0 + 2, 0, side + 1)
    w = side + 2
    rows = np.arange(n)[:, None]
    out = flat[rows, yy0 * w + xx0] * ((1 - fy) * (1 - fx))
    out += flat[rows, yy0 * w + xx1] * ((1 - fy) * fx)
    out += flat[rows, yy1 * w + xx0] * (fy * (1 - fx))
    out += flat[rows, yy1 * w + xx1] * (fy * fx)
    return out
