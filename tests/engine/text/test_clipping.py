"""Clipping by global norm."""
import math

import numpy as np

from engine.text.clipping import clip_by_global_norm


def test_clips_to_the_norm_and_keeps_the_direction():
    g = np.array([3.0, -4.0, 12.0])                     # norm 13
    before = g.copy()
    assert clip_by_global_norm(g, 5.0) == 13.0
    assert abs(np.linalg.norm(g) - 5.0) < 1e-12
    assert np.allclose(g, before * 5.0 / 13.0)


def test_leaves_small_gradients_and_disabled_clipping_alone():
    for max_norm in (20.0, None, 0, math.inf):
        g = np.array([3.0, -4.0, 12.0])
        clip_by_global_norm(g, max_norm)
        assert g.tolist() == [3.0, -4.0, 12.0]


def test_does_not_hide_divergence():
    g = np.array([np.inf, 1.0])
    assert clip_by_global_norm(g, 5.0) == math.inf and g[0] == np.inf
