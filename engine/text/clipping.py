"""Gradient clipping by global norm, for any model with a flat gradient (the Trainer's to call)."""
from __future__ import annotations

import math

import numpy as np


def clip_by_global_norm(grad: np.ndarray, max_norm: float | None) -> float:
    """Scale grad in place so that its Euclidean norm is at most max_norm; returns the norm before.

    max_norm None, 0 or inf: no clipping. A non-finite norm is returned and grad left alone (the
    Trainer reports divergence; clipping must not hide it).
    """
    norm = math.sqrt(float(np.dot(grad, grad)))
    if max_norm and math.isfinite(max_norm) and math.isfinite(norm) and norm > max_norm:
        grad *= max_norm / norm
    return norm
