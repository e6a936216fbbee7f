"""A bounded soak on loopback: `python -m server` (as it ships, two workers) with 32 sessions at
the browser page's settings (output map 50², neuron maps 16², flow control 2 with an ack per
frame, playing at the default speed) for --minutes, while 10% of them reconnect every minute,
one more client sends fuzzed messages at 10/s and one session diverges (the issue-13 repro with a
live PCA slice) and is reset every 10 s. Every session changes its learning rate every ~5 s and
times the first frame that carries it.

Targets (issue 13): every session >= 20 frames/s at the median, a learning-rate change visible
within 150 ms at p95, zero sessions lost, resident memory back within 10% of its start after the
clients leave (the start measured after --warm-up seconds of the same mix, its clients gone: a
fresh server's figure is printed too; both SETTLE seconds after the last client left: time for an
idle worker that grew to restart: on by default with two or more workers, LEARNSCAPE_RECYCLE=off
turns it off). Loopback only; everything is bounded by --minutes.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/soak.py [--minutes 5] [--sessions 32]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stream import rss_mb, start_server, stop_server  # noqa: E402

PAGE = [{"type": "set_view", "grid_resolution": 50, "node_resolution": 16, "maps": True, "flow": 2},
        {"type": "play"}]
DIVERGING = [{"type": "set_config", "config": {"dataset": "reg-plane", "learning_rate": 10, "hidden": [8] * 8,
                                               "activation": "relu", "batch_size": 1,
                                               "features": ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"]}},
             {"type": "set_landscape", "mode": "pca"}, {"type": "set_speed", "steps_per_second": 0},
             {"type": "set_view", "grid_resolution": 50, "node_resolution": 16, "flow": 2}, {"type": "play"}]
FUZZ = ['{"type":"step","n":0}', "not json", '{"type":"fly"}', '{"type":"set_config","config":{"learning_rate":NaN}}',
        '{"type":"set_view","grid_resolution":1e9}', '[1,2]', '{"type":"set_weight","layer":7,"to":0,"value":1}',
        '{"type":"set_config","config":{"hidden":[33]}}', '{"type":"restore","run":{},"step":-1}']
TARGETS = {"fps_median": 20, "lr_p95_ms": 150, "lost": 0, "rss_back": 0.10}
SETTLE = 10.0          # seconds after the clients left before memory is read (a grown idle worker restarts after 3 s)


class Stats:
    def __init__(self):
        self.buckets: list[list[int]] = []   # per session: frames in each whole second
        self.lr_ms: list[float] = []
        self.lost: list[str] = []
        self.sessions = 0
        self.fuzz_errors = 0
        self.diverged = 0
        self.refused = []


async def page_session(url: str, stats: Stats, until: float, label: str) -> None:
    """One tab until `until`: frames acked, a learning-rate change timed every ~5 s."""
    stats.sessions += 1
    counts: dict[int, int] = {}
    lr, probe_at, sent_at = 0.03, time.monotonic() + random.uniform(1, 5), None
    try:
        async with websockets.connect(url, compression=None, max_size=None) as ws:
            for m in PAGE:
                await ws.send(json.dumps(m))
            while (now := time.monotonic()) < until:
                m = await asyncio.wait_for(ws.recv(), 5)        # silence for 5 s: lost
                if isinstance(m, bytes):
                    continue
                if '"type":"frame"' not in m[:20]:
                    continue
                counts[int(now)] = counts.get(int(now), 0) + 1
                if '"maps_seq":null' not in m:
                    await asyncio.wait_for(ws.recv(), 5)        # its maps
                await ws.send('{"type":"ack"}')
                if sent_at is not None and f'"learning_rate":{lr}' in m:
                    stats.lr_ms.append((time.monotonic() - sent_at) * 1000)
                    sent_at = None
                if sent_at is None and now > probe_at:
                    lr = round(random.choice([0.01, 0.03, 0.1, 0.3]) + random.randint(1, 999) * 1e-6, 6)
                    await ws.send(json.dumps({"type": "set_config", "config": {"learning_rate": lr}}))
                    sent_at, probe_at = time.monotonic(), now + 5
    except (TimeoutError, websockets.exceptions.ConnectionClosed, OSError) as e:
        stats.lost.append(f"{label}: {type(e).__name__} {e}")
    full = sorted(counts)[1:-1]                                 # whole seconds only
    if full:
        stats.buckets.append([counts[s] for s in full])


async def slot(url: str, stats: Stats, end: float, index: int, churn_per_minute: float) -> None:
    """One of the page slots: a session, replaced by a fresh one when it is churned."""
    while (now := time.monotonic()) < end:
        life = random.expovariate(churn_per_minute / 60) if churn_per_minute else end - now
        await page_session(url, stats, min(end, now + max(life, 2.0)), f"slot {index}")


async def fuzzer(url: str, stats: Stats, end: float) -> None:
    try:
        async with websockets.connect(url, compression=None, max_size=None) as ws:
            while time.monotonic() < end:
                await ws.send(random.choice(FUZZ))
                await asyncio.sleep(0.1)
                while True:
                    try:
                        m = await asyncio.wait_for(ws.recv(), 0.001)
                    except TimeoutError:
                        break
                    stats.fuzz_errors += isinstance(m, str) and '"type":"error"' in m
    except (websockets.exceptions.ConnectionClosed, OSError) as e:
        stats.lost.append(f"fuzzer: {e}")


async def diverger(url: str, stats: Stats, end: float) -> None:
    try:
        async with websockets.connect(url, compression=None, max_size=None) as ws:
            for m in DIVERGING:
                await ws.send(json.dumps(m))
            reset_at = time.monotonic() + 10
            while time.monotonic() < end:
                try:
                    m = await asyncio.wait_for(ws.recv(), 1)
                except TimeoutError:
                    m = ""
                if isinstance(m, str) and '"state":"diverged"' in m:
                    stats.diverged += 1
                elif isinstance(m, str) and '"type":"error"' in m[:20] and len(stats.refused) < 5:
                    stats.refused.append(json.loads(m)["message"])      # the repro must not be refused
                elif isinstance(m, str) and '"type":"frame"' in m[:20]:
                    await ws.send('{"type":"ack"}')
                    stats.diverger_steps = json.loads(m)["step"]
                if time.monotonic() > reset_at:
                    await ws.send('{"type":"reset"}')
                    await ws.send('{"type":"play"}')
                    reset_at = time.monotonic() + 10
    except (websockets.exceptions.ConnectionClosed, OSError) as e:
        stats.lost.append(f"diverger: {e}")


async def warm_up(port: int, seconds: float, sessions: int) -> None:
    """The same mix for `seconds` (every kind of client: pages, the fuzzer, the diverger), and
    they leave: first-use allocations (imports, caches, thread stacks and malloc arenas, the
    validators' first calls, each worker's peak of sessions) are then in the starting figure, and
    what the soak adds after it is growth."""
    await soak(port, seconds, sessions, 0.0)


async def soak(port: int, seconds: float, sessions: int, churn: float) -> Stats:
    url, stats = f"ws://127.0.0.1:{port}/ws", Stats()
    end = time.monotonic() + seconds
    await asyncio.gather(*[slot(url, stats, end, i, churn) for i in range(sessions)],
                         fuzzer(url, stats, end), diverger(url, stats, end))
    return stats


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=5.0)
    p.add_argument("--sessions", type=int, default=32)
    p.add_argument("--churn", type=float, default=0.1, help="share of sessions reconnecting per minute")
    p.add_argument("--server-args", default="--workers 2")
    p.add_argument("--warm-up", type=float, default=20.0, help="seconds of the same mix before the start figure")
    args = p.parse_args()
    random.seed(1)
    proc, port = start_server(args.server_args.split())
    try:
        time.sleep(2.0)
        fresh = rss_mb(proc.pid)
        asyncio.run(warm_up(port, args.warm_up, args.sessions))
        time.sleep(SETTLE)
        rss0 = rss_mb(proc.pid)
        started = time.monotonic()
        stats = asyncio.run(soak(port, args.minutes * 60, args.sessions, args.churn))
        took = time.monotonic() - started
        time.sleep(SETTLE)                                       # the clients are gone
        rss1 = rss_mb(proc.pid)
    finally:
        stop_server(proc)
    medians = [statistics.median(b) for b in stats.buckets if b]
    lr = sorted(stats.lr_ms)
    p95 = lr[int(0.95 * (len(lr) - 1))] if lr else float("nan")
    result = {"minutes": round(took / 60, 2), "sessions_opened": stats.sessions, "cores": os.cpu_count(),
              "load_average": os.getloadavg()[0], "fps_median_min": min(medians) if medians else 0,
              "fps_median_median": statistics.median(medians) if medians else 0,
              "lr_changes": len(lr), "lr_p50_ms": round(lr[len(lr) // 2], 1) if lr else None,
              "lr_p95_ms": round(p95, 1), "lost": stats.lost, "fuzz_errors": stats.fuzz_errors,
              "diverged": stats.diverged, "diverger_refused": stats.refused, "diverger_last_step": getattr(stats, "diverger_steps", None),
              "rss_fresh_mb": round(fresh, 1), "rss_start_mb": round(rss0, 1), "rss_after_mb": round(rss1, 1)}
    print(json.dumps(result, indent=1))
    checks = {"fps": result["fps_median_min"] >= TARGETS["fps_median"], "lr": p95 <= TARGETS["lr_p95_ms"],
              "lost": len(stats.lost) == TARGETS["lost"], "rss": rss1 <= rss0 * (1 + TARGETS["rss_back"])}
    print("targets:", {k: "met" if v else "MISSED" for k, v in checks.items()})


if __name__ == "__main__":
    main()
