"""A cell's seeds summarised (mean and spread), the sweep's best setting, and the table as CSV.

The spread is the sample standard deviation over the seeds that did not diverge (0 for one seed);
means and spreads skip None (a diverged seed's final values, accuracy in regression).
"""
from __future__ import annotations

import csv

import numpy as np

from .task import METRICS, SEED_FIELDS

AGGREGATED = (*METRICS, *(f"best_{m}" for m in METRICS), "best_epoch", "time_s")


def _mean_std(values) -> tuple[float | None, float | None]:
    xs = np.array([v for v in values if v is not None], dtype=np.float64)
    if not len(xs):
        return None, None
    with np.errstate(all="ignore"):                   # a finite but huge loss may overflow: None
        mean, std = xs.mean(), (xs.std(ddof=1) if len(xs) > 1 else 0.0)
    return tuple(float(x) if np.isfinite(x) else None for x in (mean, std))


def summarise_cell(cell: dict) -> dict:
    """The task's cell result with "mean", "spread" (per aggregated field) and "diverged" added."""
    mean, spread = {}, {}
    for k in AGGREGATED:
        mean[k], spread[k] = _mean_std(s[k] for s in cell["seeds"])
    return {**cell, "mean": mean, "spread": spread,
            "diverged": sum(s["diverged_epoch"] is not None for s in cell["seeds"])}


def best_setting(cells: list[dict], by: str = "loss_test") -> dict | None:
    """The cell with the lowest mean `by` (final test loss), with its spread and range over seeds."""
    ok = [c for c in cells if c["mean"][by] is not None]
    if not ok:
        return None
    c = min(ok, key=lambda c: (c["mean"][by], c["index"]))
    values = [s[by] for s in c["seeds"] if s[by] is not None]
    return {"index": c["index"], "setting": c["setting"], "by": by, "mean": c["mean"][by],
            "spread": c["spread"][by], "min": min(values), "max": max(values), "seeds": len(values)}


def write_csv(path: str, axes: list[str], cells: list[dict]) -> None:
    """One row per cell and seed, in grid order: the cell's index, its axis values, the seed's result."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["cell", *axes, *SEED_FIELDS])
        for c in sorted(cells, key=lambda c: c["index"]):
            for s in c["seeds"]:
                w.writerow([c["index"], *(c["setting"][a] for a in axes),
                            *("" if s[k] is None else s[k] for k in SEED_FIELDS)])
