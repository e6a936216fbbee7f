"""A newcomer's wait in a crowded server: `python -m server` (as it ships, two workers) on loopback,
--sessions page sessions opened at once (each plays at the page's settings and acknowledges its
frames, as a browser tab does) with one more connecting in the middle of that rush; then, once
they are all open, newcomers connect one after another. Each times its first `hello` and its first
`frame` from the moment it connected.

Issue 13 found 150 sessions opened at once delaying a newcomer's first frame to 10.9 s.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/newcomer.py [--sessions 150] [--newcomers 5]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from soak import PAGE  # noqa: E402
from stream import start_server, stop_server  # noqa: E402


async def tab(url: str, opened: list, stop: asyncio.Event) -> None:
    """A page session: opens, plays, acknowledges every frame until stop."""
    try:
        async with websockets.connect(url, compression=None, max_size=None, open_timeout=60) as ws:
            for m in PAGE:
                await ws.send(json.dumps(m))
            opened.append(time.monotonic())
            while not stop.is_set():
                try:
                    m = await asyncio.wait_for(ws.recv(), 0.5)
                except TimeoutError:
                    continue
                if isinstance(m, str) and '"type":"frame"' in m[:20]:
                    await ws.send('{"type":"ack"}')
    except (websockets.exceptions.WebSocketException, OSError):
        opened.append(None)


async def newcomer(url: str) -> tuple[float, float]:
    """(seconds to hello, seconds to the first frame) from connecting."""
    started = time.monotonic()
    hello = None
    async with websockets.connect(url, compression=None, max_size=None, open_timeout=60) as ws:
        while True:
            m = await asyncio.wait_for(ws.recv(), 60)
            if isinstance(m, str) and '"type":"hello"' in m[:20]:
                hello = time.monotonic() - started
            if isinstance(m, str) and '"type":"frame"' in m[:20]:
                return hello, time.monotonic() - started


async def run(port: int, sessions: int, newcomers: int) -> dict:
    url, opened, stop = f"ws://127.0.0.1:{port}/ws", [], asyncio.Event()
    began = time.monotonic()
    tabs = [asyncio.create_task(tab(url, opened, stop)) for _ in range(sessions)]
    burst = asyncio.create_task(newcomer(url))           # one more in the middle of the rush
    while len(opened) < sessions and time.monotonic() - began < 120:
        await asyncio.sleep(0.05)
    all_open = time.monotonic() - began
    waits = []
    for _ in range(newcomers):
        waits.append(await newcomer(url))
        await asyncio.sleep(0.5)
    in_burst = await burst
    stop.set()
    await asyncio.gather(*tabs)
    firsts = sorted(w[1] for w in waits)
    return {"sessions": sessions, "opened": sum(o is not None for o in opened), "all_open_s": round(all_open, 2),
            "newcomer_hello_s": [round(w[0], 3) for w in waits], "newcomer_frame_s": [round(f, 3) for f in firsts],
            "newcomer_frame_median_s": round(statistics.median(firsts), 3),
            "in_the_rush_hello_s": round(in_burst[0], 3), "in_the_rush_frame_s": round(in_burst[1], 3), "load_average": os.getloadavg()[0]}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=150)
    p.add_argument("--newcomers", type=int, default=5)
    p.add_argument("--server-args", default="--workers 2")
    args = p.parse_args()
    proc, port = start_server(args.server_args.split())
    try:
        print(json.dumps(asyncio.run(run(port, args.sessions, args.newcomers)), indent=1))
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
