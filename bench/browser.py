"""Browser benchmark: what a learner actually sees, measured in headless Chromium.

- Redraws per second: animation frames in which the page's state took a new training frame and every
  panel rendered it (network links and neuron maps, boundary, loss curve, gradient chart), counted by
  a listener on the page's own state store (static/state.js), which runs right after the panels.
  Alongside: requestAnimationFrame ticks/s (the ceiling), frames received from the socket/s, training
  steps/s, and the 95th-percentile gap between redraws.
- Slider-to-visible latency: from moving the learning-rate slider (value + input event, as a drag
  does) until a frame computed with the new rate has been rendered and the next animation frame has
  begun (so it was painted). p50/p95/max over the trials, the run going at full speed throughout.

Two networks, each at maximum training speed (actions.setSpeed(0)): the default (circle, 2-4-2-1)
and six hidden layers of eight; then the default network at the default speed (1,500 steps/s), where
training leaves the browser most of the machine. The server runs as it ships
(`python -m server --no-browser`).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/browser.py [--seconds 5] [--trials 30] [--record]

--record writes the results into docs/performance.md as the "## Browser (bench/browser.py)" section
(replacing that section only; the file's other sections are left as they are).
"""
from __future__ import annotations

import argparse
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from browser_report import CHROMIUM, ROOT, TARGETS, record, table

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 720}
# (name, URL hash, training steps/s (0: as fast as possible), redraws/s target)
CASES = [("default network (2-4-2-1)", "", 0, TARGETS["redraws_default"]),
         ("six hidden layers of eight", "hidden=8,8,8,8,8,8", 0, TARGETS["redraws_deep"]),
         ("default network at the default 1,500 steps/s", "", 1500, TARGETS["redraws_default"])]


# -- the server --------------------------------------------------------------------------------
class Server:
    """`python -m server --no-browser` in its own process group (it may run worker processes)."""

    def __init__(self, root: Path = ROOT):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "server", "--no-browser", "--port", str(port)],
                                     cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, start_new_session=True)
        m = re.search(r":(\d+)/", self.proc.stdout.readline())
        if not m:
            self.stop()
            raise SystemExit("server did not start")
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}/"
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise SystemExit("server did not accept connections")

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def open_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("""() => {
      const ls = window.learnscape;
      return ls && ls.state.connection === "open" && ls.state.config && ls.state.frame && ls.state.maps
        && window.Plotly && document.querySelector('#network .node:not(.input)');
    }""")
    page.wait_for_timeout(300)                        # the charts' first draw


# -- in the page -------------------------------------------------------------------------------
COUNT_SOCKET_FRAMES = """
  window.__socketFrames = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (typeof e.data === "string" && e.data.startsWith('{"type":"frame"')) window.__socketFrames++;
      });
    }
  };
"""

MEASURE_REDRAWS = """async (seconds) => {
  const { subscribe } = await import("/static/state.js");
  const s = window.learnscape.state;
  let redraws = 0, ticks = 0, last = s.frame.step, running = true, prev = null;
  const gaps = [];
  const off = subscribe((st, changed) => {
    if (!changed.has("frame") || st.frame.step === last) return;
    last = st.frame.step; redraws++;
    const now = performance.now();
    if (prev !== null) gaps.push(now - prev);
    prev = now;
  });
  const tick = () => { ticks++; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const t0 = performance.now(), frames0 = window.__socketFrames, step0 = s.frame.step;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const dt = (performance.now() - t0) / 1000;
  running = false; off();
  gaps.sort((a, b) => a - b);
  return { count: redraws, redraws: redraws / dt, ticks: ticks / dt, received: (window.__socketFrames - frames0) / dt,
           steps: (s.frame.step - step0) / dt, gap95: gaps.length ? gaps[Math.floor(0.95 * (gaps.length - 1))] : null,
           status: s.status };
}"""

