"""Lessons: every idea of the source articles as data (config, seed, view, captions in English and
简体中文, the claim as named thresholds), one registry keyed by lesson ID, read by the page, the
tests and the command line. ``check(ID, seeds)`` measures a lesson's claim over seeds.
See engine/lessons/lesson.py for the shape and docs/lessons.md for the table."""
from __future__ import annotations

from . import (l01_cost_and_descent, l02_learning_rate, l03_local_minima, l04_backprop, l05_nonlinearity,
               l06_activations, l07_vanishing_gradients, l08_depth_vs_width, l09_overfitting, l10_momentum,
               l11_grid_search, l12_training_vs_inference)
from .articles import ARTICLES
from .lesson import Lesson

_MODULES = [l01_cost_and_descent, l02_learning_rate, l03_local_minima, l04_backprop, l05_nonlinearity,
            l06_activations, l07_vanishing_gradients, l08_depth_vs_width, l09_overfitting, l10_momentum,
            l11_grid_search, l12_training_vs_inference]
LESSONS: dict[str, Lesson] = {m.LESSON.id: m.LESSON for m in sorted(_MODULES, key=lambda m: m.LESSON.number)}
IDS = list(LESSONS)


def get(lesson_id: str) -> Lesson:
    if lesson_id not in LESSONS:
        raise ValueError(f"lesson: unknown {lesson_id!r}; allowed: {', '.join(IDS)}")
    return LESSONS[lesson_id]


def check(lesson_id: str, seeds: int = 5) -> dict:
    """{"id", "passed", "numbers": {name: {"measured", "threshold", "op", "mean", "per_seed", "passed"}}}."""
    return get(lesson_id).check(seeds)


def catalogue() -> dict:
    """What the page reads: {"lessons": [lesson.to_dict(), ...] in course order, "articles": ARTICLES}."""
    return {"lessons": [lesson.to_dict() for lesson in LESSONS.values()], "articles": ARTICLES}


__all__ = ["ARTICLES", "IDS", "LESSONS", "Lesson", "catalogue", "check", "get"]
