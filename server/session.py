"""One training session per browser tab: config, trainer and play state, without any socket.

The connection (connection.py) feeds it text messages with ``handle`` and calls ``advance`` (in a
worker thread) and ``frame`` between them; everything it wants to say to the client waits in
``outbox`` (control messages, in order) while frames are built on demand, newest only.
"""
from __future__ import annotations

import threading
import time

import numpy as np

from engine import Trainer
from engine.config import Config

from . import messages, protocol as wire
from .jsonsafe import finite, number
from .landscape import LiveSlice, explore

DEFAULT_SPEED = 1500.0                     # steps/s: the Playground's pace (an epoch a frame at 60 Hz)
MAX_OUTBOX = 256
MIN_FRAME_GAP = 1 / 75                     # flow control lets the page pace frames, up to about 60/s


def quiet():
    """Overflow while a run diverges is reported as a status, not as warnings in the log."""
    return np.errstate(over="ignore", invalid="ignore")


class Session:
    def __init__(self, config: dict | None = None):
        self.trainer = Trainer(Config.from_dict(config or {}))
        self.playing = False
        self.steps_per_second = DEFAULT_SPEED
        self.resolution = 50                 # the output map (decision boundary)
        self.node_resolution = None          # every node's thumbnail (None: as the output map)
        self.flow, self.unacked, self._sent_at = 0, 0, 0.0
        self.send_maps = True
        self.pending_steps = 0
        self.seq = 0
        self.dirty = True                    # a frame is due
        self.outbox: list[dict | bytes] = []
        self._outbox_lock = threading.Lock()  # training and landscapes say things from their threads
        self.measured_speed = 0.0
        self._budget = 0.0
        self._last_advance = None
        self._speed_since, self._speed_steps = None, 0
        self.landscape = LiveSlice()
        self.explorations: list = []         # asked for, not yet computed (the newest only)

    # -- what the client is told ----------------------------------------------------------
    def hello(self) -> dict:
        return messages.hello(self.trainer)

    def dataset_message(self) -> dict:
        return messages.dataset(self.trainer)

    def status_message(self) -> dict:
        return messages.status(self.trainer, self.playing)

    def _say(self, message: dict | bytes) -> None:
        """Queue a JSON message (a dict) or a binary one (bytes) for the client, in order.
        A newer data set, or a newer live slice with its surface, replaces an unsent one."""
        kind = message["type"] if isinstance(message, dict) else None
        with self._outbox_lock:
            if kind in ("dataset", "landscape"):
                kept, drop_bytes = [], False
                for m in self.outbox:
                    if drop_bytes and isinstance(m, bytes):
                        drop_bytes = False
                        continue
                    drop_bytes = isinstance(m, dict) and m["type"] == kind
                    if not drop_bytes:
                        kept.append(m)
                self.outbox[:] = kept
            self.outbox.append(message)
            if len(self.outbox) > MAX_OUTBOX:        # a client that floods us and never reads
                del self.outbox[: len(self.outbox) - MAX_OUTBOX]
                while self.outbox and isinstance(self.outbox[0], bytes):   # no surface without its JSON
                    del self.outbox[0]

    def take(self) -> dict | bytes | None:
        """The next queued message for the client, or None."""
        with self._outbox_lock:
            return self.outbox.pop(0) if self.outbox else None

    def _error(self, field: str, message: str) -> None:
        self._say({"type": "error", "field": field, "message": message})

    def _refuse(self, e: ValueError, prefix: str = "") -> None:
        """The engine's refusals read "field: what is wrong; allowed: ..."; say them as errors."""
        field, _, what = str(e).partition(": ")
        self._error(prefix + field, what or str(e))

    def start(self) -> list[dict]:
        """The opening messages: hello, the data, the status."""
        return [self.hello(), self.dataset_message(), self.status_message()]

    # -- what the client asks -------------------------------------------------------------
    def handle(self, text) -> None:
        """One raw message from the socket. Bad ones get an error; the session goes on."""
        if not isinstance(text, str):
            self._error("message", "binary messages are not accepted; send JSON text")
            return
        try:
            msg = wire.parse_client(text)
        except wire.ProtocolError as e:
            self._error(e.field, e.message)
            return
        getattr(self, "_on_" + msg.type)(msg)

    def _on_set_config(self, msg) -> None:
        patch = msg.config.model_dump(exclude_none=True)
        before = self.trainer.r
        try:
            applied = self.trainer.configure(patch)         # all or nothing
        except ValueError as e:
            self._refuse(e, "config.")
            return
        self._say({"type": "config", "config": self.trainer.config.to_dict(), "applied": applied})
        self.landscape.dirty = True
        if applied == "rebuild":
            self.landscape.restart()
            if any(getattr(before, k) != getattr(self.trainer.r, k) for k in
                   ("dataset", "points", "noise", "train_ratio", "classes", "seed")):
                self._say(self.dataset_message())
            self._say(self.status_message())
        self.dirty = True

    def _on_play(self, msg) -> None:
        if self.trainer.status == "diverged":
            self._say(self.status_message())
            return
        self.playing = True
        self._last_advance = None
        self._speed_since = None
        self._say(self.status_message())

    def _on_pause(self, msg) -> None:
        self.playing = False
        self._say(self.status_message())

    def _on_step(self, msg) -> None:
        self.pending_steps = min(self.pending_steps + msg.n, wire.LIMITS["max_steps_per_request"])

    def _on_reset(self, msg) -> None:
        self.trainer.reset()
        self.landscape.restart()
        self.pending_steps = 0
        self.dirty = True
        self._say(self.status_message())

    def _on_regenerate(self, msg) -> None:
        self.trainer.regenerate(msg.seed)
        self.landscape.restart()
        self._say({"type": "config", "config": self.trainer.config.to_dict(), "applied": "rebuild"})
        self._say(self.dataset_message())
        self._say(self.status_message())
        self.dirty = True

    def _on_set_weight(self, msg) -> None:
        try:
            self.trainer.network.set_weight(msg.layer, msg.to, msg.from_, msg.value)
        except ValueError as e:
            self._refuse(e)
            return
        self.dirty = True
        self.landscape.dirty = True

    def _on_set_speed(self, msg) -> None:
        self.steps_per_second = msg.steps_per_second

    def _on_ack(self, msg) -> None:
        self.unacked = max(0, self.unacked - 1)

    @property
    def frame_allowed(self) -> bool:
        """Flow control: no more than `flow` frames unacknowledged (a silent second lifts it)."""
        if self.flow == 0:
            return True
        since = time.perf_counter() - self._sent_at
        return (self.unacked < self.flow and since >= MIN_FRAME_GAP) or since > 1.0

    def _on_set_view(self, msg) -> None:
        if msg.flow is not None:
            self.flow, self.unacked = msg.flow, 0
        if msg.node_resolution is not None:
            self.node_resolution = msg.node_resolution
        if msg.grid_resolution is not None:
            self.resolution = msg.grid_resolution
        if msg.maps is not None:
            self.send_maps = msg.maps
        self.dirty = True

    def _on_set_landscape(self, msg) -> None:
        try:
            self.landscape.configure(msg, self.trainer)
        except ValueError as e:
            self._refuse(e)

    def _on_explore(self, msg) -> None:
        self.explorations = [msg]                    # a newer request replaces a waiting one

    # -- landscapes: computed between frames, in the worker thread ------------------------
    def landscape_due(self, now: float | None = None) -> bool:
        return bool(self.explorations) or self.landscape.due(time.perf_counter() if now is None else now)

    def compute_landscapes(self) -> None:
        """The waiting exploration and a due live slice, each as JSON plus a binary surface."""
        if self.explorations:
            msg = self.explorations.pop()
            self.seq += 1
            try:
                with quiet():
                    out, grid = explore(msg, self.trainer, self.seq)
            except ValueError as e:
                self._refuse(e)
            else:
                self._say(out)
                if grid is not None:
                    self._say(grid)
        if self.landscape.due(time.perf_counter()):
            self.seq += 1
            with quiet():
                out, grid = self.landscape.compute(self.trainer, self.seq)
            self._say(out)
            self._say(grid)

    # -- training and frames --------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.pending_steps > 0 or (self.playing and self.trainer.status == "ok")

    @property
    def wants_steps(self) -> bool:
        """Steps are owed now: asked for, or playing flat out, or a whole step of speed budget."""
        if self.trainer.status != "ok":
            return False
        return self.pending_steps > 0 or self.playing and (self.steps_per_second <= 0 or self._budget >= 1)

    def advance(self, deadline: float) -> int:
        """Train until `deadline` (perf_counter) or the speed budget; runs in a worker thread.
        Explicit steps are carried until done; at a set speed, steps the deadline cut off are
        carried too (at most a quarter second's worth), so a busy server slows a run, not its pace."""
        t = self.trainer
        now = time.perf_counter()
        asked = todo = self.pending_steps
        if self.playing:
            if self.steps_per_second <= 0:
                todo += wire.LIMITS["max_steps_per_request"] * 10
            else:
                elapsed = 0.0 if self._last_advance is None else now - self._last_advance
                self._budget = min(self._budget + self.steps_per_second * elapsed,
                                   self.steps_per_second * 0.25 + 1)
                todo += int(self._budget)
        self._last_advance = now
        with quiet():
            done = t.run(todo, deadline) if todo else 0
        self.pending_steps = max(asked - done, 0) if t.status == "ok" else 0
        if self.playing and self.steps_per_second > 0:
            self._budget -= max(done - asked, 0)
        self._count_speed(done, time.perf_counter())
        if done:
            self.dirty = True
            self.landscape.record(t.network.theta)
        if t.status == "diverged" and self.playing:
            self.playing = False
            self._say(self.status_message())
        elif t.status == "diverged" and done:
            self._say(self.status_message())
        return done

    def _count_speed(self, done: int, now: float) -> None:
        """Steps per wall-clock second, over windows of a quarter second or more."""
        if self._speed_since is None:
            self._speed_since, self._speed_steps = now, 0
            return
        self._speed_steps += done
        if now - self._speed_since >= 0.25:
            self.measured_speed = self._speed_steps / (now - self._speed_since)
            self._speed_since, self._speed_steps = now, 0

    def frame(self) -> tuple[dict, bytes | tuple[bytes, bytes] | None]:
        """The current state as a frame (JSON-ready dict) and its binary maps: None, the maps, or
        with a node_resolution of its own (set_view), the maps and then the output map."""
        t = self.trainer
        with quiet():
            rep = t.report(maps=self.send_maps, resolution=self.node_resolution or self.resolution)
        net = t.network
        maps = None
        if self.send_maps:
            self.seq += 1
            maps = wire.pack_grids(wire.KIND_MAPS, self.seq, rep["maps"])
            if self.node_resolution and self.node_resolution != self.resolution:
                with quiet():
                    output = t.maps(self.resolution)[-net.sizes[-1]:]
                maps = (maps, wire.pack_grids(wire.KIND_OUTPUT, self.seq, output))
        if self.flow:
            self.unacked += 1
            self._sent_at = time.perf_counter()
        msg = {
            "type": "frame",
            "step": rep["step"],
            "epoch": rep["epoch"],
            "loss_train": number(rep["loss_train"]),
            "loss_test": number(rep["loss_test"]),
            "accuracy_train": rep["accuracy_train"],
            "accuracy_test": rep["accuracy_test"],
            "learning_rate": rep["learning_rate"],
            "weights": [{"W": finite(W), "b": finite(b)} for W, b in zip(net.W, net.b)],
            "gradients": [{"W": finite(W), "b": finite(b)} for W, b in zip(net.dW, net.db)],
            "grad_norms": finite(rep["grad_norms"]),
            "weight_norms": finite(rep["weight_norms"]),
            "steps_per_second": round(self.measured_speed, 1) if self.busy else 0.0,
            "maps_seq": self.seq if maps is not None else None,
        }
        if rep["status"] == "diverged" and self.playing:     # found by evaluation, not by a step
            self.playing = False
            self._say(self.status_message())
        self.dirty = False
        return msg, maps
