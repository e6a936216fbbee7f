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
    n, w = X.shape[0], side + 3
    t = rng.uniform(-max_shift, max_shift, (n, 2))                      # (dy, dx)
    angle = np.deg2rad(rng.uniform(-max_angle, max_angle, n))
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    c = (side - 1) / 2.0
    y, x = _grid(side)                                                   # (1, side*side) each, centred
    # source = R(-angle) (p - c - t) + c, +1 for the zeros padded around every image (one row and
    # column before it, two after, so that every clipped point reads zeros only)
    sy = cos * y - sin * x + (c + 1 - cos[:, 0] * t[:, 0] + sin[:, 0] * t[:, 1])[:, None]
    sx = sin * y + cos * x + (c + 1 - sin[:, 0] * t[:, 0] - cos[:, 0] * t[:, 1])[:, None]
    np.clip(sy, 0.0, side + 1.0, out=sy)                                 # far outside reads zeros
    np.clip(sx, 0.0, side + 1.0, out=sx)
    y0, x0 = sy.astype(np.intp), sx.astype(np.intp)                      # floor: both are >= 0
    fy, fx = sy - y0, sx - x0
    padded = np.zeros((n, w, w))
    padded[:, 1:-2, 1:-2] = X.reshape(n, side, side)
    at = y0 * w + x0 + (np.arange(n) * (w * w))[:, None]                 # top-left corner, flat
    flat = padded.ravel()
    top = flat.take(at) * (1.0 - fx) + flat.take(at + 1) * fx
    bottom = flat.take(at + w) * (1.0 - fx) + flat.take(at + w + 1) * fx
    return top + (bottom - top) * fy


_grids: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _grid(side: int) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's row and column minus the image centre, as (1, side*side) rows."""
    if side not in _grids:
        r, q = np.divmod(np.arange(side * side, dtype=np.float64), side)
        c = (side - 1) / 2.0
        _grids[side] = (r - c)[None, :], (q - c)[None, :]
    return _grids[side]
