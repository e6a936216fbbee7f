"""Streaming benchmark: frames/s a real websocket client receives, bytes per frame, training
steps/s and epochs/s while streaming, with 1, 4 and 16 concurrent sessions, and the server's
resident memory per added session.

The server runs as it ships (`python -m server --no-browser`, a subprocess); the clients are
`websockets` connections in this one asyncio process, kept lean: binary messages are counted,
never decoded, and a frame's JSON is parsed only at the start and end of the measuring window.
Every session uses the default network (circle, 2-4-2-1 tanh) with every neuron map on.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/stream.py [--seconds 4] [--sessions 1 4 16]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from server.session import DEFAULT_SPEED  # noqa: E402

TARGETS = {"fps_single": 60, "epochs_single": 1000, "fps_16": 20, "mb_per_session": 30}
FPS_SLACK = 0.5          # frames are capped at 60/s, so "at least 60" means 60 give or take timer jitter


# -- the server ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(extra: list[str]) -> tuple[subprocess.Popen, int]:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "server", "--no-browser", "--port", str(free_port()),
                             *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                            start_new_session=True)           # its own group: workers go with it
    line = proc.stdout.readline()
    m = re.search(r":(\d+)/", line)
    if not m:
        stop_server(proc)
        raise SystemExit(f"server did not start: {line!r}")
    port = int(m.group(1))
    for _ in range(200):                                   # until it accepts connections
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    stop_server(proc)
    raise SystemExit("server did not accept connections")


def stop_server(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)                       # the server and its workers
            proc.wait(10)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def tree(pid: int) -> list[int]:
    """The server and its worker processes."""
    pids = [pid]
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    for k in kids:
        pids += tree(int(k))
    return pids


def rss_mb(pid: int) -> float:
    total = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def run_delay(pid: int) -> float:
    """Seconds the server's threads spent runnable but waiting for a core (other load)."""
    total = 0
    for p in tree(pid):
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                total += int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError):
                pass
    return total / 1e9


def cpu_seconds(pid: int) -> float:
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])     # utime + stime
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


# -- one client ------------------------------------------------------------------------------
class Client:
    def __init__(self):
        self.frames = self.bytes = 0
        self.last_frame = None                             # the newest frame's text
        self.mark = None

    async def run(self, url: str, speed: float, ready: asyncio.Event, stop: asyncio.Event):
        async with websockets.connect(url, compression=None, max_size=None) as ws:
            await self.open(ws)
            self.started(ws, stop)
            await ws.send(json.dumps({"type": "set_view", "maps": True, "grid_resolution": 50}))
            await ws.send(json.dumps({"type": "set_speed", "steps_per_second": speed}))
            await ws.send(json.dumps({"type": "play"}))
            ready.set()
            while not stop.is_set():
                try:
                    m = await asyncio.wait_for(ws.recv(), 0.5)
                except asyncio.TimeoutError:
                    continue
                self.bytes += len(m)
                if isinstance(m, str) and m.startswith('{"type":"frame"'):
                    self.frames += 1
                    self.last_frame = m

    async def open(self, ws) -> None:
        for _ in range(3):                                 # hello, dataset, status
            await ws.recv()

    def started(self, ws, stop) -> None:
        """Playing: a subclass may start its own task here (bench/stream_digits.py draws)."""

    def snapshot(self) -> tuple:
        f = json.loads(self.last_frame) if self.last_frame else {"step": 0, "epoch": 0}
        return time.perf_counter(), self.frames, self.bytes, f["step"], f["epoch"]


async def measure(port: int, pid: int, n: int, speed: float, seconds: float, make=Client) -> dict:
    url = f"ws://127.0.0.1:{port}/ws"
    clients = [make() for _ in range(n)]
    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in clients]
    tasks = [asyncio.create_task(c.run(url, speed, r, stop)) for c, r in zip(clients, readies)]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 30)
    await asyncio.sleep(1.0)                               # warm up
    a = [c.snapshot() for c in clients]
    cpu0, own0, wait0 = cpu_seconds(pid), sum(os.times()[:2]), run_delay(pid)
    await asyncio.sleep(seconds)
    b = [c.snapshot() for c in clients]
    cpu1, own1, wait1 = cpu_seconds(pid), sum(os.times()[:2]), run_delay(pid)
    rss = rss_mb(pid)
    stop.set()
    for outcome in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(outcome, BaseException):
            print(f"  a client failed: {outcome!r}", file=sys.stderr)
    per = []
    for (t0, f0, b0, s0, e0), (t1, f1, b1, s1, e1) in zip(a, b):
        dt = t1 - t0
        per.append({"fps": (f1 - f0) / dt, "bytes": (b1 - b0) / max(f1 - f0, 1),
                    "steps": (s1 - s0) / dt, "epochs": (e1 - e0) / dt})
    return {"per": per, "rss": rss, "cpu": (cpu1 - cpu0) / seconds,
            "client_cpu": (own1 - own0) / seconds, "wait": (wait1 - wait0) / seconds}


