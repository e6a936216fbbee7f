"""The server's side of each engine task, keyed by the task's wire name (engine.tasks.TASKS): the
module that builds its dataset message and its frame. A new task is a module with ``dataset(trainer)``
and ``frame(session)`` and one entry in VIEWS; nothing else asks which task a session runs."""
from __future__ import annotations

from engine.registry import lookup

from . import digits, points, text

VIEWS = {"points": points, "digits": digits, "text": text}


def of(trainer):
    return lookup("task", trainer.task.name, VIEWS)


def dataset(trainer) -> dict:
    """The dataset message: the points, the digits' counts per class, the text's corpus summary."""
    return of(trainer).dataset(trainer)


def frame(session) -> tuple[dict, bytes | tuple[bytes, bytes] | None]:
    """The session's frame (JSON-ready) and its binary messages, built by its task's module."""
    text.park_slice(session)            # the live landscape slice rests while a text run is on
    return of(session.trainer).frame(session)
