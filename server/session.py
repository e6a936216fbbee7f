"""One training session per browser tab: config, trainer and run state, without any socket.

The connection (connection.py) feeds it text messages with ``handle`` and calls ``advance``
and ``frame`` between them, all on the process's training thread; everything it wants to say to
the client waits in ``outbox`` (control messages, in order) while frames are built on demand,
newest only. Handlers are listed in ``HANDLERS``; the run state changes only through
``runstate`` transitions.
"""
from __future__ import annotations

import logging
import time

from engine import Trainer
from engine.config import LIVE_FIELDS, Config

from . import budget, digits, downloads, lessons, messages, protocol as wire, sweep, tasks, text, uploads
from .errors import ProtocolError, from_engine
from .jsonsafe import quiet
from .landscape import LiveSlice, explore
from .outbox import Outbox
from .pacing import DEFAULT_SPEED, MIN_FRAME_GAP, Flow, Pace  # noqa: F401  (re-exported for tests)
from .restore import restored_trainer
from .runstate import Run, RunState
from .validation import parse_client

MAX_OUTBOX = 256
log = logging.getLogger("learnscape")


class Session:
    def __init__(self, config: dict | None = None):
        self.trainer = Trainer(Config.from_dict(config or {}))
        self.run = Run()
        self.pace, self.flow_control = Pace(), Flow()
        self.resolution = 50                 # the output map (decision boundary)
        self.node_resolution = None          # every node's thumbnail (None: as the output map)
        self.send_maps = True
        self.pending_steps = 0
        self.seq = 0
        self.dirty = True                    # a frame is due
        self.generation = 0                  # runs begun (reset, rebuild, restore): a frame of an older one is stale
        self.outbox = Outbox(MAX_OUTBOX)
        self.landscape = LiveSlice()
        self.explorations: list = []         # asked for, not yet computed (the newest only)
        self.rebuilds = budget.RebuildLimit()
        self.deferred: dict | None = None    # a rebuild waiting for its turn: the merged patch
        self.frame_told = None               # the scaled frame plan the page was last told about
        self.extra: dict = {}                # a feature's own per-session state (closed with the session)

    # -- what the client is told ----------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.run.playing

    def _say(self, message: dict | bytes) -> None:
        self.outbox.put(message)

    def _status(self) -> None:
        self._say(messages.status(self.run.state, self.trainer))

    def hello(self) -> dict:
        return messages.hello(self.trainer)

    def dataset_message(self) -> dict:
        return tasks.dataset(self.trainer)

    def status_message(self) -> dict:
        return messages.status(self.run.state, self.trainer)

    def start(self) -> list[dict]:
        """The opening messages: hello, the data, the status."""
        return [self.hello(), self.dataset_message(), self.status_message()]

    def _fire(self, event: str) -> None:
        self.run.fire(event)
        if event in ("play", "reset", "rebuild", "restore"):
            self.pace.restart()
        if event in ("reset", "rebuild", "restore"):
            self.generation += 1

    def _check_divergence(self) -> None:
        """The engine found its weights not finite: the run state follows, the page is told."""
        if self.trainer.status == "diverged" and not self.run.diverged:
            self._fire("diverge")
            self._status()

    # -- what the client asks -------------------------------------------------------------
    def handle(self, text) -> None:
        """One raw message from the socket. Bad ones get an error; the session goes on."""
        try:
            if not isinstance(text, str):
                raise ProtocolError("binary", "message")
            msg = parse_client(text)
            with quiet():
                HANDLERS[msg.type](self, msg)
        except ProtocolError as e:
            self._say(e.to_message())

    def _on_set_config(self, msg) -> None:
        patch = msg.config.model_dump(exclude_none=True)
        rebuild = any(k not in LIVE_FIELDS | {"optimizer"} and getattr(self.trainer.config, k) != v
                      for k, v in patch.items())
        if self.deferred is not None or (rebuild and not self.rebuilds.ready()):
            self.deferred = {**(self.deferred or {}), **patch}     # waits for its turn (budget.py)
            return
        self._configure(patch)

    def _configure(self, patch: dict, prefix: str = "config.") -> None:
        before = self.trainer.r
        try:
            budget.check_step(self.trainer.config.updated(patch))
            applied = self.trainer.configure(patch)         # all or nothing
        except ValueError as e:
            raise from_engine(e, prefix) from None
        self._say(messages.config(self.trainer, applied))
        self.landscape.dirty = True
        if applied == "rebuild":
            self.rebuilds.take()
            self._rebuilt()
            if any(getattr(before, k) != getattr(self.trainer.r, k) for k in
                   ("dataset", "points", "noise", "train_ratio", "classes", "seed")):
                self._say(self.dataset_message())
            self._status()
        self.dirty = True

    def apply_deferred(self) -> None:
        """A rebuild that waited for the rebuild limit, once it may run."""
        if self.deferred is not None and self.rebuilds.ready():
            patch, self.deferred = self.deferred, None
            try:
                self._configure(patch)
            except ProtocolError as e:
                self._say(e.to_message())

    def _rebuilt(self) -> None:
        self._fire("rebuild")
        self.landscape.restart()
        self.pending_steps = 0

    def _on_play(self, msg) -> None:
        if self.run.allows("play"):
            self._fire("play")
        self._status()                                      # diverged: play waits for reset

    def _on_pause(self, msg) -> None:
        self._fire("pause")
        self._status()

    def _on_step(self, msg) -> None:
        self.pending_steps = min(self.pending_steps + msg.n, wire.LIMITS["max_steps_per_request"])

    def _on_reset(self, msg) -> None:
        self.trainer.reset()
        self._fire("reset")
        self.landscape.restart()
        self.pending_steps = 0
        self.dirty = True
        self._status()

    def _on_regenerate(self, msg) -> None:
        seed = self.trainer.config.seed + 1 if msg.seed is None else msg.seed
        if self.deferred is not None or not self.rebuilds.ready():
            self.deferred = {**(self.deferred or {}), "seed": seed}
            return
        self._configure({"seed": seed})

    def _on_set_weight(self, msg) -> None:
        try:
            self.trainer.network.set_weight(msg.layer, msg.to, msg.from_, msg.value)
        except ValueError as e:
            raise from_engine(e) from None
        self.dirty = True
        self.landscape.dirty = True

    def _on_set_speed(self, msg) -> None:
        self.pace.steps_per_second = msg.steps_per_second

    def _on_ack(self, msg) -> None:
        self.flow_control.ack()

    def _on_set_view(self, msg) -> None:
        if msg.flow is not None:
            self.flow_control.set(msg.flow)
        if msg.node_resolution is not None:
            self.node_resolution = msg.node_resolution
        if msg.grid_resolution is not None:
            self.resolution = msg.grid_resolution
        if msg.maps is not None:
            self.send_maps = msg.maps
        self.dirty = True

    def _on_set_landscape(self, msg) -> None:
        self.landscape.configure(msg, self.trainer)

    def _on_explore(self, msg) -> None:
        self.explorations = [msg]                    # a newer request replaces a waiting one

    def _on_restore(self, msg) -> None:
        uploads.adopt(self, restored_trainer(msg), "restored")

    # -- landscapes: computed between frames, on the landscape thread ---------------------
    def landscape_due(self, now: float | None = None) -> bool:
        return bool(self.explorations) or self.landscape.due(time.perf_counter() if now is None else now)

    def compute_landscapes(self) -> None:
        """The waiting exploration and a due live slice, each as JSON plus a binary surface. A
        numerical failure inside either is an error message; the session goes on."""
        if self.explorations:
            msg = self.explorations.pop()
            self.seq += 1
            try:
                with quiet():
                    out, grid, notice = explore(msg, self.trainer, self.seq)
            except ProtocolError as e:
                self._say(e.to_message())
            except Exception as e:                   # noqa: BLE001  numerical trouble in the engine
                self._say(messages.error("exploration_failed", "explore", reason=_reason(e)))
            else:
                for m in (notice, out, grid):
                    if m is not None:
                        self._say(m)
        if self.landscape.due(time.perf_counter()):
            self.seq += 1
            try:
                with quiet():
                    out, grid, notice = self.landscape.compute(self.trainer, self.seq)
            except Exception as e:                   # noqa: BLE001  e.g. an SVD of diverging weights
                self.landscape.fail()
                self._say(messages.error("landscape_failed", "landscape", reason=_reason(e)))
            else:
                for m in (notice, out, grid):
                    if m is not None:
                        self._say(m)

    # -- training and frames --------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return not self.run.diverged and (self.pending_steps > 0 or self.run.playing)

    @property
    def wants_steps(self) -> bool:
        """Steps are owed now: asked for, or playing flat out, or a whole step of speed budget."""
        if self.run.diverged:
            return False
        return self.pending_steps > 0 or self.run.playing and self.pace.due

    @property
    def frame_allowed(self) -> bool:
        return self.flow_control.allowed

    def advance(self, deadline: float) -> int:
        """Train until `deadline` (perf_counter) or the speed budget. Explicit steps are carried
        until done; at a set speed, steps the deadline cut off are carried (pacing.CARRY)."""
        if self.run.diverged:
            return 0
        t = self.trainer
        asked = todo = self.pending_steps
        if self.run.playing:
            todo += self.pace.owed(time.perf_counter(), wire.LIMITS["max_steps_per_request"] * 10)
        if todo:                   # a turn is a few ms: the engine checks its deadline only every 8 steps
            started = time.perf_counter()
            with quiet():
                done = t.run(min(todo, self.pace.fit(deadline - started)), deadline)
            self.pace.timed(done, time.perf_counter() - started)
        else:
            done = 0
        self.pending_steps = max(asked - done, 0) if t.status == "ok" else 0
        if self.run.playing:
            self.pace.spent(max(done - asked, 0))
        self.pace.count(done, time.perf_counter())
        if done:
            self.dirty = True
            self.landscape.record(t.network.theta)
        self._check_divergence()
        return done

    def frame(self) -> tuple[dict, bytes | tuple[bytes, bytes] | None]:
        """The current state as a frame and its binary maps (built by its task's module, tasks.py)."""
        return tasks.frame(self)


def _reason(e: Exception) -> str:
    log.info("numerical failure: %s: %s", type(e).__name__, e)
    return f"{type(e).__name__}: {str(e)[:120]}"


HANDLERS = {
    "set_config": Session._on_set_config, "play": Session._on_play, "pause": Session._on_pause,
    "step": Session._on_step, "reset": Session._on_reset, "regenerate": Session._on_regenerate,
    "set_weight": Session._on_set_weight, "set_speed": Session._on_set_speed, "set_view": Session._on_set_view,
    "ack": Session._on_ack, "set_landscape": Session._on_set_landscape, "explore": Session._on_explore,
    "restore": Session._on_restore,
}
for feature in (digits, text, lessons, sweep, uploads, downloads):    # each feature's own messages
    HANDLERS.update(feature.HANDLERS)
