"""Weight initialisations, keyed by the wire name of the config field ``init``.

Each is ``fill(rng, W, b)``: it fills one layer's W (out, in) and b (out,) in place, drawing W with
rng in W's shape (so a layer's draws do not depend on how theta stores it).
playground: W ~ U[-0.5, 0.5), b = 0.1 (TensorFlow Playground's); xavier: W ~ U[-a, a] with
a = sqrt(6 / (in + out)), b = 0; he: W ~ N(0, 2 / in), b = 0; zeros: everything 0.
"""
from __future__ import annotations

import numpy as np


def _playground(rng, W, b):
    W[...] = rng.uniform(-0.5, 0.5, W.shape)
    b.fill(0.1)


def _xavier(rng, W, b):
    a = np.sqrt(6.0 / (W.shape[0] + W.shape[1]))
    W[...] = rng.uniform(-a, a, W.shape)
    b.fill(0.0)


def _he(rng, W, b):
    W[...] = rng.normal(0.0, np.sqrt(2.0 / W.shape[1]), W.shape)
    b.fill(0.0)


def _zeros(rng, W, b):
    W.fill(0.0)
    b.fill(0.0)


INITS = {"playground": _playground, "xavier": _xavier, "he": _he, "zeros": _zeros}
