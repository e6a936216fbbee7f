"""Nothing the engine computes ends a session. Against a real server: the two divergence repros
of issue 13 (a live PCA slice, a live random slice with a linear activation, on a network that
blows up) play for 30 s with a reset half-way, and every message stays valid JSON; reset while
playing answers paused; a bug in a session closes it with 1011, logged once. In-process: random
configurations driven to divergence with every landscape mode."""
import asyncio
import json
import logging
import time

import numpy as np
import websockets
from hypothesis import HealthCheck, given, settings, strategies as st
from websockets.exceptions import ConnectionClosed

from server import protocol as wire
from server.session import Session

ALL_FEATURES = ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"]
REPRO = {"dataset": "reg-plane", "learning_rate": 10, "hidden": [8] * 8, "features": ALL_FEATURES, "batch_size": 1}
PLAY_S = 30.0


async def drive(url: str, activation: str, mode: str) -> dict:
    """Play the repro for PLAY_S seconds, reset half-way and play again; count what came back."""
    seen = {"frames": 0, "diverged": 0, "landscapes": 0, "errors": set(), "after_reset": None}
    async with websockets.connect(url, compression=None, max_size=None) as ws:
        for m in ({"type": "set_config", "config": {**REPRO, "activation": activation}},
                  {"type": "set_landscape", "mode": mode}, {"type": "set_speed", "steps_per_second": 0},
                  {"type": "set_view", "node_resolution": 8, "grid_resolution": 20}, {"type": "play"}):
            await ws.send(json.dumps(m))
        start = time.monotonic()
        reset_sent = False
        while time.monotonic() - start < PLAY_S:
            try:
                m = await asyncio.wait_for(ws.recv(), 1)
            except TimeoutError:                         # diverged: quiet, but it must still answer
                await ws.send('{"type":"play"}')
                m = await asyncio.wait_for(ws.recv(), 5)
            if isinstance(m, bytes):
                continue
            msg = json.loads(m)                          # strict JSON: NaN would not parse back
            wire.server_adapter.validate_python(msg)
            kind = msg["type"]
            seen["frames"] += kind == "frame"
            seen["landscapes"] += kind == "landscape"
            if kind == "error":
                seen["errors"].add(msg["code"])
            if kind == "status" and msg["state"] == "diverged":
                seen["diverged"] += 1                    # play is refused: answered with this status
            if kind == "status" and reset_sent and seen["after_reset"] is None:
                seen["after_reset"] = msg
                await ws.send('{"type":"play"}')
            if not reset_sent and time.monotonic() - start > PLAY_S / 2:
                await ws.send('{"type":"reset"}')
                reset_sent = True
        await ws.send('{"type":"pause"}')                # still there, still answering
        while True:
            m = await asyncio.wait_for(ws.recv(), 10)
            if isinstance(m, str) and json.loads(m)["type"] == "status":
                break
    return seen


def test_the_divergence_repros_stay_alive_through_30_s_and_a_reset(live_server):
    url = f"ws://{live_server}/ws"

    async def scenario():
        return await asyncio.gather(drive(url, "relu", "pca"), drive(url, "linear", "random"))

    for seen in asyncio.run(scenario()):
        assert seen["frames"] > 2 and seen["diverged"] >= 2, seen           # diverged, reset, diverged again
        assert seen["after_reset"]["state"] == "paused" and seen["after_reset"]["step"] == 0, seen
        assert seen["errors"] <= {"landscape_failed", "scaled_down"}, seen


def test_reset_while_playing_answers_paused(live_server):
    async def scenario():
        async with websockets.connect(f"ws://{live_server}/ws", compression=None, max_size=None) as ws:
            for _ in range(3):
                await ws.recv()
            await ws.send('{"type":"play"}')
            await asyncio.sleep(0.3)
            await ws.send('{"type":"reset"}')
            states = []
            while len(states) < 2:
                m = await asyncio.wait_for(ws.recv(), 5)
                if isinstance(m, str) and json.loads(m)["type"] == "status":
                    states.append(json.loads(m))
            return states

    running, after = asyncio.run(scenario())
    assert running["state"] == "running"
    assert after == {"type": "status", "state": "paused", "step": 0}


