"""A lesson as data, and how its claim is checked.

A lesson sets the stage (``config``, ``seed``, ``view``), says what to watch (``caption`` in English
and 简体中文, ``source``: where the idea is in the articles) and states its claim as named thresholds
(``claim``: {name: {"op", "threshold"}}). ``measure(seeds)`` returns, per claim name, the measured
value for every seed (a list; ``per_seed`` builds it from what one seed measures) or one value for
the whole set of seeds; ``check`` compares the worst
of them with the threshold: a claim holds only if it holds on every seed.

The view, in the page's vocabulary (every field optional):
- "panels": the panels shown, from PANELS ("house" is the house-price view);
- "landscape": {"mode": a live slice (off, random, pca, weights) or an exploration (path, race,
  crowd, networks), then the explore message's own fields: "surface", "optimizer",
  "learning_rate", "momentum", "condition", "walkers", "models", "steps"; and "lr_preset" (one of
  LR_PRESETS, the rate of engine landscape.lr_presets to start with) or "lr_presets" (the ones
  offered as buttons)};
- "gradients": the network diagram shows gradients instead of weights (state.view.gradients);
- "show_test": the test points and test loss are shown (state.view.showTest);
- "animate": "backprop" (one batch forward, then backward, layer by layer) or "inference"
  (one clicked point's forward pass, with its time beside a training step's);
- "marks": things drawn on the loss chart, from MARKS;
- "try": configuration changes the caption suggests, each a partial config the page can apply;
- "sweep": {"axes": {axis: [values]}, "seeds", "epochs"}: a grid search (engine.sweep's axes) the
  sweep panel opens with.
"""
from __future__ import annotations

import operator
from dataclasses import asdict, dataclass, field
from statistics import fmean
from typing import Callable

OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq}
PANELS = ["data", "network", "output", "grads", "landscape", "house"]
LANDSCAPE_MODES = ["off", "random", "pca", "weights", "path", "race", "crowd", "networks"]
LR_PRESETS = ["crawl", "smooth", "zigzag", "diverge"]
MARKS = ["best_epoch"]
ANIMATIONS = ["backprop", "inference"]


@dataclass(frozen=True)
class Lesson:
    id: str                                  # wire name, the #lesson=ID of the page
    number: int                              # its place in the course, from 1
    title: dict                              # {"en": ..., "zh": ...}
    config: dict                             # a partial Config (Config.from_dict accepts it)
    seed: int                                # the seed the lesson opens with; checks use seed, seed + 1, ...
    view: dict                               # see the module's docstring
    caption: dict                            # {"en": ..., "zh": ...}, two to four sentences each
    source: dict                             # {"article": key of ARTICLES, "section": heading}
    claim: dict                              # {name: {"op": one of OPS, "threshold": number}}
    measure: Callable[[list], dict] = field(repr=False, compare=False, default=None)

    def seeds(self, n: int) -> list[int]:
        return list(range(self.seed, self.seed + n))

    def check(self, seeds: int = 5) -> dict:
        """{"id", "passed", "numbers": {name: {"measured" (the worst seed), "threshold", "op",
        "mean", "per_seed" (or None when the number is about all seeds together)}}}."""
        measured = self.measure(self.seeds(seeds))
        numbers = {}
        for name, rule in self.claim.items():
            op, threshold = rule["op"], rule["threshold"]
            value = measured[name]
            per_seed = [float(v) for v in value] if isinstance(value, (list, tuple)) else None
            values = per_seed if per_seed is not None else [float(value)]
            worst = _worst(values, op, threshold)
            numbers[name] = {"measured": worst, "threshold": threshold, "op": op,
                             "mean": fmean(values), "per_seed": per_seed,
                             "passed": bool(OPS[op](worst, threshold))}
        return {"id": self.id, "passed": all(n["passed"] for n in numbers.values()), "numbers": numbers}

    def to_dict(self) -> dict:
        """What the page reads: everything but the measurement."""
        out = asdict(self)
        out.pop("measure")
        return out


def _worst(values: list[float], op: str, threshold: float) -> float:
    """The value least in favour of the claim (NaN counts as failing)."""
    if any(v != v for v in values):
        return float("nan")
    if op in (">=", ">"):
        return min(values)
    if op in ("<=", "<"):
        return max(values)
    return max(values, key=lambda v: abs(v - threshold))


def per_seed(one: Callable[[int], dict]) -> Callable[[list], dict]:
    """A lesson's measure(seeds) from what one seed measures ({name: number}): {name: [the number of
    every seed, in order]}."""
    def measure(seeds):
        rows = [one(seed) for seed in seeds]
        return {name: [float(r[name]) for r in rows] for name in rows[0]}
    return measure


def rule(op: str, threshold: float) -> dict:
    if op not in OPS:
        raise ValueError(f"op: unknown {op!r}; allowed: {', '.join(OPS)}")
    return {"op": op, "threshold": threshold}
