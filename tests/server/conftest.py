"""Shared fixtures for the server tests: a session driven by hand, a real uvicorn on a free
loopback port (in a thread, or as `python -m server` in a subprocess), and small helpers."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from server.app import create_app
from server.serve import uvicorn_config
from server.session import Session

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {HOST}:{port}")


def _run_until(session: Session, done, seconds: float = 5.0) -> None:
    """Advance a session (as the connection would) until done() or the time is up."""
    end = time.perf_counter() + seconds
    while not done() and time.perf_counter() < end:
        session.advance(time.perf_counter() + 0.005)
        if session.dirty:
            session.frame()


def _drain(session: Session) -> list[dict]:
    out = list(session.outbox)
    session.outbox.clear()
    return out


def _send(session: Session, message) -> list[dict]:
    """Hand a message (a dict, or raw text / bytes) to the session; return what it said."""
    session.handle(json.dumps(message) if isinstance(message, dict) else message)
    return _drain(session)


# the helpers as fixtures: with --import-mode=importlib a test module cannot import conftest
@pytest.fixture
def run_until():
    return _run_until


@pytest.fixture
def drain():
    return _drain


@pytest.fixture
def send():
    return _send


@pytest.fixture
def session() -> Session:
    s = Session()
    s.start()
    return s


@pytest.fixture(scope="module")
def live_server():
    """A real uvicorn serving the app on a free loopback port, in a background thread."""
    port = free_port()
    server = uvicorn.Server(uvicorn_config(create_app(), HOST, port, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    yield f"{HOST}:{port}"
    server.should_exit = True
    thread.join(10)


class ServerProcess:
    """`python -m server` as a subprocess; `port` is the one it announced."""

    def __init__(self, *args: str):
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "server", "--no-browser", *args], cwd=ROOT,
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)     # its own group: workers go with it
        self.banner = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", self.banner)
        if not m:
            self.stop()
            raise RuntimeError(f"server did not start: {self.banner!r} {self.proc.stderr.read()!r}")
        self.port = int(m.group(1))
        wait_for_port(self.port)

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def stop(self) -> str:
        self._signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            _, err = self.proc.communicate()
        return err

    def _signal(self, sig) -> None:
        try:
            os.killpg(self.proc.pid, sig)          # the group this server leads: it and its workers
        except ProcessLookupError:
            pass


@pytest.fixture
def server_process():
    started = []

    def start(*args: str) -> ServerProcess:
        started.append(ServerProcess(*args))
        return started[-1]

    yield start
    for p in started:
        p.stop()
