"""A session survives a killed worker: the page keeps the run it saw (config, weights, step) and
offers it back with `restore` on a fresh connection; the server validates it like any input and
continues from the same step with the same weights. Also: what a bad restore is told."""
import asyncio
import json
import os
import signal
import time
from pathlib import Path

import websockets

from server.session import Session


def children(pid: int) -> list[int]:
    """The worker processes of a `python -m server` (not multiprocessing's resource tracker)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmd = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"resource_tracker" not in cmd:
                out.append(int(child))
    return out


def workers_of(pid: int, n: int, seconds: float = 20.0) -> list[int]:
    end = time.monotonic() + seconds
    while len(found := children(pid)) < n and time.monotonic() < end:
        time.sleep(0.1)
    return found


async def until(ws, pred, seconds=10.0):
    """Messages until pred(message) is true; returns that one (binary messages skipped)."""
    async with asyncio.timeout(seconds):
        while True:
            m = await ws.recv()
            if isinstance(m, str) and pred(msg := json.loads(m)):
                return msg


async def connect(port: int, seconds=20.0):
    end = time.monotonic() + seconds
    while True:
        try:
            ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws", compression=None, max_size=None)
            await until(ws, lambda m: m["type"] == "status")
            return ws
        except (OSError, websockets.exceptions.WebSocketException, TimeoutError):
            if time.monotonic() > end:
                raise
            await asyncio.sleep(0.2)


def test_a_restore_after_a_killed_worker_resumes_at_the_same_step_and_weights(server_process):
    server = server_process("--workers", "2")
    workers = workers_of(server.proc.pid, 2)
    assert len(workers) == 2

    async def scenario():
        ws = await connect(server.port)
        config = {"hidden": [5, 3], "learning_rate": 0.1, "optimizer": "adam", "seed": 11, "dataset": "xor"}
        await ws.send(json.dumps({"type": "set_config", "config": config}))
        seen_config = (await until(ws, lambda m: m["type"] == "config"))["config"]
        await ws.send(json.dumps({"type": "step", "n": 237}))
        seen = await until(ws, lambda m: m["type"] == "frame" and m["step"] == 237)
        for pid in workers:                          # SIGKILL: nothing of the session survives there
            os.kill(pid, signal.SIGKILL)
        try:
            await until(ws, lambda m: False, 10)
        except websockets.exceptions.ConnectionClosed:
            pass
        ws = await connect(server.port)             # a new worker (the supervisor restarts them)
        run = {"version": 1, "config": seen_config, "weights": seen["weights"]}
        await ws.send(json.dumps({"type": "restore", "run": run, "step": seen["step"], "epoch": seen["epoch"]}))
        answer = await until(ws, lambda m: m["type"] == "config")
        status = await until(ws, lambda m: m["type"] == "status")
        resumed = await until(ws, lambda m: m["type"] == "frame")
        await ws.send(json.dumps({"type": "step", "n": 10}))
        later = await until(ws, lambda m: m["type"] == "frame" and m["step"] == 247)
        await ws.close()
        return seen, answer, status, resumed, later

    seen, answer, status, resumed, later = asyncio.run(scenario())
    assert set(children(server.proc.pid)).isdisjoint(workers)       # they really were replaced
    assert answer["applied"] == "restored" and answer["config"] == {**answer["config"], "hidden": [5, 3], "seed": 11}
    assert status == {"type": "status", "state": "paused", "step": 237}
    assert resumed["step"] == 237 and resumed["epoch"] == seen["epoch"]
    assert resumed["weights"] == seen["weights"]                      # the same floats, exactly
    assert resumed["loss_train"] == seen["loss_train"]
    assert later["loss_train"] is not None and later["weights"] != seen["weights"]


def restore(s: Session, **changes) -> list[dict]:
    run = {"version": 1, "config": {"hidden": [2]}, "weights": [{"W": [[1, 2], [3, 4]], "b": [0, 0]},
                                                                {"W": [[1, -1]], "b": [0.5]}]}
    msg = {"type": "restore", "run": run, "step": 3, **changes}
    s.outbox.clear()
    s.handle(json.dumps(msg))
    return list(s.outbox)


def test_a_restore_is_validated_like_any_input():
    s = Session()
    s.start()
    said = restore(s)
    assert [m["type"] for m in said] == ["config", "dataset", "status"] and said[2]["step"] == 3
    assert s.trainer.network.W[0].tolist() == [[1, 2], [3, 4]]
    reset_to = s.trainer.network.W[0].tolist()
    s.handle('{"type":"reset"}')                     # reset: the start of that run (its init and seed)
    assert s.trainer.step_count == 0 and s.trainer.network.W[0].tolist() != reset_to
    (e,) = restore(s, run={"version": 1, "config": {"hidden": [3]},
                           "weights": [{"W": [[1, 2], [3, 4]], "b": [0, 0]}, {"W": [[1, -1]], "b": [0.5]}]})
    assert e["code"] == "weights_shape" and e["field"] == "run.weights"
    (e,) = restore(s, step=-1)
    assert e["code"] == "out_of_range" and e["field"] == "step"
    (e,) = restore(s, run={"version": 2, "config": {}, "weights": [{"W": [[1]], "b": [1]}]})
    assert e["field"] == "run.version"
    bad = '{"type":"restore","run":{"version":1,"config":{},"weights":[{"W":[[NaN]],"b":[0]}]},"step":1}'
    s.outbox.clear()
    s.handle(bad)
    assert [m["code"] for m in s.outbox] == ["not_finite"]
    (e,) = restore(s, run={"version": 1, "config": {"dataset": "blobs", "output": "tanh"},
                           "weights": [{"W": [[1]], "b": [1]}]})
    assert e["code"] == "needs_softmax" and e["field"] == "run.config.output"
    assert s.trainer.step_count == 0                 # refused: the session goes on as it was
