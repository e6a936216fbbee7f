"""Running a sweep's tasks: in this process (workers=0), on a local pool of processes (forked
from a single-threaded caller, else spawned; NumPy single-threaded in each), or on an existing dask.distributed cluster (``dask`` address, or
the LEARNSCAPE_DASK environment variable). Every way gives the same cells for the same grid.

``Sweep.results()`` yields each cell as it finishes (with its mean, spread, and the progress so
far); ``Sweep.cancel()`` may be called from any thread: the local pool's processes are terminated
at once, a Dask task stops at its next epoch boundary (it polls a distributed.Event), tasks not
yet started are cancelled. Closing the generator cancels too.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
import uuid
from contextlib import contextmanager

from .axes import SweepGrid
from .plan import plan
from .summary import best_setting, summarise_cell
from .task import train_group

ONE_THREAD = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}
MAX_WORKERS = 256
_environ_lock = threading.Lock()


@contextmanager
def _single_threaded_children():
    """Children started inside inherit ONE_THREAD before they import NumPy; ours is restored."""
    with _environ_lock:
        saved = {k: os.environ.get(k) for k in ONE_THREAD}
        os.environ.update(ONE_THREAD)
        try:
            yield
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def _context():
    """Fork when this process runs one thread (the command line, a script): a forked worker starts
    in milliseconds with the engine already imported. Spawn otherwise (the server's sweeps run on a
    thread beside others, and forking a threaded process can copy a held lock)."""
    one = threading.active_count() == 1 and "fork" in mp.get_all_start_methods()
    return mp.get_context("fork" if one else "spawn")


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's: it terminates the pool


def _dask_task(task: dict, stop_name: str):
    """A task on a Dask worker, stopping at an epoch boundary once the sweep's Event is set."""
    from distributed import Event
    stop, last = Event(stop_name), [0.0]

    def should_stop() -> bool:
        now = time.monotonic()
        if now - last[0] < 0.25:                      # one scheduler round trip per quarter second at most
            return False
        last[0] = now
        return stop.is_set()
    return train_group(task, should_stop)


class Sweep:
    def __init__(self, grid: SweepGrid, workers: int | None = None, dask: str | None = None,
                 batched: bool = True, dask_timeout: float = 10.0):
        self.grid, self.dask_timeout = grid, dask_timeout
        self.dask = dask if dask is not None else (os.environ.get("LEARNSCAPE_DASK") or None)
        workers = (os.cpu_count() or 1) if workers is None else workers
        if isinstance(workers, bool) or not isinstance(workers, int) or not 0 <= workers <= MAX_WORKERS:
            raise ValueError(f"workers: {workers!r} is not allowed; allowed: whole numbers 0 (this process) "
                             f"to {MAX_WORKERS}")
        self.workers, self.batched = workers, batched
        self.cells, self.done = len(grid.cells), 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pool = None

    # -- control ----------------------------------------------------------------------------
    def cancel(self) -> None:
        self._stop.set()
        with self._lock:
            if self._pool is not None:
                self._pool.terminate()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    # -- results ----------------------------------------------------------------------------
    def results(self):
        """Yield every cell as it finishes: the task's cell result plus "mean", "spread",
        "diverged", "done" (cells finished so far), "cells" (in all), "elapsed_s" and "left_s" (a
        guess: the time per cell so far times the cells left; the costliest tasks run first)."""
        t0 = time.perf_counter()
        source = self._on_dask() if self.dask else self._here() if self.workers == 0 else self._on_pool()
        try:
            for cells in source:
                for cell in cells:
                    self.done += 1
                    elapsed = time.perf_counter() - t0
                    yield {**summarise_cell(cell), "done": self.done, "cells": self.cells, "elapsed_s": elapsed,
                           "left_s": elapsed / self.done * (self.cells - self.done)}
        finally:
            source.close()

    def run(self, on_cell=None) -> dict:
        """Run to the end (or cancel): {"cells": [in grid order], "summary": {...}}."""
        t0 = time.perf_counter()
        cells = []
        for cell in self.results():
            cells.append(cell)
            if on_cell is not None:
                on_cell(cell)
        cells.sort(key=lambda c: c["index"])
        return {"cells": cells, "summary": self.summary(cells, time.perf_counter() - t0)}

    def summary(self, cells: list[dict], elapsed: float) -> dict:
        return {"best": best_setting(cells), "cells": len(cells), "of": self.cells, "seeds": self.grid.seeds,
                "epochs": self.grid.epochs, "cancelled": self.cancelled, "time_s": elapsed,
                "diverged": sum(c["diverged"] for c in cells)}

    # -- where the tasks run ----------------------------------------------------------------
    def _here(self):
        for task in plan(self.grid, 1, self.batched):
            out = train_group(task, self._stop.is_set)
            if out is None:
                return
            yield out

    def _on_pool(self):
        tasks = plan(self.grid, self.workers, self.batched)
        with self._lock:
            if self._stop.is_set():
                return
            with _single_threaded_children():
                pool = self._pool = _context().Pool(min(self.workers, len(tasks)), _worker_init)
        try:
            it = pool.imap_unordered(train_group, tasks, chunksize=1)
            for _ in tasks:
                while True:
                    try:
                        out = it.next(timeout=0.1)
                        break
                    except mp.TimeoutError:
                        if self._stop.is_set():
                            return
                yield out
        finally:
            with self._lock:
                pool.terminate()
                pool.join()
                self._pool = None

    def _on_dask(self):
        try:
            from distributed import Client, Event
        except ImportError:
            raise ValueError("dask: needs the cluster extra; allowed: pip install 'learnscape[cluster]'") from None
        try:
            client = Client(self.dask, timeout=self.dask_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as e:
            raise ValueError(f"dask: cannot reach a scheduler at {self.dask!r} ({e}); "
                             "allowed: the address of a running dask scheduler, e.g. tcp://host:8786") from None
        name = f"learnscape-sweep-{uuid.uuid4().hex}"
        stop = Event(name, client=client)
        pending = []
        try:
            threads = sum(client.nthreads().values()) or 1
            pending = [client.submit(_dask_task, t, name, pure=False) for t in plan(self.grid, threads, self.batched)]
            while pending:
                ready = [f for f in pending if f.done()]
                if self._stop.is_set():
                    return
                if not ready:
                    time.sleep(0.05)
                    continue
                for f in ready:
                    pending.remove(f)
                    yield f.result()
        finally:
            if pending:
                stop.set()
                client.cancel(pending)
            client.close()
