"""Regularisations, keyed by the wire name of the config field ``regularization``: L1 and L2
penalties on weights (never biases), dropout (applied by the network), none; and the Playground's
L1 freezing rule.

penalty(w) = rate * sum R(w): R(w) = |w| (L1) or w^2 / 2 (L2), so its gradient is rate * R'(w)
with R'(w) = sign(w) or w. ``mask`` is the model's weight mask (1 on weights, 0 on biases).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .registry import lookup


@dataclass(frozen=True)
class Regularization:
    name: str
    R: Callable | None = None            # the penalty per weight; None: no penalty
    dR: Callable | None = None           # its derivative
    dropout: bool = False                # reg_rate is the drop probability of hidden units


REGULARIZATIONS = {r.name: r for r in [
    Regularization("none"),
    Regularization("l1", np.abs, np.sign),
    Regularization("l2", lambda w: 0.5 * w * w, lambda w: w),
    Regularization("dropout", dropout=True),
]}


def get(name: str) -> Regularization:
    return lookup("regularization", name, REGULARIZATIONS)


def penalty(kind: str, rate: float, theta: np.ndarray, mask: np.ndarray) -> float:
    reg = get(kind)
    return 0.0 if reg.R is None else rate * float(reg.R(theta * mask).sum())


def add_gradient(kind: str, rate: float, theta, mask, grad) -> None:
    """grad += d penalty / d theta, in place."""
    reg = get(kind)
    if reg.dR is not None:
        grad += rate * reg.dR(theta) * mask


def playground_step(kind: str, rate: float, lr: float, theta, before, mask, alive) -> None:
    """The Playground's regularisation step after the gradient step.

    w <- w - lr * rate * R'(w_before); with L1, a weight this step carries across zero becomes 0
    and is frozen (alive = 0) until reset. `before` holds the weights before the gradient step.
    """
    reg = get(kind)
    if reg.dR is None:
        return
    new = theta - lr * rate * reg.dR(before) * mask * alive
    if kind == "l1":
        crossed = (theta * new < 0) & (mask > 0)
        new[crossed] = 0.0
        alive[crossed] = 0.0
    theta[...] = new
