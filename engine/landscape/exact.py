"""Exact loss surfaces of two-parameter models, and what gradient descent does on them.

``linear_regression`` (price = w distance + b, MSE over (w, b)) and ``neuron`` (a = f(w1 x1 +
w2 x2)) are surfaces.Surface objects, so descent paths, races and crowds of walkers run on them.
With a constant Hessian (linear regression) ``lr_presets``, ``regime`` and ``gd_path`` say which
learning rates crawl, descend smoothly, zig-zag or diverge.
"""
from __future__ import annotations

import numpy as np

from .. import activations, datasets, losses
from .surfaces import Surface, predicted_rate
from .walkers import descend

def _two_param(name, U, V, y, output, loss, extent, start, hessian=None, minimum=None) -> Surface:
    """The surface of L(p) = mean loss(f(p1 u + p2 v), y) over p (..., 2); U, V, y (n,)."""
    L, act = losses.get(loss), activations.get(output)
    Y = y.reshape(-1, 1)

    def forward(P):
        P = np.asarray(P, dtype=np.float64)
        Z = P[..., 0, None] * U + P[..., 1, None] * V                       # (..., n)
        return Z.reshape(-1, 1), act(Z).reshape(-1, 1), P.shape[:-1]

    def value(P):
        Z, A, shape = forward(P)
        per = losses.per_example(L, Z, A, np.broadcast_to(Y, (len(Z) // len(y), len(y), 1)).reshape(-1, 1), output)
        return per.reshape(*shape, len(y)).mean(axis=-1)

    def gradient(P):
        Z, A, shape = forward(P)
        D = L.delta(Z, A, np.tile(y, len(Z) // len(y)).reshape(-1, 1), output).reshape(*shape, len(y))
        return np.stack([(D * U).mean(axis=-1), (D * V).mean(axis=-1)], axis=-1)

    lam = np.linalg.eigvalsh(hessian) if hessian is not None else None
    limit = 2.0 / lam[-1] if lam is not None else 0.1
    rates = {"sgd": 0.5 * limit, "momentum": 0.1 * limit, "nesterov": 0.1 * limit, "rmsprop": 0.02, "adam": 0.05}
    minima = np.zeros((0, 2)) if minimum is None else np.asarray(minimum, dtype=np.float64).reshape(1, 2)
    best = float(value(minima[0])) if minimum is not None else None
    return Surface(name, value, gradient, extent, minima, best, start, rates, hessian)


def house(points: int = 100, noise: float = 0.0, seed: int = 1):
    """The house-price data: distance (n,) and price (n,)."""
    P, y = datasets.generate("house", points, noise, seed)
    return P[:, 0], y


def linear_regression(x, y, loss: str = "mse", extent=None, start=None) -> Surface:
    """price = w x + b over (w, b). Its Hessian is constant: 2 c [[E x^2, E x], [E x, 1]], with c = 1
    for mse and 1/2 for half_mse; the minimum is the least-squares line."""
    if loss not in ("mse", "half_mse"):
        raise ValueError(f"loss: linear regression uses mse or half_mse; got {loss!r}")
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    c = losses.get(loss).factor
    H = 2.0 * c * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    w, b = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    extent = extent or (w - 3.0, w + 3.0, b - 3.0, b + 3.0)
    start = start or (w + 2.5, b - 2.5)
    return _two_param("linear", x, np.ones_like(x), y, "linear", loss, tuple(extent), tuple(start), H, (w, b))


def neuron_data(dataset: str = "gauss", points: int = 200, noise: float = 0.1, seed: int = 1):
    """Points (n, 2) and +-1 labels from an engine dataset, for neuron(); gauss is separable by
    a line through the origin, so a neuron without bias can learn it."""
    return datasets.generate(dataset, points, noise, seed)


def neuron(P, y, output: str = "tanh", loss: str = "half_mse", extent=(-3.0, 3.0, -3.0, 3.0),
           start=(-2.0, 2.5)) -> Surface:
    """One neuron without bias, a = f(w1 x1 + w2 x2), over (w1, w2); P (n, 2) points, y (n,) targets
    in the output's convention (+-1 for tanh)."""
    P, y = np.asarray(P, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return _two_param("neuron", P[:, 0], P[:, 1], y, output, loss, tuple(extent), tuple(start))


def lr_presets(surface: Surface) -> dict:
    """Learning rates that show the lessons on a constant-Hessian surface: a slow crawl, a smooth
    descent, a zig-zag and divergence, with the limit 2 / lam_max between the last two."""
    lam = np.linalg.eigvalsh(surface.hessian)
    limit = 2.0 / lam[-1]
    return {"crawl": 0.03 * limit, "smooth": 0.4 * limit, "zigzag": 0.9 * limit,
            "diverge": 1.05 * limit, "limit": limit, "eigenvalues": lam.tolist()}


def regime(lr: float, eigenvalues) -> str:
    """What gradient descent does at `lr`: diverges (lr lam_max > 2), zigzag (> 1: overshoots along
    the steepest direction), crawl (< 0.1), else smooth."""
    top = float(np.max(eigenvalues)) * lr
    return "diverges" if top > 2.0 else "zigzag" if top > 1.0 else "crawl" if top < 0.1 else "smooth"


def gd_path(surface: Surface, start=None, lr: float = 0.05, steps: int = 100, optimizer: str = "sgd",
            **hyper) -> dict:
    """One walker's descent: {"path" [[p1, p2], ...], "loss" [...], "escaped_at"}; with a constant
    Hessian also "regime", "limit" (2 / lam_max) and "predicted_rate" (for sgd and momentum)."""
    run = descend(surface, [surface.start if start is None else start], optimizer, lr, steps, **hyper)
    stop = int(run["escaped_at"][0])
    end = steps + 1 if stop < 0 else stop
    out = {"path": run["path"][:end, 0].tolist(), "loss": run["loss"][:end, 0].tolist(),
           "escaped_at": None if stop < 0 else stop, "lr": lr}
    if surface.hessian is not None:
        lam = np.linalg.eigvalsh(surface.hessian)
        out.update(regime=regime(lr, lam), limit=2.0 / lam[-1])
        if optimizer in ("sgd", "momentum", "nesterov"):
            out["predicted_rate"] = predicted_rate(optimizer, lr, lam, hyper.get("momentum", 0.9))
    return out
