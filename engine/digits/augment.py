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


class _Buffers:
    """The intermediate arrays of one batch size, allocated once: fresh large arrays cost more in
    page faults than the arithmetic on them. The zero border of `padded` is never written."""

    def __init__(self, n: int, side: int):
        P, w = side * side, side + 3
        self.M = np.empty((2 * n, 3))
        self.S, self.F = np.empty((2 * n, P)), np.empty((2 * n, P))
        self.at, self.corner = np.empty((n, P), np.intp), np.empty((n, P), np.intp)
        self.padded = np.zeros((n, w, w))
        self.other, self.bottom = np.empty((n, P)), np.empty((n, P))
        self.offsets = (np.arange(n) * float(w * w))[:, None]


_buffers: dict[tuple[int, int], _Buffers] = {}


def augment(X: np.ndarray, rng: np.random.Generator, side: int = 28,
            max_shift: float = MAX_SHIFT, max_angle: float = MAX_ANGLE) -> np.ndarray:
    """X (n, side*side) images -> a new (n, side*side) float64 array, each image shifted by up to
    max_shift pixels per axis and rotated by up to max_angle degrees (uniform draws)."""
    X = np.asarray(X, dtype=np.float64)
    n, w = X.shape[0], side + 3
    b = _buffers.get((n, side))
    if b is None:
        if len(_buffers) >= 8:                                           # a few batch sizes
            _buffers.pop(next(iter(_buffers)))
        b = _buffers[(n, side)] = _Buffers(n, side)
    t = rng.uniform(-max_shift, max_shift, (n, 2))                      # (dy, dx)
    angle = np.deg2rad(rng.uniform(-max_angle, max_angle, n))
    cos, sin = np.cos(angle), np.sin(angle)
    c = (side - 1) / 2.0 + 1.0              # the centre, +1 for the zero row and column before
    # source (row; column) = R(-angle) (p - c - t) + c: one product for the whole batch,
    # M (2n, 3) [rows of every image; columns of every image] @ [y; x; 1] (3, side*side)
    M, S, F, at, corner, other = b.M, b.S, b.F, b.at, b.corner, b.other
    M[:n, 0], M[:n, 1], M[:n, 2] = cos, -sin, c - cos * t[:, 0] + sin * t[:, 1]
    M[n:, 0], M[n:, 1], M[n:, 2] = sin, cos, c - sin * t[:, 0] - cos * t[:, 1]
    np.dot(M, _grid(side), S)
    # zeros padded around each image, one row and column before it and two after, so that the
    # four corners of every clipped point lie inside, and far outside reads zeros only
    np.clip(S, 0.0, side + 1.0, out=S)
    np.floor(S, out=F)
    S -= F                                                               # fractions
    fy, fx, Fy, Fx = S[:n], S[n:], F[:n], F[n:]
    Fy *= w
    Fy += Fx
    Fy += b.offsets
    at[...] = Fy                                                         # top-left corners, flat
    b.padded[:, 1:-2, 1:-2] = X.reshape(n, side, side)
    flat = b.padded.reshape(-1)
    top = flat.take(at, 0, None, "clip")                                 # the result: a new array
    flat.take(np.add(at, 1, corner), 0, other, "clip")
    other -= top
    other *= fx
    top += other                                                         # along the top row
    bottom = flat.take(np.add(at, w, corner), 0, b.bottom, "clip")
    flat.take(np.add(at, w + 1, corner), 0, other, "clip")
    other -= bottom
    other *= fx
    bottom += other                                                      # along the bottom row
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
