"""Sweeps from the page's side of the wire (server/sweep.py): a real uvicorn on loopback and a real
websockets client. A 2x3 sweep with 2 seeds streams its 6 cells and a summary while the session
keeps training; cancelling, or closing the socket, stops it and leaves no worker process; the
server's limits are refused with a code naming them; the session goes on after every refusal."""
import asyncio
import json
import os
import time
from pathlib import Path

import websockets

from server import protocol as wire

SMALL = {"type": "start_sweep", "axes": {"hidden_width": [2, 4], "learning_rate": [0.01, 0.03, 0.1]},
         "seeds": 2, "epochs": 4}
LONG = {"type": "start_sweep", "axes": {"hidden_width": [1, 2, 3, 4, 5, 6, 7, 8]}, "seeds": 2, "epochs": 1000}


def workers() -> list[int]:
    """The sweep pool's processes: this process's children started by multiprocessing's spawn."""
    me, found = os.getpid(), []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            cmd = (d / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == me and b"spawn_main" in cmd and not stat.rsplit(")", 1)[1].split()[0] == "Z":
            found.append(int(d.name))
    return found


def wait_until(pred, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


async def opened(url):
    ws = await websockets.connect(f"ws://{url}/ws", compression=None, max_size=None)
    for _ in range(3):
        await ws.recv()
    return ws


async def texts(ws, until, seconds: float = 60.0) -> list[dict]:
    """Text messages (binary ones skipped) until `until(message)` holds."""
    out, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        data = await asyncio.wait_for(ws.recv(), max(end - time.monotonic(), 0.1))
        if isinstance(data, bytes):
            continue
        out.append(json.loads(data))
        if until(out[-1]):
            return out
    raise AssertionError(f"timed out; last: {[m['type'] for m in out[-5:]]}")


async def long_sweep(url):
    """A socket with a long sweep started on it, and whether its worker process showed up."""
    ws = await opened(url)
    await ws.send(json.dumps(LONG))
    await texts(ws, lambda m: m["type"] == "sweep" and m["event"] == "started", 10)
    return ws, await asyncio.to_thread(wait_until, workers, 20)


def is_done(m) -> bool:
    return m["type"] == "sweep" and m["event"] == "done"


def test_a_2x3_sweep_streams_six_cells_and_a_summary_while_the_session_trains(live_server):
    async def scenario():
        ws = await opened(live_server)
        await ws.send(json.dumps({"type": "play"}))
        await ws.send(json.dumps(SMALL))
        seen = await texts(ws, is_done)
        best = next(m for m in seen if is_done(m))["summary"]["best"]
        cell = next(m["cell"] for m in seen if m["type"] == "sweep" and m["event"] == "cell"
                    and m["cell"]["index"] == best["index"])
        await ws.send(json.dumps({"type": "set_config", "config": cell["config"]}))      # "use this setting"
        applied = await texts(ws, lambda m: m["type"] == "config", 10)
        after = await texts(ws, lambda m: m["type"] == "frame", 10)
        await ws.close()
        return seen, cell, applied[-1], after[-1]

    seen, cell, config, frame = asyncio.run(scenario())
    sweeps = [m for m in seen if m["type"] == "sweep"]
    for m in sweeps:
        wire.server_adapter.validate_python(m)
    assert [m["event"] for m in sweeps] == ["started"] + ["cell"] * 6 + ["done"]
    cells = [m["cell"] for m in sweeps if m["event"] == "cell"]
    assert sorted(c["index"] for c in cells) == [0, 1, 2, 3, 4, 5]
    assert [m["done"] for m in sweeps if m["event"] == "cell"] == [1, 2, 3, 4, 5, 6]
    assert all(len(c["seeds"]) == 2 and c["mean"]["loss_test"] is not None and c["spread"]["loss_test"] is not None
               for c in cells)
    by_index = {c["index"]: c for c in cells}
    assert by_index[4]["setting"] == {"hidden_width": 4, "learning_rate": 0.03}            # row-major
    assert by_index[4]["config"] == {"hidden": [4, 4], "learning_rate": 0.03}             # the base config has 2 hidden layers
    summary = sweeps[-1]["summary"]
    assert summary["cells"] == 6 and summary["cancelled"] is False and summary["best"]["setting"] == cell["setting"]
    assert summary["best"]["mean"] == min(c["mean"]["loss_test"] for c in cells)
    frames = [m for m in seen if m["type"] == "frame"]
    assert len(frames) >= 2 and frames[-1]["step"] > frames[0]["step"]                    # training went on
    assert config["config"]["hidden"] == cell["config"]["hidden"]
    assert config["config"]["learning_rate"] == cell["config"]["learning_rate"]
    assert len(frame["weights"]) == len(cell["config"]["hidden"]) + 1
    assert wait_until(lambda: not workers(), 10), workers()


def test_cancel_stops_the_sweep_leaves_no_worker_and_the_session_goes_on(live_server):
    async def scenario():
        ws, running = await long_sweep(live_server)
        await ws.send(json.dumps(LONG))                      # one sweep at a time
        refused = await texts(ws, lambda m: m["type"] == "error", 10)
        await ws.send(json.dumps({"type": "cancel_sweep"}))
        done = await texts(ws, is_done, 20)
        gone = await asyncio.to_thread(wait_until, lambda: not workers(), 10)
        await ws.send(json.dumps({"type": "step", "n": 3}))
        frame = await texts(ws, lambda m: m["type"] == "frame" and m["step"] >= 3, 10)
        await ws.close()
        return running, refused[-1], done[-1], gone, frame[-1]

    running, refused, done, gone, frame = asyncio.run(scenario())
    assert running, "the sweep's worker never started"
    assert refused["code"] == "sweep_running" and "one sweep at a time" in refused["message"]
    assert done["summary"]["cancelled"] is True and done["done"] < 8
    assert gone, f"workers left: {workers()}"
    assert frame["step"] == 3


def test_closing_the_socket_cancels_the_sweep_and_frees_its_workers(live_server):
    async def scenario():
        ws, running = await long_sweep(live_server)
        await ws.close()
        return running

    assert asyncio.run(scenario()), "the sweep's worker never started"
    assert wait_until(lambda: not workers(), 10), f"workers left after the socket closed: {workers()}"


def test_limits_and_bad_grids_are_refused_naming_what_is_allowed(session, send):
    def refused(msg) -> dict:
        out = send(session, msg)
        assert len(out) == 1 and out[0]["type"] == "error", out
        wire.server_adapter.validate_python(out[0])
        return out[0]

    L = wire.LIMITS
    e = refused({**SMALL, "axes": {"hidden_width": list(range(1, 13)), "learning_rate": [0.01, 0.03]}, "seeds": 10})
    assert (e["code"], e["field"], e["params"]["limit"], e["params"]["cost"]) == ("sweep_limit", "seeds",
                                                                                L["max_sweep_models"], 240)
    e = refused({**SMALL, "seeds": 10, "epochs": 2000})
    assert (e["code"], e["field"], e["params"]["cost"]) == ("sweep_limit", "epochs", 6 * 10 * 2000)
    assert f"sweep limit of {L['max_sweep_work']}" in e["message"]
    e = refused({**SMALL, "axes": {"hidden_width": [4, 64]}})
    assert (e["code"], e["field"]) == ("out_of_range", "axes.hidden_width") and "≤ 32" in e["message"]
    e = refused({**SMALL, "axes": {"depth": [1, 2], "noise": [0, 0.1], "activation": ["tanh", "relu"],
                                   "optimizer": ["sgd", "adam"]}})
    assert e["code"] == "wrong_count" and e["field"] == "axes"
    e = refused({**SMALL, "axes": {"width": [1, 2]}})
    assert e["field"].startswith("axes") and "hidden_width" in e["message"]
    e = refused({**SMALL, "axes": {"activation": ["tanh", "bogus"]}})
    assert e["field"] == "axes.activation" and "relu" in e["message"]
    e = refused({**SMALL, "axes": {"learning_rate": [0.1, 0.1]}})
    assert e["field"] == "axes.learning_rate" and "distinct" in e["message"]
    e = refused({**SMALL, "axes": {"reg_rate": [0.1, 0.3]}})                 # the base has no regularisation
    assert e["field"] == "axes.reg_rate" and "l1, l2, dropout" in e["message"]
    session.trainer.config = session.trainer.config.updated({"dataset": "digits"})  # what a digits session has
    e = refused(SMALL)
    assert e["code"] == "sweep_task" and "digits" in e["message"] and "2-D point" in e["message"]
    assert "sweep" not in session.extra or session.extra["sweep"].current is None       # nothing started


def test_the_server_runs_at_most_its_limit_of_sweeps_at_once(send, monkeypatch):
    from server.session import Session
    from server import sweep
    monkeypatch.setitem(wire.LIMITS, "max_sweeps_running", 1)
    # the sweeps of the tests before (their sockets closed) end on their own threads: not counted here
    assert wait_until(lambda: not any(r.running for r in sweep._all), 20)
    a, b = Session(), Session()
    first = send(a, LONG)
    assert [m.get("event") for m in first] == ["started"], first
    busy = send(b, SMALL)
    assert [(m["type"], m["code"], m["params"]["limit"]) for m in busy] == [("error", "sweep_busy", 1)]
    assert "at most 1 at once" in busy[0]["message"]
    send(a, {"type": "cancel_sweep"})
    a.extra["sweep"].current.thread.join(10)
    assert [m["event"] for m in send(b, SMALL)] == ["started"]                  # its turn now
    b.extra["sweep"].close()
    b.extra["sweep"].current.thread.join(10)
    assert wait_until(lambda: not workers(), 10), workers()
