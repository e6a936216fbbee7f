"""One unit of a sweep's work: a group of cells that share a network shape and data, trained
together for the grid's epochs and scored after every epoch. Runs wherever it is sent (this
process, a pool worker, a Dask worker): plain picklable dicts in, plain dicts out.

A seed's result: the final and the best train/test loss and accuracy (best over the epochs'
ends; accuracy is None for regression), ``best_epoch`` (the epoch of the best test loss),
``diverged_epoch`` (the first epoch that ended diverged, else None: its final values are then None
and its bests count only the epochs before) and ``time_s`` (its share of the group's wall time).
"""
from __future__ import annotations

import time

import numpy as np

from ..config import Config
from .models import models_for

METRICS = ("loss_train", "accuracy_train", "loss_test", "accuracy_test")
SEED_FIELDS = ("seed", *METRICS, *(f"best_{m}" for m in METRICS), "best_epoch", "diverged_epoch", "time_s")


def make_task(config: Config, cells, init_seeds: list[int], epochs: int, batched: bool) -> dict:
    """cells: the grid's Cells of one group (they differ at most in learning rate)."""
    return {"config": config.to_dict(), "epochs": epochs, "batched": batched, "init_seeds": list(init_seeds),
            "cells": [{"index": c.index, "setting": c.setting, "learning_rate": c.config.learning_rate}
                      for c in cells]}


def _value(x) -> float | None:
    return float(x) if np.isfinite(x) else None


def train_group(task: dict, should_stop=None) -> list[dict] | None:
    """[{"index", "setting", "seeds": [seed result, ...]}, ...] for the task's cells, or None when
    should_stop() said so (checked before every epoch)."""
    t0 = time.perf_counter()
    seeds, cells = task["init_seeds"], task["cells"]
    config = Config.from_dict(task["config"])
    models = models_for(config, seeds * len(cells), [c["learning_rate"] for c in cells for _ in seeds],
                        task["batched"])
    M = len(seeds) * len(cells)
    last, best = np.full((M, 4), np.nan), np.full((M, 4), np.nan)
    best_epoch, diverged_epoch = np.zeros(M, dtype=int), np.zeros(M, dtype=int)
    alive = np.ones(M, dtype=bool)
    for epoch in range(1, task["epochs"] + 1):
        if should_stop is not None and should_stop():
            return None
        with np.errstate(all="ignore"):               # a diverging model is a result, not a warning
            models.run_epoch()
            s = models.scores()
        bad = alive & (models.diverged() | ~np.isfinite(s[:, 0]) | ~np.isfinite(s[:, 2]))
        diverged_epoch[bad] = epoch
        alive &= ~bad
        last[alive] = s[alive]
        better = alive & ~(s[:, 2] >= best[:, 2])        # also when no best yet (NaN)
        best_epoch[better] = epoch
        best[alive, 2] = np.fmin(best[alive, 2], s[alive, 2])          # losses: lower is better,
        best[alive, 0] = np.fmin(best[alive, 0], s[alive, 0])
        best[alive, 1] = np.fmax(best[alive, 1], s[alive, 1])          # accuracies: higher
        best[alive, 3] = np.fmax(best[alive, 3], s[alive, 3])
        if not alive.any():
            break
    share = (time.perf_counter() - t0) / M
    out = []
    for c, cell in enumerate(cells):
        rows = []
        for i, seed in enumerate(seeds):
            m = c * len(seeds) + i
            ok = diverged_epoch[m] == 0
            row = {"seed": seed}
            row.update({k: _value(last[m, j]) if ok else None for j, k in enumerate(METRICS)})
            row.update({f"best_{k}": _value(best[m, j]) for j, k in enumerate(METRICS)})
            row.update(best_epoch=int(best_epoch[m]) or None, diverged_epoch=None if ok else int(diverged_epoch[m]),
                       time_s=share)
            rows.append(row)
        out.append({"index": cell["index"], "setting": cell["setting"], "seeds": rows})
    return out
