"""The browser bench's report: the table and the docs/performance.md section (see browser.py)."""
from __future__ import annotations

import os
import platform
import re
import subprocess
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
TARGETS = {"redraws_default": 50, "redraws_deep": 30, "slider_p95_ms": 100}
SECTION = "## Browser (bench/browser.py)"
FINDINGS = """What changed between the two pages (issue 14), and what limits the new one:
- The loss curve, the gradient bars and the landscape's map are small canvas widgets (static/widgets/)
  instead of Plotly.react calls of about 10 ms each; Plotly is left for the 3-D view and the crowd of
  networks, drawn once per answer. The output map is painted at 50×50 and scaled up smoothly.
- A network with more than 120 links (6×8 has 344) redraws its links and neuron maps at most 20 times a
  second, and writes a link's attributes only when they change: repainting hundreds of SVG curves was most
  of the 6×8 redraw. Its redraws/s still count every frame the state took (boundary, read-outs and charts
  follow each one).
- A CPU profile of the new page with 6×8 flat out: script about a tenth of the main thread (the diagram
  5%, the output column 4%), the rest style, layout, paint and rasterising (software, `--disable-gpu`)
  and idle time. The slider latency of 6×8 is the frames in flight (two, by flow control) times the redraw
  time plus the server's step; flow control of one frame lowered redraws/s more than it lowered latency.
- No layout forced from script (sizes from a ResizeObserver, widgets/size.js), text changed in its
  text node only when it changes (a new node made Chromium re-match the page's :has() rules every
  frame), and drawings that never change are images, not canvases (each canvas is a compositing layer
  drawn again every frame): 53 layers became 25.
- *Main thread per redraw* is Chromium's own accounting (`Performance.getMetrics` over the measuring
  window: TaskDuration, ScriptDuration, RecalcStyleDuration, LayoutDuration) divided by the redraws
  counted in it: the figure that carries across machines.
"""


# -- report ------------------------------------------------------------------------------------
def table(results: list[tuple[str, str, int, dict]]) -> list[str]:
    rows = ["| page | network | redraws/s (target) | main thread per redraw: all / script / style / layout "
            "| rAF ticks/s | frames received/s | training steps/s | redraw gap p95 "
            "| slider→visible p50 / p95 / max (target p95) |",
            "|---|---|---|---|---|---|---|---|---|"]
    for label, name, target, r in results:
        ok = "✓" if r["redraws"] >= target else "✗"
        sl_ok = "✓" if r["p95"] is not None and r["p95"] <= TARGETS["slider_p95_ms"] else "✗"
        slider = (f"{r['p50']:.0f} / {r['p95']:.0f} / {r['max']:.0f} ms (≤ {TARGETS['slider_p95_ms']}) {sl_ok}"
                  if r["p95"] is not None else "no trial finished ✗")
        if r["missed"]:
            slider += f", {r['missed']} of {r['missed'] + r['trials']} trials timed out"
        gap = f"{r['gap95']:.1f} ms" if r["gap95"] is not None else "–"
        rows.append(f"| {label} | {name} | {r['redraws']:.1f} (≥ {target}) {ok} "
                    f"| {r['task']:.1f} / {r['script']:.1f} / {r['style']:.1f} / {r['layout']:.1f} ms "
                    f"| {r['ticks']:.1f} | {r['received']:.1f} | {r['steps']:,.0f} | {gap} | {slider} |")
    refused = {}
    for label, name, _, r in results:
        if r["refused"]:
            refused.setdefault(r["refused"], []).append(f"{label}: {name}")
    for message, names in refused.items():
        rows.append(f"\nNote: in {', '.join(names)} the server refused a message from the page ({message}), "
                    "so the panel that sent it was not live.")
    return rows


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout
        return out.strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def record(rows: list[str], args) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text() if path.exists() else "# Performance\n"   # read right before writing
    section = "\n".join([
        SECTION, "",
        f"Measured {date.today().isoformat()} on {os.cpu_count()} cores ({platform.machine()}, "
        f"Python {platform.python_version()}), {chromium_version()}, headless with "
        f"`--disable-gpu` (software rendering), page at 1280×720, server and browser on the same machine "
        f"(1-minute load average {args.load:.1f} when it started, {os.getloadavg()[0]:.1f} when it ended: "
        "other work on the machine lowers every figure). "
        f"`OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/browser.py --seconds {args.seconds:g} --trials {args.trials}"
        + (" --baseline DIR`: *before* is the page before issue 14 (`git archive` of 62a5378 into DIR), measured "
           "in the same run, case by case, just before *this* page." if args.baseline else "`."),
        "",
        "The first two rows train at maximum speed (`actions.setSpeed(0)`), the third at the default "
        "1,500 steps/s; every panel live: links and neuron maps, decision boundary, loss curve, "
        "gradient-norm chart, loss landscape.",
        "*Main thread per redraw*: the renderer main thread's busy time (all tasks / script / style / layout, "
        "from Chromium's performance metrics) over the measuring window, divided by the redraws in it. "
        "A *redraw* is an animation frame in which the page took a new training frame and every panel rendered "
        "it (counted by a listener on the page's state store, which runs after the panels). "
        "*Slider→visible* is the time from moving the learning-rate slider until a frame trained with the new "
        "rate has been rendered and the next animation frame has begun, i.e. it was painted "
        f"({args.trials} trials alternating 0.1 and 0.03, run going).",
        "",
        *rows, "",
        FINDINGS,
    ])
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n")
    print(f"recorded in {path.relative_to(ROOT)}")


