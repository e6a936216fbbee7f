"""A real uvicorn on a free loopback port and a real `websockets` client: play, change the
learning rate mid-run, see it in force in the next frames with the run going on, see the loss fall."""
import asyncio
import json
import time

import websockets

from server import protocol as wire


async def frames_for(ws, seconds: float, until=None) -> list[tuple[dict, dict]]:
    """What arrives for `seconds` (or until `until(message)`): (frame, its maps header) pairs and
    control messages as (message, None). A frame's maps follow it as the next binary message."""
    out = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        header = None
        if message["type"] == "frame" and message["maps_seq"] is not None:
            data = await asyncio.wait_for(ws.recv(), 5)
            assert isinstance(data, bytes)
            header, _ = wire.unpack_grids(data)
            assert header["seq"] == message["maps_seq"]
        out.append((message, header))
        if until and until(message):
            break
    return out


def test_learning_rate_changes_live_and_the_loss_falls(live_server):
    async def scenario():
        async with websockets.connect(f"ws://{live_server}/ws", compression=None, max_size=None) as ws:
            opening = [json.loads(await ws.recv()) for _ in range(3)]
            assert [m["type"] for m in opening] == ["hello", "dataset", "status"]
            await ws.send(json.dumps({"type": "play"}))
            before = await frames_for(ws, 1.0)
            await ws.send(json.dumps({"type": "set_config", "config": {"learning_rate": 0.1}}))
            reply = await frames_for(ws, 5.0, until=lambda m: m["type"] == "config")
            after = await frames_for(ws, 2.0)
            return opening, before, reply, after

    started = time.monotonic()
    opening, before, reply, after = asyncio.run(scenario())
    took = time.monotonic() - started
    frames_before = [f for f, _ in before if f["type"] == "frame"]
    frames_after = [f for f, _ in after if f["type"] == "frame"]
    config = reply[-1][0]
    assert config["type"] == "config" and config["applied"] == "live"
    assert config["config"]["learning_rate"] == 0.1
    assert {f["learning_rate"] for f in frames_before} == {0.03}
    assert frames_after and {f["learning_rate"] for f in frames_after} == {0.1}   # in force at once
    # the run went on: the step counter never went back
    steps = [f["step"] for f, _ in before + reply + after if f["type"] == "frame"]
    assert steps == sorted(steps) and steps[-1] > frames_before[-1]["step"] > 0
    assert frames_after[0]["step"] >= frames_before[-1]["step"]
    # every frame came with its maps; at most about 60 frames a second
    assert all(h is not None and h["count"] == 9 for f, h in before + after if f["type"] == "frame")
    assert len(steps) <= 63 * took
    # and it learned: default speed, 0.03 then 0.1, about 3 s
    assert frames_after[-1]["loss_train"] < 0.6 * frames_before[0]["loss_train"]


def test_two_clients_get_their_own_sessions(live_server):
    async def scenario():
        url = f"ws://{live_server}/ws"
        async with websockets.connect(url, compression=None) as a, \
                websockets.connect(url, compression=None) as b:
            for ws in (a, b):
                for _ in range(3):
                    await ws.recv()
            await a.send(json.dumps({"type": "set_config", "config": {"hidden": [3]}}))
            await a.send(json.dumps({"type": "step", "n": 20}))
            got_a = await frames_for(a, 5.0, until=lambda m: m.get("step") == 20)
            await b.send(json.dumps({"type": "set_view", "maps": False}))
            got_b = await frames_for(b, 5.0, until=lambda m: m["type"] == "frame")
            return got_a, got_b

    got_a, got_b = asyncio.run(scenario())
    assert got_a[-1][0]["step"] == 20 and len(got_a[-1][0]["weights"]) == 2       # [3]: two layers
    assert got_b[-1][0]["step"] == 0 and len(got_b[-1][0]["weights"]) == 3       # untouched [4, 2]


def test_a_long_exploration_in_one_session_does_not_stop_another(live_server, monkeypatch):
    """Sessions in one process share its training thread; an exploration (a crowd of networks
    trained together, here a few seconds of work) must not freeze the other sessions' frames."""
    monkeypatch.setitem(wire.LIMITS, "max_explore_work", 10**10)   # lift the cap: long work on purpose
    async def scenario():
        url = f"ws://{live_server}/ws"
        async with websockets.connect(url, compression=None, max_size=None) as a, \
                websockets.connect(url, compression=None, max_size=None) as b:
            for ws in (a, b):
                for _ in range(3):
                    await ws.recv()
            await a.send(json.dumps({"type": "set_config", "config": {"hidden": [32, 32]}}))
            await b.send(json.dumps({"type": "set_view", "maps": False}))
            await b.send(json.dumps({"type": "play"}))
            await frames_for(b, 0.5)
            await a.send(json.dumps({"type": "explore", "mode": "networks", "models": 64, "steps": 2000}))
            started = time.monotonic()
            got_b = []

            async def watch_b():
                while True:
                    got_b.append((time.monotonic(), json.loads(await b.recv())))

            watcher = asyncio.create_task(watch_b())
            while True:                                   # until a's exploration arrives
                m = await asyncio.wait_for(a.recv(), 60)
                if isinstance(m, str) and json.loads(m)["type"] == "exploration":
                    break
            took = time.monotonic() - started
            watcher.cancel()
            return took, [t for t, m in got_b if m["type"] == "frame"]

    took, b_frames = asyncio.run(scenario())
    assert took > 0.5                                     # it really was long work
    gaps = [t1 - t0 for t0, t1 in zip(b_frames, b_frames[1:])]
    assert len(b_frames) >= 5 * took, (took, len(b_frames))        # it got none before
    assert max(gaps) < 1.0, max(gaps)
