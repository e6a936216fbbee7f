"""What the drawing pad's ink becomes before the network sees it: MNIST's own preprocessing.

MNIST's digits were size-normalised to fit a 20x20 box keeping their aspect ratio (anti-aliased),
then centred in a 28x28 image by their centre of mass. ``prepare`` does the same to a canvas: crop
to the ink, scale the longer side to 20 pixels by area averaging, and place the result in 28x28 so
that its centre of mass falls on the image centre (pixel index 14, as in MNIST's files).
"""
from __future__ import annotations

import numpy as np

SIDE, BOX = 28, 20
CENTRE = SIDE / 2                  # where the centre of mass goes, in pixel indices
MAX_SIDE = 2048                    # a canvas larger than this is refused
INK = 0.05                         # a pixel is ink above this share of the brightest pixel


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """R (n_out, n_in): row i averages the input cells that output cell i covers, by overlap."""
    edges = np.arange(n_out + 1) * (n_in / n_out)
    lo, hi = edges[:-1, None], edges[1:, None]
    cells = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, cells + 1) - np.maximum(lo, cells), 0.0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def prepare(canvas: np.ndarray) -> np.ndarray:
    """A canvas (H, W) of ink intensities (0 = no ink, any non-negative scale, e.g. the pad's
    grayscale with ink bright) -> float64 (28, 28) in [0, 1], as MNIST's preprocessing would have
    made it. A blank canvas gives a blank image."""
    try:
        A = np.asarray(canvas, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("canvas: must be a 2-D array of numbers (ink intensities)") from None
    if A.ndim != 2 or A.shape[0] < 1 or A.shape[1] < 1:
        raise ValueError(f"canvas: a 2-D grayscale image is needed; got shape {A.shape}")
    if max(A.shape) > MAX_SIDE:
        raise ValueError(f"canvas: {A.shape[0]}x{A.shape[1]} is too large; allowed: up to "
                         f"{MAX_SIDE}x{MAX_SIDE} pixels")
    if not np.isfinite(A).all():
        A = np.where(np.isfinite(A), A, 0.0)
    top = A.max()
    out = np.zeros((SIDE, SIDE))
    if top <= 0:
        return out
    ink = A > INK * top
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    A = A[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].clip(0.0, None)   # crop to the ink
    A /= top
    h, w = A.shape
    scale = BOX / max(h, w)
    h2, w2 = max(1, round(h * scale)), max(1, round(w * scale))
    small = _area_weights(h, h2) @ A @ _area_weights(w, w2).T           # (h2, w2)
    small /= small.max()
    mass = small.sum()
    cy = (small.sum(axis=1) @ np.arange(h2)) / mass                      # centre of mass, pixels
    cx = (small.sum(axis=0) @ np.arange(w2)) / mass
    # MNIST's centres of mass sit at pixel index 14 (its 5,000 here: mean 13.99 rows, 14.00 columns)
    top_row = int(np.clip(np.floor(CENTRE - cy + 0.5), 0, SIDE - h2))
    left = int(np.clip(np.floor(CENTRE - cx + 0.5), 0, SIDE - w2))
    out[top_row:top_row + h2, left:left + w2] = small
    return out
