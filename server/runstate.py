"""A session's run state: one enum, its wire names, and the only transitions allowed.

The engine says whether a run is ``ok`` or ``diverged``; the session adds whether it is playing.
The wire (``status.state``) and the page use these three names and no others:

    paused --play--> running --pause--> paused
    paused | running --diverge--> diverged --reset--> paused

``rebuild`` (a new network) and ``restore`` (a run offered back by the page) keep a running run
running and clear a divergence. Anything not in the table is a bug in the server, so it raises.
"""
from __future__ import annotations

from enum import Enum


class RunState(str, Enum):
    PAUSED = "paused"
    RUNNING = "running"
    DIVERGED = "diverged"


P, R, D = RunState.PAUSED, RunState.RUNNING, RunState.DIVERGED
TRANSITIONS: dict[tuple[RunState, str], RunState] = {
    (P, "play"): R, (R, "play"): R,
    (P, "pause"): P, (R, "pause"): P, (D, "pause"): D,
    (P, "diverge"): D, (R, "diverge"): D,
    (P, "reset"): P, (R, "reset"): P, (D, "reset"): P,
    (P, "rebuild"): P, (R, "rebuild"): R, (D, "rebuild"): P,
    (P, "restore"): P, (R, "restore"): P, (D, "restore"): P,
}
EVENTS = sorted({e for _, e in TRANSITIONS})


class IllegalTransition(RuntimeError):
    pass


class Run:
    """The state of one session's run; ``fire(event)`` is the only way to change it."""

    def __init__(self):
        self.state = RunState.PAUSED

    def allows(self, event: str) -> bool:
        return (self.state, event) in TRANSITIONS

    def fire(self, event: str) -> RunState:
        try:
            self.state = TRANSITIONS[(self.state, event)]
        except KeyError:
            raise IllegalTransition(f"run state: {event!r} is not allowed while {self.state.value}") from None
        return self.state

    @property
    def playing(self) -> bool:
        return self.state is RunState.RUNNING

    @property
    def diverged(self) -> bool:
        return self.state is RunState.DIVERGED
