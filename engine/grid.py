"""The input-space grid that decision-boundary maps and neuron thumbnails are drawn on."""
from __future__ import annotations

import numpy as np

from . import features

EXTENT = 6.0            # the Playground's [-6, 6] square


class Grid:
    """Grid points and their feature matrices, cached per resolution (float32)."""

    def __init__(self):
        self._points: dict[int, np.ndarray] = {}
        self._features: dict[tuple, np.ndarray] = {}

    def points(self, resolution: int) -> np.ndarray:
        P = self._points.get(resolution)
        if P is None:
            axis = np.linspace(-EXTENT, EXTENT, resolution)
            x1, x2 = np.meshgrid(axis, axis)                     # row i: x2 = axis[i]
            P = self._points[resolution] = np.column_stack([x1.ravel(), x2.ravel()])
        return P

    def features(self, resolution: int, names: list[str]) -> np.ndarray:
        key = (resolution, tuple(names))
        X = self._features.get(key)
        if X is None:
            if len(self._features) > 16:
                self._features.clear()
            X = self._features[key] = features.transform(self.points(resolution), names, np.float32)
        return X
