"""The work budget. Against a real server: a session that asks for far more than its share (the
biggest network with a batch of 1000, every map at 128², a slice at 81², a crowd of 64 networks for
2000 steps, at full speed) is told which limits refused or scaled it down, and two sessions at the
page's settings on the same worker go on getting frames all along. (Their frame rate with and
without it is a benchmark target, not a timed assertion: bench/sharing.py, docs/performance.md.)
In-process: the plans themselves and the rebuild limit."""
import asyncio
import json
import time

import websockets

from server import budget, protocol as wire
from server.session import Session

PAGE_VIEW = {"type": "set_view", "grid_resolution": 50, "node_resolution": 16, "maps": True}
HEAVY = [{"type": "set_config", "config": {"hidden": [32] * 8, "points": 5000, "batch_size": 1000}},
         {"type": "set_config", "config": {"hidden": [32] * 8, "points": 5000, "batch_size": 400,
                                           "features": ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"]}},
         {"type": "set_view", "grid_resolution": 128, "node_resolution": 128},
         {"type": "set_landscape", "mode": "random", "resolution": 81},
         {"type": "explore", "mode": "networks", "models": 64, "steps": 2000},
         {"type": "set_speed", "steps_per_second": 0}, {"type": "play"}]


async def frame_times(ws, times: list) -> None:
    """Read forever, noting when each frame arrives (a reader that never stops: no backlog)."""
    while True:
        m = await ws.recv()
        if isinstance(m, str) and json.loads(m)["type"] == "frame":
            times.append(time.monotonic())


def rate(times: list, start: float, end: float) -> float:
    return sum(start <= t < end for t in times) / (end - start)


async def opened(url: str, messages: list[dict]):
    ws = await websockets.connect(url, compression=None, max_size=None)
    for m in messages:
        await ws.send(json.dumps(m))
    return ws


def test_an_over_budget_session_is_told_and_the_others_keep_getting_frames(server_process):
    server = server_process("--workers", "1")
    url = f"ws://127.0.0.1:{server.port}/ws"

    async def scenario():
        page = [await opened(url, [PAGE_VIEW, {"type": "play"}]) for _ in range(2)]
        times = [[], []]
        readers = [asyncio.create_task(frame_times(ws, t)) for ws, t in zip(page, times)]
        await asyncio.sleep(1.0)                                           # warm up
        t0 = time.monotonic()
        await asyncio.sleep(3.0)
        heavy = await opened(url, HEAVY)
        heavy_said = []

        async def listen():
            while True:
                m = await heavy.recv()
                if isinstance(m, str):
                    heavy_said.append(json.loads(m))

        listener = asyncio.create_task(listen())
        await asyncio.sleep(1.0)                                           # the rebuild and its first work
        t1 = time.monotonic()
        await asyncio.sleep(4.0)
        t2 = time.monotonic()
        for task in readers + [listener]:
            task.cancel()
        for ws in page + [heavy]:
            await ws.close()
        before = [rate(t, t0, t0 + 3.0) for t in times]
        during = [[rate(t, t1 + i, t1 + i + 1) for i in range(4)] for t in times]
        return before, during, heavy_said

    before, during, heavy_said = asyncio.run(scenario())
    told = {(e["code"], e["field"]) for e in heavy_said if e["type"] == "error"}
    assert {("over_budget", "config.batch_size"), ("scaled_down", "view.node_resolution"),
            ("scaled_down", "landscape.resolution"), ("over_budget", "explore.models")} <= told, heavy_said
    assert all(str(wire.LIMITS[k]) in " ".join(e["message"] for e in heavy_said if e["type"] == "error")
               for k in ("max_step_work", "max_frame_work", "max_slice_work", "max_explore_work"))
    assert any(m["type"] == "frame" for m in heavy_said)                    # it still gets its frames
    for b, seconds in zip(before, during):
        assert b > 0 and all(d > 0 for d in seconds), (before, during)     # never starved for a second


def test_plans_fit_the_limits():
    L = wire.LIMITS
    params, nodes = 7 * 32 + 32 + 7 * (32 * 32 + 32) + 33, 7 + 8 * 32 + 1
    node_res, out_res = budget.frame_plan(128, 128, params, nodes)
    assert budget.frame_cost(node_res, out_res, params, nodes) <= L["max_frame_work"] and node_res < 128
    assert budget.frame_plan(16, 50, 25, 9) == (16, 50)                     # the default net: untouched
    R, n = budget.slice_plan(81, 500, params)
    assert R * R * n * params <= L["max_slice_work"] and R >= budget.MIN_SLICE_RESOLUTION
    steps, records, least = budget.crowd_plan(64, 2000, 1000, 5000, params)
    assert steps == 0 and least > L["max_explore_work"]                   # refused, not started
    steps, records, _ = budget.crowd_plan(8, 2000, 10, 500, params)
    assert 1 <= steps < 2000 and steps * 8 * 10 * params + 8 * 500 * params <= L["max_explore_work"]


def test_rebuilds_beyond_the_rate_wait_and_the_last_one_wins():
    s = Session()
    s.start()
    for hidden in range(1, 13):                                             # 12 rebuilds at once
        s.handle(json.dumps({"type": "set_config", "config": {"hidden": [hidden]}}))
    applied = [m for m in s.outbox if m["type"] == "config"]
    assert len(applied) == wire.LIMITS["max_rebuilds_per_second"]
    assert s.deferred == {"hidden": [12]}
    s.handle('{"type":"set_config","config":{"learning_rate":0.2}}')       # joins the waiting change
    s.rebuilds.tokens = 1
    s.apply_deferred()
    assert s.trainer.config.hidden == [12] and s.trainer.config.learning_rate == 0.2 and s.deferred is None
