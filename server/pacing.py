"""Pacing and flow control for one session: how many steps are owed at the set speed, the
measured speed, and whether the page can take another frame."""
from __future__ import annotations

import time

DEFAULT_SPEED = 1500.0                     # steps/s: the Playground's pace (an epoch a frame at 60 Hz)
MIN_FRAME_GAP = 1 / 75                     # flow control lets the page pace frames, up to about 60/s
CARRY = 0.25                               # seconds of steps a busy server may carry over


class Pace:
    """Steps owed at `steps_per_second` (0: as many as fit), and the speed measured."""

    def __init__(self):
        self.steps_per_second = DEFAULT_SPEED
        self.budget = 0.0
        self.last = None
        self.measured = 0.0
        self._since, self._steps = None, 0
        self.step_time = 0.0                   # seconds a step takes (a moving average)

    def fit(self, seconds: float) -> int:
        """Steps that fit in `seconds` (at least one)."""
        return max(1, int(seconds / self.step_time)) if self.step_time > 0 else 8

    def timed(self, steps: int, seconds: float) -> None:
        if steps:
            per = seconds / steps
            self.step_time = per if self.step_time == 0 else 0.7 * self.step_time + 0.3 * per

    def restart(self) -> None:
        self.last, self._since = None, None

    def owed(self, now: float, flat_out: int) -> int:
        """Whole steps owed since the last call (carrying at most CARRY seconds' worth)."""
        if self.steps_per_second <= 0:
            self.last = now
            return flat_out
        elapsed = 0.0 if self.last is None else now - self.last
        self.last = now
        self.budget = min(self.budget + self.steps_per_second * elapsed, self.steps_per_second * CARRY + 1)
        return int(self.budget)

    def spent(self, steps: int) -> None:
        if self.steps_per_second > 0:
            self.budget -= steps

    @property
    def due(self) -> bool:
        return self.steps_per_second <= 0 or self.budget >= 1

    def count(self, done: int, now: float) -> None:
        """Steps per wall-clock second, over windows of a quarter second or more."""
        if self._since is None:
            self._since, self._steps = now, 0
            return
        self._steps += done
        if now - self._since >= 0.25:
            self.measured = self._steps / (now - self._since)
            self._since, self._steps = now, 0


class Flow:
    """With flow N > 0 the page acknowledges every frame it drew and at most N are unacknowledged;
    a silent second lifts the limit (a page that lost an ack must not stall forever)."""

    def __init__(self):
        self.window, self.unacked, self.sent_at = 0, 0, 0.0
        self.spacing = 0.0                     # least seconds between frames (set by the connection)

    def set(self, window: int) -> None:
        self.window, self.unacked = window, 0

    def ack(self) -> None:
        self.unacked = max(0, self.unacked - 1)

    def sent(self) -> None:
        self.sent_at = time.perf_counter()
        if self.window:
            self.unacked += 1

    def ready_at(self) -> float | None:
        """When (perf_counter) the next frame may go if only time holds it (the gap, the spacing);
        None while the page's window is full (its acknowledgement wakes the connection)."""
        if self.window and self.unacked >= self.window:
            return None
        return self.sent_at + max(self.spacing, MIN_FRAME_GAP if self.window else 0.0)

    @property
    def allowed(self) -> bool:
        """The next frame may go now: its time has come (ready_at), or the page has been silent
        for a second with its window full (the spacing holds either way)."""
        now, at = time.perf_counter(), self.ready_at()
        if now - self.sent_at < self.spacing:
            return False
        return (at is not None and now >= at) or (self.window > 0 and now - self.sent_at > 1.0)
