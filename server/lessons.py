"""The lessons' catalogue as the page reads it (`GET /api/lessons`, docs/protocol.md "Lessons").

engine.lessons.catalogue() with two things added that the page cannot compute itself:
- each lesson's `full_config`: the whole configuration the lesson opens with (the defaults, the
  lesson's partial `config` and its `seed`), so that one `set_config` sets the stage whatever the
  learner had before;
- for a lesson on the exact house surface, `view.landscape.rates`: the learning rates of
  `landscape.lr_presets` on the surface the server's explore draws (`server/landscape.py`), so
  `lr_preset` becomes a number on the page.

And the session's handler of `infer` (lesson 12): HANDLERS, merged into server/session.py's.
"""
from __future__ import annotations

import copy
import time
from functools import lru_cache

import numpy as np

from engine import datasets, features, lessons
from engine import landscape as ls
from engine.config import Config

from . import landscape as server_landscape
from .errors import ProtocolError


def _house_rates(seed: int = 1) -> dict:
    """The presets of the surface the explore message draws for surface "house" with this seed."""
    x, y = server_landscape.house_data(seed)
    p = ls.lr_presets(ls.linear_regression(x, y, loss="mse"))
    return {k: p[k] for k in ("crawl", "smooth", "zigzag", "diverge", "limit")}


@lru_cache(maxsize=1)
def catalogue() -> dict:
    out = copy.deepcopy(lessons.catalogue())
    for lesson in out["lessons"]:
        lesson["full_config"] = Config.from_dict({**lesson["config"], "seed": lesson["seed"]}).to_dict()
        land = lesson["view"].get("landscape")
        if land and land.get("surface") == "house":
            land["rates"] = _house_rates()
    return out


# -- lesson 12: training against inference ------------------------------------------------------
# The answer is built here (not in messages.py): it measures as well as reports.
FORWARD_CALLS, STEP_CALLS, ROUNDS = 50, 10, 3


def _seconds(fn, calls: int) -> float:
    """Median over ROUNDS of the mean time of `calls` calls."""
    times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t0) / calls)
    return float(np.median(times))


def _on_infer(session, msg) -> None:
    t = session.trainer
    if datasets.DATASETS[t.config.dataset].task != "points":
        raise ProtocolError("refused", "infer", detail=f"a clicked point needs a dataset of points; got {t.config.dataset}")
    X = features.transform(np.array([msg.point], dtype=np.float64), t.r.features)
    acts = [a[0].tolist() for a in t.network.activations_of(X)]
    forward = _seconds(lambda: t.network.forward(X), FORWARD_CALLS)
    twin = copy.deepcopy(t)                     # a training step on a copy: the learner's run stays where it is
    step = _seconds(lambda: twin.run(1), STEP_CALLS)
    session._say({"type": "inference", "point": list(msg.point), "activations": acts,
                  "forward_seconds": forward, "step_seconds": step, "step": t.step_count})


HANDLERS = {"infer": _on_infer}