def row(speed_name, n, r, base_rss) -> str:
    per = r["per"]
    fps = [p["fps"] for p in per]
    mean = lambda k: sum(p[k] for p in per) / len(per)  # noqa: E731
    growth = (r["rss"] - base_rss) / n
    return (f"{speed_name:>8} {n:>4} {min(fps):>8.1f} {mean('fps'):>8.1f} {mean('bytes') / 1024:>9.1f} "
            f"{mean('steps'):>9.0f} {mean('epochs'):>8.1f} {mean('steps') * n:>9.0f} "
            f"{r['cpu']:>5.2f} {r['wait']:>5.2f} {r['client_cpu']:>5.2f} {r['rss']:>7.1f} {growth:>7.2f}")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=4.0, help="measuring window per run (default 4)")
    p.add_argument("--sessions", type=int, nargs="+", default=[1, 4, 16])
    p.add_argument("--speeds", nargs="+", default=["max", "default"], choices=["max", "default"])
    p.add_argument("--server-args", default="", help="extra arguments for python -m server")
    p.add_argument("--digits", action="store_true", help="only the digits row (1 session, max speed)")
    args = p.parse_args(argv)
    if args.digits:
        from stream_digits import digits_main
        return digits_main(args)
    print(f"server: python -m server --no-browser {args.server_args}; {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.2f}; default network, every map at 50x50, {args.seconds:g} s per run")
    print("per session: fps min/avg, KB/frame (JSON + maps), steps/s, epochs/s; steps all: every session's; "
          "cpu: server cores used; wait: server time waiting for a core (other load); c.cpu: these "
          "clients' cores; RSS: server, all processes; MB/sess: RSS growth per session")
    print(f"{'speed':>8} {'sess':>4} {'fps min':>8} {'fps avg':>8} {'KB/frame':>9} {'steps/s':>9} "
          f"{'epochs/s':>8} {'steps all':>9} {'cpu':>5} {'wait':>5} {'c.cpu':>5} {'RSS MB':>7} {'MB/sess':>7}")
    results = {}
    for speed_name in args.speeds:
        speed = {"max": 0.0, "default": DEFAULT_SPEED}[speed_name]
        for n in args.sessions:
            proc, port = start_server(args.server_args.split())
            try:
                asyncio.run(measure(port, proc.pid, 1, speed, 0.5))    # imports, caches, allocator
                time.sleep(0.3)
                base = rss_mb(proc.pid)
                r = asyncio.run(measure(port, proc.pid, n, speed, args.seconds))
            finally:
                stop_server(proc)
            results[(speed_name, n)] = (r, base)
            print(row(speed_name, n, r, base), flush=True)
    # the targets
    checks = []
    if ("max", 1) in results:
        r = results[("max", 1)][0]["per"][0]
        checks.append((f"1 session, max speed: >= {TARGETS['fps_single']} frames/s with every map",
                       r["fps"] >= TARGETS["fps_single"] - FPS_SLACK, f"{r['fps']:.2f}"))
        checks.append((f"1 session, max speed: >= {TARGETS['epochs_single']} epochs/s while streaming",
                       r["epochs"] >= TARGETS["epochs_single"], f"{r['epochs']:.0f}"))
    for speed_name in ("default", "max"):
        if (speed_name, 16) in results:
            worst = min(p["fps"] for p in results[(speed_name, 16)][0]["per"])
            checks.append((f"16 sessions, {speed_name} speed: each >= {TARGETS['fps_16']} frames/s",
                           worst >= TARGETS["fps_16"], f"worst {worst:.1f}"))
    growth = max((r["rss"] - base) / n for (_, n), (r, base) in results.items())
    checks.append((f"<= {TARGETS['mb_per_session']} MB resident memory per added session",
                   growth <= TARGETS["mb_per_session"], f"worst {growth:.2f} MB"))
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    for what, ok, got in checks:
        print(f"{'PASS' if ok else 'MISS'}  {what}: {got}")


if __name__ == "__main__":
    main()
