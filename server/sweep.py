"""Sweeps from the page (issue 12): ``start_sweep`` runs engine.sweep's grid over the session's
current config on a background thread with a pool of its own, streaming a ``sweep`` message per
finished cell; ``cancel_sweep`` stops it. One sweep per session at a time; the server's limits
(protocol.LIMITS: models, models x epochs, and the live network's own limits per axis value) are
checked before anything starts. When the session ends (its socket closed), the connection calls
``close`` on what ``session.extra`` holds: the sweep is cancelled and its worker processes are
terminated. See docs/protocol.md, "Sweeps".
"""
from __future__ import annotations

import logging
import os
import threading
import time

from engine import datasets
from engine.sweep import Sweep, SweepGrid

from . import messages, protocol as wire
from .errors import ProtocolError, from_engine, value_range

L = wire.LIMITS
log = logging.getLogger("learnscape")
WORKERS_ENV = "LEARNSCAPE_SWEEP_WORKERS"
# two cores: one for the server's training thread, one for the sweep's pool (see docs/protocol.md)
DEFAULT_WORKERS = 1
# an axis value past the live network's own limits could not be applied with "use this setting"
AXIS_LIMITS = {"hidden_width": (1, "max_neurons"), "depth": (0, "max_hidden_layers"),
               "batch_size": (1, "max_batch_size")}


def workers() -> int:
    try:
        return max(1, min(int(os.environ.get(WORKERS_ENV, DEFAULT_WORKERS)), os.cpu_count() or 1))
    except ValueError:
        return DEFAULT_WORKERS


def setting_patch(grid: SweepGrid, index: int) -> dict:
    """A cell's setting as the set_config patch that applies it to the live network: every field
    its axes set (hidden_width and depth set ``hidden``), valued as the engine built the cell."""
    config = grid.cells[index].config.to_dict()
    return {f: config[f] for f in {"hidden" if a in ("hidden_width", "depth") else a for a in grid.axes}}


def _check(msg, config) -> SweepGrid:
    """The grid of a start_sweep, within the server's limits, or ProtocolError naming the limit."""
    task = datasets.DATASETS[config.dataset].task
    if task != "points":
        raise ProtocolError("sweep_task", "dataset", got=config.dataset, task=task)
    for axis, values in msg.axes.items():
        if axis in AXIS_LIMITS:
            lo, key = AXIS_LIMITS[axis]
            for v in values:
                if isinstance(v, (int, float)) and not isinstance(v, bool) and not lo <= v <= L[key]:
                    raise ProtocolError("out_of_range", f"axes.{axis}", got=repr(v), range=value_range(lo, L[key]))
    try:
        grid = SweepGrid(config, {k: list(v) for k, v in msg.axes.items()}, seeds=msg.seeds, epochs=msg.epochs)
    except ValueError as e:
        raise from_engine(e, "axes.") from None
    if grid.models > L["max_sweep_models"]:
        raise ProtocolError("sweep_limit", "seeds", cost=grid.models, limit=L["max_sweep_models"],
                            unit="networks (cells × seeds)")
    work = grid.models * grid.epochs
    if work > L["max_sweep_work"]:
        raise ProtocolError("sweep_limit", "epochs", cost=work, limit=L["max_sweep_work"],
                            unit="network-epochs (cells × seeds × epochs)")
    return grid


class SweepRun:
    """One session's sweep: the engine's Sweep driven on a thread of its own."""

    def __init__(self, session, grid: SweepGrid, sweep_id: int):
        self.session, self.grid, self.id = session, grid, sweep_id
        self.sweep = Sweep(grid, workers=workers(), dask=None)
        self.thread = threading.Thread(target=self._run, name=f"sweep-{sweep_id}", daemon=True)

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def say(self, message: dict) -> None:
        s = self.session
        s.outbox.put(message)
        wake = s.extra.get("wake")
        if wake is not None:
            try:
                wake()                               # the connection sends it now, playing or not
            except RuntimeError:                     # its event loop is gone: so is the page
                pass

    def message(self, event: str, done: int = 0, elapsed: float = 0.0, left=None, **more) -> dict:
        g = self.grid
        return messages.sweep(self.id, event, g.axes, g.seeds, g.epochs, len(g.cells), done, elapsed, left, **more)

    def _run(self) -> None:
        t0 = time.perf_counter()
        cells = []
        try:
            for cell in self.sweep.results():
                cell["config"] = setting_patch(self.grid, cell["index"])
                cells.append(cell)
                self.say(self.message("cell", cell["done"], cell["elapsed_s"], cell["left_s"], cell=cell))
        except Exception as e:                       # noqa: BLE001  a worker died, the pool broke...
            log.warning("sweep %s failed: %s: %s", self.id, type(e).__name__, e)
            self.sweep.cancel()
            self.say(messages.error("sweep_failed", "sweep", reason=f"{type(e).__name__}: {str(e)[:120]}"))
        cells.sort(key=lambda c: c["index"])
        elapsed = time.perf_counter() - t0
        self.say(self.message("done", len(cells), elapsed, 0.0, summary=self.sweep.summary(cells, elapsed)))
        with _all_lock:
            _all.discard(self)                       # its session (and trainer) may go now

    def cancel(self) -> None:
        self.sweep.cancel()

    def close(self) -> None:
        """The session ends: the pool's processes are terminated (and reaped) at once."""
        self.sweep.cancel()


class Sweeps:
    """What a session keeps about sweeps (session.extra["sweep"]): the current one, if any."""

    def __init__(self):
        self.current: SweepRun | None = None
        self.count = 0

    def close(self) -> None:
        if self.current is not None:
            self.current.close()


_all: set = set()                   # this process's sweeps still running, across its sessions
_all_lock = threading.Lock()


def _sweeps(session) -> Sweeps:
    return session.extra.setdefault("sweep", Sweeps())


def start(session, msg) -> None:
    sw = _sweeps(session)
    if sw.current is not None and sw.current.running:
        raise ProtocolError("sweep_running", "start_sweep", id=sw.current.id)
    grid = _check(msg, session.trainer.config)
    with _all_lock:                                  # the cores are shared by every session's sweeps
        _all.difference_update([r for r in _all if not r.running])
        if len(_all) >= L["max_sweeps_running"]:
            raise ProtocolError("sweep_busy", "start_sweep", count=len(_all), limit=L["max_sweeps_running"])
        sw.count += 1
        sw.current = run = SweepRun(session, grid, sw.count)
        run.say(run.message("started"))              # before any cell: said on this thread
        run.thread.start()
        _all.add(run)


def cancel(session, msg) -> None:
    sw = _sweeps(session)
    if sw.current is not None and sw.current.running:
        sw.current.cancel()                          # the thread ends with a "done" whose summary says cancelled


HANDLERS = {"start_sweep": start, "cancel_sweep": cancel}
