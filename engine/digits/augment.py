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
    cos, sin = np.cos(angle), np.sin(angle)
    c = (side - 1) / 2.0 + 1.0              # the centre, +1 for the zero row and column before
    # source (row; column) = R(-angle) (p - centre - t) + centre: one product for the whole batch,
    # M (2n, 3) [rows of every image; columns of every image] @ [y; x; 1] (3, side*side)
    M = np.empty((2 * n, 3))
    M[:n, 0], M[:n, 1], M[:n, 2] = cos, -sin, c - cos * t[:, 0] + sin * t[:, 1]
    M[n:, 0], M[n:, 1], M[n:, 2] = sin, cos, c - sin * t[:, 0] - cos * t[:, 1]
    S = M @ _grid(side)
    # zeros padded around each image, one row and column before it and two after, so that the
    # four corners of every clipped point lie inside, and far outside reads zeros only
    np.clip(S, 0.0, side + 1.0, out=S)
    F = np.floor(S)
    S -= F                                                               # fractions
    F[:n] *= w
    F[:n] += F[n:]
    F[:n] += (np.arange(n) * float(w * w))[:, None]
    at = F[:n].astype(np.intp)                                           # top-left corners, flat
    padded = np.zeros((n, w, w))
    padded[:, 1:-2, 1:-2] = X.reshape(n, side, side)
    flat = padded.ravel()
    fy, fx = S[:n], S[n:]
    top, right = flat.take(at), flat.take(at + 1)
    right -= top
    right *= fx
    top += right                                                         # along the top row
    bottom, right = flat.take(at + w), flat.take(at + (w + 1))
    right -= bottom
    right *= fx
    bottom += right                                                      # along the bottom row
    bottom -= top
    bottom *= fy
    top += bottom                                                        # and between them
    return top


_grids: dict[int, np.ndarray] = {}


def _grid(side: int) -> np.ndarray:
    """(3, side*side): each pixel's row and column minus the image centre, and a row of ones."""
    if side not in _grids:
        r, q = np.divmod(np.arange(side * side, dtype=np.float64), side)
        c = (side - 1) / 2.0
        _grids[side] = np.vstack([r - c, q - c, np.ones(side * side)])
    return _grids[side]
