"""A minimal training loop for the text task, for tests and bench/text.py only.

Issue 8: replaced by Trainer(task) once the task-based Trainer is merged; it uses the engine's own
optimisers (engine/optimizers.py: make/update) and the clipping of this package, nothing else.
"""
from __future__ import annotations

import numpy as np

from .. import optimizers
from .clipping import clip_by_global_norm


class MiniTrainer:
    def __init__(self, task, model, optimizer: str = "adam", lr: float = 2e-3, clip: float | None = 5.0,
                 seed: int = 0, **hyper):
        self.task, self.model, self.lr, self.clip = task, model, lr, clip
        self.opt = optimizers.make(optimizer, model.size, **hyper)
        self.rng = np.random.default_rng(seed)
        self.step = 0
        self.loss = float("nan")

    def run(self, steps: int) -> float:
        """steps optimiser steps on random windows; returns the last batch's mean loss."""
        task, model, opt = self.task, self.model, self.opt
        for _ in range(steps):
            self.loss = model.gradient(task.random_batch(self.rng), self.rng)
            clip_by_global_norm(model.grad, self.clip)
            opt.update(model.theta, model.grad, self.lr)
            self.step += 1
        return self.loss