SLIDER_TRIAL = """async (target) => {
  const { subscribe } = await import("/static/state.js");
  const el = document.querySelector("[data-testid=learning_rate]");
  return await new Promise((resolve) => {
    let off = null;
    const timer = setTimeout(() => { off(); resolve(null); }, 3000);
    const t0 = performance.now();
    off = subscribe((st) => {
      if (!st.frame || st.frame.learning_rate !== target) return;
      off(); clearTimeout(timer);
      const rendered = performance.now() - t0;
      requestAnimationFrame(() => resolve({ rendered, painted: performance.now() - t0 }));
    });
    el.value = String(Math.log10(target));
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}"""


def main_thread(cdp) -> dict:
    """Seconds the renderer's main thread has spent so far: all tasks, script, style, layout."""
    m = {x["name"]: x["value"] for x in cdp.send("Performance.getMetrics")["metrics"]}
    return {"task": m["TaskDuration"], "script": m["ScriptDuration"],
            "style": m["RecalcStyleDuration"], "layout": m["LayoutDuration"]}


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, math.ceil(q * len(xs)) - 1))]


def run_case(browser, url: str, speed: float, seconds: float, trials: int) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.add_init_script(COUNT_SOCKET_FRAMES)
    page = context.new_page()
    try:
        open_app(page, url)
        page.evaluate("(v) => { window.learnscape.actions.setSpeed(v); window.learnscape.actions.play(); }", speed)
        page.wait_for_function("() => window.learnscape.state.status === 'running' && window.learnscape.state.frame.step > 0")
        page.wait_for_timeout(1500)                                   # warm up: JIT, caches, charts
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        before = main_thread(cdp)
        out = page.evaluate(MEASURE_REDRAWS, seconds)
        after = main_thread(cdp)
        n = max(1, out["count"])
        out.update({k: 1000 * (after[k] - before[k]) / n for k in after})      # ms of main thread per redraw
        painted, rendered, missed = [], [], 0
        rates = [0.1, 0.03]
        for k in range(trials):
            page.wait_for_timeout(random.uniform(60, 160))             # not in step with the frame clock
            r = page.evaluate(SLIDER_TRIAL, rates[k % 2])
            if r is None:
                missed += 1
            else:
                painted.append(r["painted"])
                rendered.append(r["rendered"])
        out.update(p50=percentile(painted, 0.5) if painted else None,
                   p95=percentile(painted, 0.95) if painted else None,
                   max=max(painted) if painted else None,
                   rendered50=percentile(rendered, 0.5) if rendered else None,
                   trials=len(painted), missed=missed,
                   refused=page.evaluate("() => { const e = window.learnscape.state.error; "
                                         "return e ? `${e.field}: ${e.message}` : null; }"))
        return out
    finally:
        context.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="measuring window per network (default 5)")
    ap.add_argument("--trials", type=int, default=30, help="slider trials per network (default 30)")
    ap.add_argument("--baseline", type=Path, help="another checkout (e.g. `git archive` of an older commit) "
                    "measured in the same run, case by case, before this one")
    ap.add_argument("--only", default="", help="run only the cases whose name contains this")
    ap.add_argument("--record", action="store_true", help="write the results into docs/performance.md")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.load = os.getloadavg()[0]                     # other work on the machine skews the figures
    pages = ([("before", args.baseline)] if args.baseline else []) + [("this", ROOT)]
    results = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for name, hash_, speed, target in [c for c in CASES if args.only in c[0]]:
                for label, root in pages:
                    with Server(root) as server:
                        r = run_case(browser, server.url + (f"#{hash_}" if hash_ else ""), speed, args.seconds,
                                     args.trials)
                    results.append((label, name, target, r))
                    print(f"{label}: {name}: {r['redraws']:.1f} redraws/s, {r['task']:.1f} ms main thread per "
                          f"redraw, slider p95 {r['p95'] or float('nan'):.0f} ms", file=sys.stderr)
        finally:
            browser.close()
    rows = table(results)
    print("\n".join(rows))
    if args.record:
        record(rows, args)
    ok = all(r["redraws"] >= t and r["p95"] is not None and r["p95"] <= TARGETS["slider_p95_ms"]
             for label, _, t, r in results if label == "this")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
