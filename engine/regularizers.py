"""L1 and L2 penalties on weights (never biases), and the Playground's L1 freezing rule.

penalty(w) = rate * sum |w| (L1) or rate * sum w^2 / 2 (L2); its gradient is rate * sign(w) or
rate * w. ``mask`` is the network's weight mask (1 on weights, 0 on biases).
"""
from __future__ import annotations

import numpy as np

REGULARIZATIONS = ["none", "l1", "l2", "dropout"]


def penalty(kind: str, rate: float, theta: np.ndarray, mask: np.ndarray) -> float:
    if kind == "l1":
        return rate * float(np.abs(theta * mask).sum())
    if kind == "l2":
        w = theta * mask
        return 0.5 * rate * float(w @ w)
    return 0.0


def add_gradient(kind: str, rate: float, theta, mask, grad) -> None:
    """grad += d penalty / d theta, in place."""
    if kind == "l1":
        grad += rate * np.sign(theta) * mask
    elif kind == "l2":
        grad += rate * theta * mask


def playground_step(kind: str, rate: float, lr: float, theta, before, mask, alive) -> None:
    """The Playground's regularisation step after the gradient step.

    w <- w - lr * rate * R'(w_before); with L1, a weight this step carries across zero becomes 0
    and is frozen (alive = 0) until reset. `before` holds the weights before the gradient step.
    """
    if kind == "l2":
        theta -= lr * rate * before * mask * alive
    elif kind == "l1":
        new = theta - lr * rate * np.sign(before) * mask * alive
        crossed = (theta * new < 0) & (mask > 0)
        new[crossed] = 0.0
        alive[crossed] = 0.0
        theta[...] = new
