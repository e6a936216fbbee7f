"""Text streaming (issue 10): training iterations per second of the default Shakespeare RNN (hidden
128, sequence 32, batch 32) with the page live, against the engine alone, in the same run.

- engine: ``Trainer.run`` in this process for --seconds (no measuring, no samples);
- socket: the real server (``python -m server --no-browser``) with one websockets client that acts as
  the page: flow control 2 and an ack per frame, a sample every --every iterations, speed 0, play;
  the rate is the frames' ``step`` over the window; the losses are measured and samples written as
  the server does for the page (at most 10% of the time);
- page: the same server with the real page in headless Chromium (``#dataset=shakespeare``, speed 0,
  play), the rate from the page's own frames (skipped if playwright or /usr/bin/chromium is missing).

They take turns --rounds times, so a busy spell on the shared machine slows all alike. The load
average is printed with every row.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/text_stream.py [--seconds 10] [--rounds 2] [--every 100]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from bench.stream import start_server, stop_server  # noqa: E402
from engine import Trainer  # noqa: E402

CONFIG = {"dataset": "shakespeare"}          # the text defaults: rnn, hidden 128, seq_len 32, batch 32


def engine_alone(seconds: float) -> float:
    t = Trainer(CONFIG)
    t.run(20)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        done += t.run(50)
    return done / (time.perf_counter() - start)


async def _socket(port: int, seconds: float, every: int) -> tuple[float, int]:
    import websockets
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", compression=None, max_size=None) as ws:
        for m in ({"type": "set_view", "flow": 2}, {"type": "set_config", "config": CONFIG},
                  {"type": "set_samples", "every": every}, {"type": "set_speed", "steps_per_second": 0},
                  {"type": "play"}):
            await ws.send(json.dumps(m))
        first, samples, end = None, 0, None
        while True:
            raw = await ws.recv()
            if isinstance(raw, bytes):
                continue
            m = json.loads(raw)
            if m["type"] == "sample":
                samples += first is not None
            if m["type"] != "frame":
                continue
            await ws.send('{"type":"ack"}')
            if m.get("text") is None:
                continue
            now = time.perf_counter()
            if first is None and m["step"] > 20:
                first, end = (now, m["step"]), now + seconds
            elif first is not None and now >= end:
                return (m["step"] - first[1]) / (now - first[0]), samples


def socket_client(seconds: float, every: int) -> tuple[float, int]:
    proc, port = start_server([])
    try:
        return asyncio.run(_socket(port, seconds, every))
    finally:
        stop_server(proc)


def page(seconds: float, every: int) -> tuple[float, int] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    from app_driver import CHROMIUM, CHROMIUM_ARGS
    if not os.access(CHROMIUM, os.X_OK):
        return None
    proc, port = start_server([])
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            pg = browser.new_page(viewport={"width": 1280, "height": 720})
            pg.goto(f"http://127.0.0.1:{port}/#dataset=shakespeare&speed=0")
            pg.wait_for_function("() => { const s = window.learnscape?.state; return s && s.frame && s.frame.text; }",
                                 timeout=60_000)
            pg.evaluate(f"window.learnscape.actions.setSamples({{ every: {every} }})")
            pg.evaluate("window.learnscape.actions.play()")
            pg.wait_for_function("() => window.learnscape.state.frame.step > 20", timeout=60_000)
            read = "() => [performance.now(), window.learnscape.state.frame.step, window.learnscape.state.text.samples.length]"
            t0, s0, n0 = pg.evaluate(read)
            time.sleep(seconds)
            t1, s1, n1 = pg.evaluate(read)
            browser.close()
            return (s1 - s0) / ((t1 - t0) / 1000), n1 - n0
    finally:
        stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--every", type=int, default=100, help="iterations between samples (default 100)")
    args = ap.parse_args()
    rows = {"engine": [], "socket": [], "page": []}
    for r in range(args.rounds):
        for name, fn in (("engine", lambda: (engine_alone(args.seconds), 0)),
                         ("socket", lambda: socket_client(args.seconds, args.every)),
                         ("page", lambda: page(args.seconds, args.every))):
            out = fn()
            if out is None:
                print(f"round {r + 1} {name:7s} skipped (no playwright or chromium)")
                continue
            rate, samples = out
            rows[name].append(rate)
            print(f"round {r + 1} {name:7s} {rate:7.1f} it/s  samples {samples:3d}  load {os.getloadavg()[0]:.1f}",
                  flush=True)
    base = statistics.median(rows["engine"])
    for name, vals in rows.items():
        if vals:
            print(f"{name:7s} median {statistics.median(vals):7.1f} it/s  = {statistics.median(vals) / base:.2f} of the engine alone")


if __name__ == "__main__":
    main()