def test_a_bug_in_a_session_closes_1011_and_is_logged_once(live_server, monkeypatch, caplog):
    def broken(self, deadline):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(Session, "advance", broken)

    async def one() -> int:
        async with websockets.connect(f"ws://{live_server}/ws", compression=None, max_size=None) as ws:
            await ws.send('{"type":"play"}')
            try:
                async with asyncio.timeout(10):
                    while True:
                        await ws.recv()
            except ConnectionClosed:
                return ws.close_code

    with caplog.at_level(logging.ERROR, logger="learnscape"):
        async def three():
            return await asyncio.gather(one(), one(), one())
        codes = asyncio.run(three())
    assert codes == [1011] * 3
    logged = [r for r in caplog.records if "ZeroDivisionError" in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info


def played_to_divergence(s: Session, seconds: float) -> list[dict]:
    """Plays s (a live slice recomputed every turn, a frame each) until it diverges or `seconds`
    pass; every frame and message it said."""
    said, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end and not s.run.diverged:
        s.advance(time.perf_counter() + 0.01)
        s.landscape._next = 0.0
        s.compute_landscapes()
        said.append(s.frame()[0])
    return said + [m for m in s.outbox if isinstance(m, dict)]


configs = st.fixed_dictionaries({
    "dataset": st.sampled_from(["reg-plane", "reg-gauss", "circle", "xor", "spiral"]),
    "learning_rate": st.floats(3, 100), "hidden": st.lists(st.integers(1, 8), min_size=1, max_size=4),
    "activation": st.sampled_from(["relu", "linear", "leaky_relu", "tanh"]),
    "features": st.lists(st.sampled_from(ALL_FEATURES), min_size=1, max_size=7, unique=True),
    "batch_size": st.integers(1, 20), "optimizer": st.sampled_from(["sgd", "momentum", "adam", "rmsprop"]),
    "points": st.integers(50, 300)})


@settings(max_examples=16, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs, st.sampled_from(["random", "pca", "weights"]))
def test_random_configurations_driven_to_divergence_keep_the_session(config, mode):
    s = Session()
    s.start()
    landscape = {"type": "set_landscape", "mode": mode, "resolution": 15}
    if mode == "weights":
        landscape["weights"] = [{"layer": 0, "to": 0, "from": 0}, {"layer": 0, "to": 0, "from": None}]
    for m in ({"type": "set_config", "config": config}, landscape, {"type": "set_speed", "steps_per_second": 0},
              {"type": "set_view", "node_resolution": 8, "grid_resolution": 12}, {"type": "play"},
              {"type": "explore", "mode": "networks", "models": 4, "steps": 50}):
        s.handle(json.dumps(m))
    said = played_to_divergence(s, 0.5)
    for m in said:
        json.loads(json.dumps(m, allow_nan=False))
        wire.server_adapter.validate_python(m)
    s.outbox.clear()
    s.handle('{"type":"reset"}')                              # and it recovers
    assert s.status_message() == {"type": "status", "state": "paused", "step": 0}
    s.handle('{"type":"step","n":5}')
    while s.busy:
        s.advance(time.perf_counter() + 0.01)
    frame, _ = s.frame()
    assert frame["step"] == 5 or s.run.diverged
    assert np.isfinite(np.concatenate([np.ravel(l["b"]) for l in frame["weights"]]).astype(float)).all()


def test_weights_too_far_from_the_slice_are_a_failed_slice_not_a_point_at_null():
    """A linear net at learning rate 22 (the fuzzer's find): its weights overflow the projection
    onto the random plane. The slice says it failed; every message keeps to its schema."""
    s = Session()
    s.start()
    config = {"dataset": "reg-plane", "learning_rate": 22.0, "hidden": [2, 1], "activation": "linear",
              "features": ["x2"], "batch_size": 7, "optimizer": "sgd", "points": 50, "seed": 1}
    for m in ({"type": "set_config", "config": config}, {"type": "set_landscape", "mode": "random", "resolution": 15},
              {"type": "set_speed", "steps_per_second": 0}, {"type": "play"}):
        s.handle(json.dumps(m))
    said = played_to_divergence(s, 2.0)
    for m in said:
        wire.server_adapter.validate_python(m)
    assert any(m["type"] == "error" and m["code"] == "landscape_failed" for m in said)
