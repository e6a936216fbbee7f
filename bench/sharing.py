"""How work is shared, measured on loopback against `python -m server`:

1. across sessions: two sessions at the browser page's settings on one worker, their frame rate
   alone and while a third session asks for far more than its budget (the biggest network, every
   map at 128², a slice at 81², a crowd of 64 networks, flat out). Target (issue 13): they keep at
   least 90% of their frame rate.
2. across workers: 8 (and 16) connections opened at once, with one socket per worker
   (SO_REUSEPORT, the default) and with uvicorn's one shared socket: how many land in each worker.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/sharing.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import statistics
import sys
import time

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stream import start_server, stop_server  # noqa: E402

PAGE = [{"type": "set_view", "grid_resolution": 50, "node_resolution": 16, "maps": True, "flow": 2},
        {"type": "play"}]
FEATURES = ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"]
HEAVY = [{"type": "set_config", "config": {"hidden": [32] * 8, "points": 5000, "batch_size": 400,
                                           "features": FEATURES}},
         {"type": "set_view", "grid_resolution": 128, "node_resolution": 128},
         {"type": "set_landscape", "mode": "random", "resolution": 81},
         {"type": "explore", "mode": "networks", "models": 64, "steps": 2000},
         {"type": "set_speed", "steps_per_second": 0}, {"type": "play"}]


async def reader(ws, times: list, ack: bool) -> None:
    while True:
        m = await ws.recv()
        if isinstance(m, str) and '"type":"frame"' in m[:20]:
            times.append(time.monotonic())
            if ack:
                await ws.send('{"type":"ack"}')


def rate(times, a, b) -> float:
    return sum(a <= t < b for t in times) / (b - a)


async def fairness(port: int, seconds: float) -> tuple[list[float], list[float]]:
    url = f"ws://127.0.0.1:{port}/ws"
    pages, times = [], [[], []]
    for t in times:
        ws = await websockets.connect(url, compression=None, max_size=None)
        for m in PAGE:
            await ws.send(json.dumps(m))
        pages.append((ws, asyncio.create_task(reader(ws, t, True))))
    await asyncio.sleep(1.0)
    t0 = time.monotonic()
    await asyncio.sleep(seconds)
    heavy = await websockets.connect(url, compression=None, max_size=None)
    for m in HEAVY:
        await heavy.send(json.dumps(m))
    heavy_task = asyncio.create_task(reader(heavy, [], False))
    await asyncio.sleep(1.0)
    t1 = time.monotonic()
    await asyncio.sleep(seconds)
    t2 = time.monotonic()
    for ws, task in pages + [(heavy, heavy_task)]:
        task.cancel()
        await ws.close()
    return [rate(t, t0, t0 + seconds) for t in times], [rate(t, t1, t2) for t in times]


def load(port: int) -> list[int]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/api/load")
    workers = json.loads(c.getresponse().read())["workers"]
    return sorted((w["sessions"] for w in workers), reverse=True)


async def burst(port: int, n: int) -> list[int]:
    url = f"ws://127.0.0.1:{port}/ws"
    sockets = await asyncio.gather(*[websockets.connect(url, compression=None, max_size=None) for _ in range(n)])
    await asyncio.sleep(1.2)
    split = load(port)
    for ws in sockets:
        await ws.close()
    await asyncio.sleep(0.5)
    return split


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=4.0)
    args = p.parse_args()
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    ratios = []
    for r in range(args.rounds):
        proc, port = start_server(["--workers", "1"])
        try:
            before, during = asyncio.run(fairness(port, args.seconds))
        finally:
            stop_server(proc)
        ratios += [d / b for b, d in zip(before, during) if b]
        print(f"fairness round {r + 1}: frames/s alone {[round(b, 1) for b in before]}, "
              f"beside the over-budget session {[round(d, 1) for d in during]}")
    print(f"kept: median {statistics.median(ratios):.0%}, worst {min(ratios):.0%} (target >= 90%)")
    for spread in ("reuseport", "shared"):
        proc, port = start_server(["--workers", "2", "--spread", spread])
        try:
            time.sleep(1.5)
            splits = [asyncio.run(burst(port, n)) for n in (8, 8, 8, 16, 16)]
        finally:
            stop_server(proc)
        print(f"{spread}: sessions per worker after bursts of 8, 8, 8, 16, 16 connections: {splits}")


if __name__ == "__main__":
    main()
