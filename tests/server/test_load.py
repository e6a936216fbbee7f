"""A worker's load (server/load.py): an idle worker that grew restarts itself under the supervisor,
and the server goes on serving. Against a real `python -m server --workers 2`."""
import asyncio
import http.client
import json
import os
import time

import pytest
import websockets

from server import load as worker_load


def workers(port: int) -> list[dict]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/api/load")
    return json.loads(c.getresponse().read())["workers"]


async def a_session(port: int) -> dict:
    """Open a session, play a moment, and close it; the hello it got."""
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", compression=None, max_size=None) as ws:
        hello = json.loads(await ws.recv())
        await ws.send('{"type":"play"}')
        while True:
            m = await ws.recv()
            if isinstance(m, str) and json.loads(m)["type"] == "frame":
                return hello


def test_an_idle_worker_that_grew_restarts_and_the_server_serves_on(server_process, monkeypatch):
    monkeypatch.setenv(worker_load.RECYCLE_ENV, "1,-1")          # after 1 s idle, whatever it grew
    server = server_process("--workers", "2")
    before = {w["pid"] for w in workers(server.port)}
    asyncio.run(a_session(server.port))
    deadline, now = time.monotonic() + 30, set()
    while time.monotonic() < deadline:                          # each worker answers for all of them
        now = {w["pid"] for w in workers(server.port)}
        if now - before:
            break
        time.sleep(0.5)
    assert now - before, (before, now)                           # a fresh worker took its place
    assert asyncio.run(a_session(server.port))["type"] == "hello"  # and sessions go on


def test_a_worker_is_kept_while_a_session_is_open_or_it_has_not_grown(monkeypatch):
    monkeypatch.setenv(worker_load.RECYCLE_ENV, "0,0.10")
    monkeypatch.setattr(worker_load, "supervised", lambda: True)  # as a supervisor's worker
    ld = worker_load.Load()
    killed = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: killed.append((pid, sig)))
    ld.opened("127.0.0.1")
    ld.tick()
    assert not killed                                            # a session is open
    ld.closed("127.0.0.1")
    ld.tick()
    assert not killed                                            # idle, but it has not grown by a tenth
    ld.baseline_kb = worker_load.rss_kb() // 2                   # as if it had doubled
    ld.tick()
    assert killed == [(os.getpid(), worker_load.signal.SIGTERM)]


def test_a_lone_process_never_restarts_itself(monkeypatch):
    monkeypatch.delenv(worker_load.RECYCLE_ENV, raising=False)
    ld = worker_load.Load()
    ld.opened("x")
    ld.closed("x")
    ld.baseline_kb = 1
    assert not ld.recycle_due(time.monotonic() + 60)
    monkeypatch.setenv(worker_load.RECYCLE_ENV, "0,-1")          # even told to: no supervisor here
    assert not worker_load.supervised() and worker_load.Load().recycle is None


def test_the_restart_setting_is_parsed_and_checked(monkeypatch):
    assert worker_load.parse_recycle("3,0.10") == (3.0, 0.1)
    assert worker_load.parse_recycle("OFF") is None
    for bad in ("3", "3,0.1,2", "-1,0.1", "3,-2", "nan,0.1", "a,b", ""):
        with pytest.raises(ValueError, match="allowed: off"):
            worker_load.parse_recycle(bad)
    monkeypatch.setattr(worker_load, "supervised", lambda: True)
    monkeypatch.setenv(worker_load.RECYCLE_ENV, "soon")          # a worker started without the check
    assert worker_load.Load().recycle is None                    # keeps serving, restarts off
