"""Input features for 2-D points, keyed by wire name: what the network sees of (x1, x2)."""
from __future__ import annotations

import numpy as np

from .registry import check as check_name

FEATURES = {
    "x1": lambda P: P[:, 0],
    "x2": lambda P: P[:, 1],
    "x1_sq": lambda P: P[:, 0] * P[:, 0],
    "x2_sq": lambda P: P[:, 1] * P[:, 1],
    "x1x2": lambda P: P[:, 0] * P[:, 1],
    "sin_x1": lambda P: np.sin(P[:, 0]),
    "sin_x2": lambda P: np.sin(P[:, 1]),
}
DEFAULT_FEATURES = ["x1", "x2"]


def check(names: list[str]) -> None:
    if not names:
        raise ValueError(f"features: at least one is needed; allowed: {', '.join(FEATURES)}")
    for n in names:
        check_name("features", n, FEATURES)
    if len(set(names)) != len(names):
        raise ValueError("features: each feature may appear once")


def transform(P: np.ndarray, names: list[str], dtype=np.float64) -> np.ndarray:
    """P (n, 2) points -> X (n, d) feature matrix, in the order of `names`."""
    X = np.empty((P.shape[0], len(names)), dtype=dtype)
    for j, n in enumerate(names):
        X[:, j] = FEATURES[n](P)
    return X
