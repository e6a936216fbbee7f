"""This worker process's load, for the classroom page and the per-client session limit: live
sessions (by client address) and how busy the training thread is. Each worker writes it to a
small JSON file in a directory the workers share (``LEARNSCAPE_STATE_DIR``), so any worker can
answer for all of them.

A worker that has had no session for a few seconds and whose resident memory has grown by more
than a tenth since the first time it was idle restarts itself (graceful exit; the supervisor, which holds
its listening socket, starts a fresh one at once; a connection arriving meanwhile waits in the
socket's backlog). The growth is the allocator's fragmentation, which a long-lived process never
hands back (docs/performance.md, "Soak"). ``python -m server`` turns it on (RECYCLE_DEFAULT) when it
runs two or more workers, and off for a lone process, which has no one to restart it."""
from __future__ import annotations

import ctypes
import gc
import json
import logging
import multiprocessing
import os
import signal
import time
from collections import Counter
from pathlib import Path

STATE_DIR_ENV = "LEARNSCAPE_STATE_DIR"
RECYCLE_ENV = "LEARNSCAPE_RECYCLE"             # "idle seconds,growth", e.g. "3,0.10"; "off" or unset: off
RECYCLE_DEFAULT = "3,0.10"


class Load:
    def __init__(self, state_dir: str | None = None):
        self.state_dir = Path(state_dir) if state_dir else None
        self.clients: Counter[str] = Counter()
        self.active: set[int] = set()          # sessions with work to do now (they share the thread)
        self.busy, self.frames = 0.0, 0
        self._since, self._busy0, self._frames0 = time.monotonic(), 0.0, 0
        self.utilisation, self.fps = 0.0, 0.0
        try:                                    # python -m server checked it; off where it is malformed
            self.recycle = parse_recycle(os.environ.get(RECYCLE_ENV) or "off") if supervised() else None
        except ValueError as e:
            logging.getLogger("learnscape").warning("%s: worker restarts are off", e)
            self.recycle = None
        self.baseline_kb: int | None = None    # resident memory the first time the last session left
        self.idle_since: float | None = None

    @property
    def sessions(self) -> int:
        return sum(self.clients.values())

    def opened(self, client: str) -> None:
        self.idle_since = None
        self.clients[client] += 1
        self.write()

    def closed(self, client: str) -> None:
        self.clients[client] -= 1
        if self.clients[client] <= 0:
            del self.clients[client]
        if not self.clients:
            release_memory()
            self.idle_since = time.monotonic()
            if self.baseline_kb is None:           # after the first sessions' first-use allocations
                self.baseline_kb = rss_kb()
        self.write()

    def charge(self, seconds: float) -> None:
        """Time spent on the training thread."""
        self.busy += seconds

    def tick(self) -> None:
        """Once a second or so: the rates over the last interval, written for the other workers."""
        now = time.monotonic()
        dt = max(now - self._since, 1e-6)
        self.utilisation = (self.busy - self._busy0) / dt
        self.fps = (self.frames - self._frames0) / dt
        self._since, self._busy0, self._frames0 = now, self.busy, self.frames
        self.write()
        if self.recycle_due(now):
            self.idle_since = None
            os.kill(os.getpid(), signal.SIGTERM)   # uvicorn's graceful exit; the supervisor restarts it

    def recycle_due(self, now: float) -> bool:
        """Idle long enough, and grown by more than the allowed share since it was first idle."""
        if self.recycle is None or self.clients or self.idle_since is None or self.baseline_kb is None:
            return False
        idle, growth = self.recycle
        return now - self.idle_since >= idle and rss_kb() > self.baseline_kb * (1 + growth)

    def snapshot(self) -> dict:
        return {"pid": os.getpid(), "sessions": self.sessions, "clients": dict(self.clients),
                "training_thread": round(self.utilisation, 3), "frames_per_second": round(self.fps, 1),
                "at": time.time()}

    def write(self) -> None:
        if self.state_dir is None:
            return
        path = self.state_dir / f"worker-{os.getpid()}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.snapshot()))
        tmp.replace(path)

    def workers(self) -> list[dict]:
        """Every live worker's snapshot (this one's fresh; a file older than 5 s is a dead worker)."""
        mine = self.snapshot()
        if self.state_dir is None:
            return [mine]
        out = [mine]
        for path in self.state_dir.glob("worker-*.json"):
            try:
                snap = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if snap.get("pid") != mine["pid"] and time.time() - snap.get("at", 0) < 5:
                out.append(snap)
        return out

    def sessions_of(self, client: str) -> int:
        """Sessions this client has open in every worker."""
        return sum(w.get("clients", {}).get(client, 0) for w in self.workers())


def supervised() -> bool:
    """Whether this process is a worker started by a supervisor (which restarts it when it exits):
    a lone server, or a test's in-process app, must never stop itself."""
    return multiprocessing.parent_process() is not None


def parse_recycle(value: str) -> tuple[float, float] | None:
    """LEARNSCAPE_RECYCLE: "off", or "idle seconds,growth" (seconds >= 0, growth a fraction >= -1:
    -1 restarts after any session). ValueError names what is allowed."""
    if value.strip().lower() == "off":
        return None
    try:
        idle, growth = (float(x) for x in value.split(","))
    except ValueError:
        idle = growth = float("nan")
    if not (0 <= idle <= 86400 and -1 <= growth <= 100):
        raise ValueError(f"{RECYCLE_ENV}={value!r}: allowed: off, or 'idle seconds,growth' with seconds "
                         f"0 to 86400 and growth -1 to 100 (a fraction), e.g. {RECYCLE_DEFAULT}")
    return idle, growth


def rss_kb() -> int:
    """This process's resident memory (VmRSS), in KiB; 0 where /proc has none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def release_memory() -> None:
    """The last session left: collect, and hand freed heap back to the system (glibc keeps it
    otherwise, and a worker's resident memory would stay at its peak)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
