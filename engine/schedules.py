"""Learning-rate schedules by epoch, keyed by wire name: ``rate(schedule, lr, epoch)``.

constant: lr; step: lr * gamma ** floor(epoch / step_size); exponential: lr * exp(-decay epoch);
cosine: lr * (1 + cos(pi * min(epoch, period) / period)) / 2.
"""
from __future__ import annotations

import numpy as np

from .registry import lookup

SCHEDULES = {
    "constant": lambda lr, epoch, **_: lr,
    "step": lambda lr, epoch, gamma=0.5, step_size=100, **_: lr * gamma ** np.floor(epoch / step_size),
    "exponential": lambda lr, epoch, decay=0.01, **_: lr * float(np.exp(-decay * epoch)),
    "cosine": lambda lr, epoch, period=1000, **_: lr * 0.5 * (1.0 + np.cos(np.pi * min(epoch, period) / period)),
}


def rate(schedule: str, lr: float, epoch: float, **params) -> float:
    """The learning rate in force at `epoch` under `schedule` (params: gamma, step_size, decay,
    period; each schedule takes its own and ignores the others)."""
    return lookup("schedule", schedule, SCHEDULES)(lr, epoch, **params)
