"""Tasks, keyed by wire name: what the one Trainer learns from (see docs/engine.md, "Tasks").

A task holds the data and says what a report says about them; its model is what the Trainer's
optimiser updates. The datasets registry says which task each dataset belongs to
(``datasets.get(name).task``). A new task is a module here and one entry in TASKS.
"""
from __future__ import annotations

from .. import datasets
from ..registry import lookup
from .digits import DigitsTask
from .points import PointsTask
from .text import TextTask

TASKS = {"points": PointsTask, "digits": DigitsTask, "text": TextTask}


def for_config(r):
    """The task class of a resolved Config (by its dataset's task)."""
    return lookup("task", datasets.get(r.dataset).task, TASKS)
