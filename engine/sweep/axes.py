"""A sweep's grid (SweepGrid): one to three axes over a base configuration, times N seeds.

An axis is a config knob with a list of values. Axis names are the wire names (engine.Config's
fields), plus ``hidden_width`` (the width of every hidden layer) and ``depth`` (how many hidden
layers): a cell's network has ``hidden = [hidden_width] * depth``, each taken from the base
config's ``hidden`` when not an axis. Every value is checked when the grid is made; a bad one
raises ValueError("axis: what is wrong; allowed: ...") on one line.

A cell is one setting (one value per axis). Seed i of a cell starts from the initial weights of
seed ``base.seed + i``; the data and the batch order always come from ``base.seed`` (see
docs/sweep.md), so seed 0 of a cell is exactly ``Trainer(cell config)``.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from .. import activations, optimizers
from ..config import Config

MAX_AXES = 3                      # axes with more than one value
MAX_VALUES = 64                   # values per axis
MAX_SEEDS = 100
MAX_EPOCHS = 100_000
MAX_WIDTH, MAX_DEPTH = 1024, 8


def _whole(name, lo, hi):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v) or not lo <= v <= hi:
            raise ValueError(f"{name}: {v!r} is not allowed; allowed: whole numbers {lo} to {hi}")
        return int(v)
    return check


def _number(name, lo, hi, open_lo=False):
    def check(v):
        ok = not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)
        if not ok or not (lo < v if open_lo else lo <= v) or v > hi:
            low = f"above {lo}" if open_lo else f"{lo}"
            raise ValueError(f"{name}: {v!r} is not allowed; allowed: numbers {low} to {hi}")
        return float(v)
    return check


def _word(name, allowed):
    def check(v):
        if v not in allowed:
            raise ValueError(f"{name}: {v!r} is not allowed; allowed: {', '.join(allowed)}")
        return v
    return check


# axis name -> (value check, CLI flag); the order is the order of a cell's setting
AXES = {
    "hidden_width": (_whole("hidden_width", 1, MAX_WIDTH), "--hidden-widths"),
    "depth": (_whole("depth", 0, MAX_DEPTH), "--depths"),
    "learning_rate": (_number("learning_rate", 0.0, 10.0, open_lo=True), "--lr"),
    "batch_size": (_whole("batch_size", 1, 100_000), "--batch-size"),
    "reg_rate": (_number("reg_rate", 0.0, 10.0), "--reg-rate"),
    "activation": (_word("activation", list(activations.ACTIVATIONS)), "--activation"),
    "optimizer": (_word("optimizer", list(optimizers.OPTIMIZERS)), "--optimizer"),
    "noise": (_number("noise", 0.0, 0.5), "--noise"),
}


@dataclass(frozen=True)
class Cell:
    index: int                     # position in the grid, row-major over the axes
    setting: dict                  # axis -> value
    config: Config                 # the cell's full configuration (seed: the data's)


@dataclass
class SweepGrid:
    base: Config = field(default_factory=Config)
    axes: dict = field(default_factory=dict)           # axis -> list of values
    seeds: int = 1
    epochs: int = 100

    def __post_init__(self):
        if isinstance(self.base, dict):
            self.base = Config.from_dict(self.base)
        if not isinstance(self.axes, dict):
            raise ValueError("axes: must be an object of axis: [values]; allowed axes: " + ", ".join(AXES))
        checked = {}
        for name, values in self.axes.items():
            if name not in AXES:
                raise ValueError(f"axes: unknown axis {name!r}; allowed: {', '.join(AXES)}")
            if not isinstance(values, (list, tuple)) or not 1 <= len(values) <= MAX_VALUES:
                raise ValueError(f"{name}: needs a list of 1 to {MAX_VALUES} values; got {values!r}")
            vals = [AXES[name][0](v) for v in values]
            if len(set(vals)) != len(vals):
                raise ValueError(f"{name}: a value appears twice in {values!r}; allowed: distinct values")
            checked[name] = vals
        self.axes = {name: checked[name] for name in AXES if name in checked}
        many = [name for name, vals in self.axes.items() if len(vals) > 1]
        if len(many) > MAX_AXES:
            raise ValueError(f"axes: {len(many)} axes vary ({', '.join(many)}); allowed: 1 to {MAX_AXES}")
        self.seeds = _whole("seeds", 1, MAX_SEEDS)(self.seeds)
        self.epochs = _whole("epochs", 1, MAX_EPOCHS)(self.epochs)
        if "reg_rate" in self.axes and self.base.regularization == "none":
            raise ValueError("reg_rate: an axis over it needs a regularization; allowed: l1, l2, dropout")
        self.cells = [self._cell(i, dict(zip(self.axes, combo)))
                      for i, combo in enumerate(itertools.product(*self.axes.values()))]

    def _cell(self, index: int, setting: dict) -> Cell:
        changes = {k: v for k, v in setting.items() if k not in ("hidden_width", "depth")}
        if "hidden_width" in setting or "depth" in setting:
            hidden = self.base.hidden
            width = setting.get("hidden_width", hidden[0] if hidden else 4)
            changes["hidden"] = [width] * setting.get("depth", len(hidden) or 1)
        try:
            config = self.base.updated(changes)
        except ValueError as e:                        # e.g. a batch size the base refuses
            raise ValueError(f"{', '.join(setting)}: {setting} gives a bad config ({e})") from None
        return Cell(index, setting, config)

    @property
    def models(self) -> int:
        return len(self.cells) * self.seeds

    def init_seeds(self) -> list[int]:
        """Seed i of every cell starts from Network(..., seed=init_seeds()[i])."""
        return [self.base.seed + i for i in range(self.seeds)]
