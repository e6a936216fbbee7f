"""The lessons' catalogue as the page reads it (`GET /api/lessons`, docs/protocol.md "Lessons").

engine.lessons.catalogue() with two things added that the page cannot compute itself:
- each lesson's `full_config`: the whole configuration the lesson opens with (the defaults, the
  lesson's partial `config` and its `seed`), so that one `set_config` sets the stage whatever the
  learner had before;
- for a lesson on the exact house surface, `view.landscape.rates`: the learning rates of
  `landscape.lr_presets` on the surface the server's explore draws (`server/landscape.py`), so
  `lr_preset` becomes a number on the page.
"""
from __future__ import annotations

import copy
from functools import lru_cache

from engine import landscape as ls
from engine import lessons
from engine.config import Config

from . import landscape as server_landscape


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
