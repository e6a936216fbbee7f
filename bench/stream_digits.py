"""The digits row of bench/stream.py (`bench/stream.py --digits`): one digits session at full speed
with every digits panel live, against the same session with its frames held back.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/stream.py --digits [--seconds 4]
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import time

import websockets

from stream import Client, measure, start_server, stop_server

TARGETS = {"fps_digits": 30, "digits_keep": 0.8}


class DigitsClient(Client):
    """A digits session (784-16-16-10) with every digits panel live: frames with their weight images
    and sample grid, and the drawing pad read PAD_HZ times a second, as a pad being drawn on is."""

    PAD_HZ = 4
    quiet = False           # the reference: no frames (flow 1, never acknowledged: one a second), no pad
    PAD = {"type": "read_pad", "width": 140, "height": 140,
           "pixels": base64.b64encode(bytes(140 * 40) + b"\xff" * (140 * 60) + bytes(140 * 40)).decode()}

    async def open(self, ws) -> None:
        await super().open(ws)
        await ws.send(json.dumps({"type": "set_config", "config": {"dataset": "digits", "output": "", "loss": ""}}))
        while not (isinstance(m := await ws.recv(), str) and m.startswith('{"type":"dataset"')):
            pass
        if self.quiet:
            await ws.send(json.dumps({"type": "set_view", "flow": 1}))

    def started(self, ws, stop) -> None:
        asyncio.get_running_loop().create_task(self.draw(ws, stop))

    async def draw(self, ws, stop) -> None:
        try:
            while not stop.is_set() and not self.quiet:
                await asyncio.sleep(1 / self.PAD_HZ)
                await ws.send(json.dumps(self.PAD))
        except websockets.ConnectionClosed:
            pass


class QuietDigits(DigitsClient):
    quiet = True


def digits_alone(seconds: float) -> float:
    """Steps/s of the same digits training in this process with nothing streamed (the reference)."""
    from engine import Trainer
    t = Trainer({"dataset": "digits"})
    t.run(200)
    started, steps = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        steps += t.run(200)
    return steps / (time.perf_counter() - started)


def digits_main(args) -> None:
    """The digits row: one digits session at full speed, every digits panel live, against the same
    session with its frames held back, alternated (the machine's load drifts); the engine alone in
    this process before and after, for scale."""
    print(f"digits: 784-16-16-10, momentum 0.1, batch 32; {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.2f}; {args.seconds:g} s per run; pad read {DigitsClient.PAD_HZ}/s")
    alone0 = digits_alone(args.seconds)
    proc, port = start_server(args.server_args.split())
    runs = []
    try:
        asyncio.run(measure(port, proc.pid, 1, 0.0, 0.5, DigitsClient))
        for make in (DigitsClient, QuietDigits, DigitsClient, QuietDigits):   # alternated: the load drifts
            r = asyncio.run(measure(port, proc.pid, 1, 0.0, args.seconds, make))
            runs.append((make.quiet, r))
            q = r["per"][0]
            print(f"{'quiet' if make.quiet else 'streaming':>9}: {q['fps']:5.1f} frames/s, "
                  f"{q['fps'] * q['bytes'] / 1024:5.0f} KB/s ({q['bytes'] / 1024:.1f} KB/frame), {q['steps']:5.0f} steps/s, "
                  f"server cpu {r['cpu']:.2f}, wait {r['wait']:.2f}: {q['steps'] / max(r['cpu'], 1e-9):.0f} steps per cpu-second",
                  flush=True)
    finally:
        stop_server(proc)
    alone1 = digits_alone(args.seconds)
    mean = lambda quiet, f: sum(f(r) for qq, r in runs if qq == quiet) / 2   # noqa: E731
    fps = mean(False, lambda r: r["per"][0]["fps"])
    keep = mean(False, lambda r: r["per"][0]["steps"]) / mean(True, lambda r: r["per"][0]["steps"])
    keep_cpu = (mean(False, lambda r: r["per"][0]["steps"] / max(r["cpu"], 1e-9))
                / mean(True, lambda r: r["per"][0]["steps"] / max(r["cpu"], 1e-9)))
    print(f"streaming keeps {keep:.0%} of the quiet session's steps/s ({keep_cpu:.0%} per server cpu-second); "
          f"the engine alone in this process: {alone0:.0f} then {alone1:.0f} steps/s")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    for what, ok, got in ((f"digits: >= {TARGETS['fps_digits']} frames/s", fps >= TARGETS["fps_digits"], f"{fps:.1f}"),
                          (f"digits: training keeps >= {TARGETS['digits_keep']:.0%} of its speed",
                           keep >= TARGETS["digits_keep"], f"{keep:.0%}")):
        print(f"{'PASS' if ok else 'MISS'}  {what}: {got}")
