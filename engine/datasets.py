"""Dataset generators keyed by wire name: TensorFlow Playground's six (its formulas and
defaults), plus moons, k-class blobs and the source articles' house prices.

Every generator is ``gen(n, noise, rng, classes)`` -> (P (n, 2) float64 points, y (n,) labels), with
noise in [0, 0.5] (the Playground's slider value / 100). Binary labels are +1/-1, multi-class labels
are 0..k-1, regression labels are real numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .registry import lookup


def _circle(n, noise, rng, classes):
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    P = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    y = np.where(np.hypot(*(P + jitter).T) < radius * 0.5, 1.0, -1.0)
    return P, y


def _xor(n, noise, rng, classes):
    P = rng.uniform(-5, 5, (n, 2))
    P += np.where(P > 0, 0.3, -0.3)
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    Q = P + jitter
    y = np.where(Q[:, 0] * Q[:, 1] >= 0, 1.0, -1.0)
    return P, y


def _gauss(n, noise, rng, classes):
    variance = 0.5 + noise * (4.0 - 0.5) / 0.5
    half = n // 2
    std = np.sqrt(variance)
    P = np.concatenate([rng.normal(2, std, (half, 2)), rng.normal(-2, std, (n - half, 2))])
    y = np.concatenate([np.ones(half), -np.ones(n - half)])
    return P, y


def _spiral(n, noise, rng, classes):
    half = n // 2
    parts, labels = [], []
    for delta, label, m in ((0.0, 1.0, half), (np.pi, -1.0, n - half)):
        i = np.arange(m)
        r = i / half * 5
        t = 1.75 * i / half * 2 * np.pi + delta
        x = r * np.sin(t) + rng.uniform(-1, 1, m) * noise
        yy = r * np.cos(t) + rng.uniform(-1, 1, m) * noise
        parts.append(np.column_stack([x, yy]))
        labels.append(np.full(m, label))
    return np.concatenate(parts), np.concatenate(labels)


def _reg_plane(n, noise, rng, classes):
    P = rng.uniform(-6, 6, (n, 2))
    Q = P + rng.uniform(-6, 6, (n, 2)) * noise
    return P, (Q[:, 0] + Q[:, 1]) / 10.0


_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _reg_gauss(n, noise, rng, classes):
    P = rng.uniform(-6, 6, (n, 2))
    Q = P + rng.uniform(-6, 6, (n, 2)) * noise
    d = np.hypot(Q[:, None, 0] - _GAUSSIANS[None, :, 0], Q[:, None, 1] - _GAUSSIANS[None, :, 1])
    candidates = _GAUSSIANS[None, :, 2] * np.clip(1 - d / 2, 0, 1)        # (n, 6)
    pick = np.abs(candidates).argmax(axis=1)
    return P, candidates[np.arange(n), pick]


def _moons(n, noise, rng, classes):
    """Two interleaving half circles (radius 3), Gaussian jitter with std 3 * noise."""
    half = n // 2
    t1, t2 = rng.uniform(0, np.pi, half), rng.uniform(0, np.pi, n - half)
    upper = np.column_stack([np.cos(t1), np.sin(t1)])
    lower = np.column_stack([1 - np.cos(t2), 0.5 - np.sin(t2)])
    P = (np.concatenate([upper, lower]) - [0.5, 0.25]) * 3.0
    P += rng.normal(0, 3.0 * noise + 1e-12, (n, 2)) if noise > 0 else 0.0
    return P, np.concatenate([np.ones(half), -np.ones(n - half)])


def _blobs(n, noise, rng, classes):
    """k Gaussian blobs with centres evenly on a circle of radius 3.5; std 0.6 + 4 * noise."""
    k = classes
    labels = np.arange(n) % k
    angle = 2 * np.pi * labels / k + np.pi / 2
    centres = 3.5 * np.column_stack([np.cos(angle), np.sin(angle)])
    P = centres + rng.normal(0, 0.6 + 4 * noise, (n, 2))
    return P, labels.astype(np.float64)


HOUSE_W, HOUSE_B = -0.8, 3.0


def _house(n, noise, rng, classes):
    """Price against distance to the city centre: price = -0.8 * distance + 3 + N(0, (0.1 + 4 noise)^2).

    One input: x1 is the distance in [-5, 5] (centred), x2 is 0.
    """
    d = rng.uniform(-5, 5, n)
    price = HOUSE_W * d + HOUSE_B + rng.normal(0, 0.1 + 4 * noise, n)
    return np.column_stack([d, np.zeros(n)]), price


@dataclass(frozen=True)
class Dataset:
    name: str
    kind: str                  # classification, regression, multiclass, language; custom: by its classes
    gen: Callable | None       # None: the data come from a file or an upload
    n_default: int
    dims: int = 2
    task: str = "points"       # the engine.tasks entry that learns it
    source: str = "generated"  # generated (by gen), bundled (a file shipped inside the project) or upload


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset("circle", "classification", _circle, 500),
        Dataset("xor", "classification", _xor, 500),
        Dataset("gauss", "classification", _gauss, 500),
        Dataset("spiral", "classification", _spiral, 500),
        Dataset("moons", "classification", _moons, 500),
        Dataset("blobs", "multiclass", _blobs, 500),
        Dataset("reg-plane", "regression", _reg_plane, 1200),
        Dataset("reg-gauss", "regression", _reg_gauss, 1200),
        Dataset("house", "regression", _house, 100, dims=1),
        Dataset("custom", "custom", None, 0, source="upload"),     # a learner's CSV (run data); kind by classes
        Dataset("digits", "multiclass", None, 0, dims=784, task="digits", source="bundled"),
        Dataset("shakespeare", "language", None, 0, dims=0, task="text", source="bundled"),
        Dataset("text", "language", None, 0, dims=0, task="text", source="upload"),    # a learner's upload
    ]
}
MIN_CLASSES, MAX_CLASSES = 3, 5            # the blobs generator's
CUSTOM_CLASSES = 10                        # a learner's data: 2 to 10 classes, or 0 (regression)


def get(name: str) -> Dataset:
    return lookup("dataset", name, DATASETS)


def generate(name: str, n: int, noise: float, seed: int, classes: int = 3):
    """Points and labels, shuffled once (as the Playground does) with the same seed."""
    ds = get(name)
    if ds.gen is None:                         # its data come as a file or an upload: no points of its own
        return np.zeros((0, 2)), np.zeros(0)
    if not 0 <= noise <= 0.5:
        raise ValueError(f"noise: {noise} is out of range; allowed: 0 to 0.5")
    if ds.kind == "multiclass" and not MIN_CLASSES <= classes <= MAX_CLASSES:
        raise ValueError(f"classes: {classes} is out of range; allowed: {MIN_CLASSES} to {MAX_CLASSES}")
    rng = np.random.default_rng(seed)
    P, y = ds.gen(n, noise, rng, classes)
    order = rng.permutation(n)
    return P[order], y[order]


def split(P, y, train_ratio: float):
    """First floor(n * ratio) points train, the rest test (the Playground's split)."""
    cut = int(np.floor(len(P) * train_ratio))
    return (P[:cut], y[:cut]), (P[cut:], y[cut:])
