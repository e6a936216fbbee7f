"""The README's picture: the default view at 1280×720 after a few seconds of training, in headless
Chromium against the real server, saved as docs/screenshot.png.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/screenshot.py [--seconds 4] [--out docs/screenshot.png]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from browser import ROOT, VIEWPORT, Server, launch, open_app


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=4.0, help="seconds of training first (default 4)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with Server() as server, sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="en-US")
            open_app(page, server.url)
            page.click("[data-testid=play]")                      # at the default speed
            page.wait_for_timeout(args.seconds * 1000)
            page.click("[data-testid=play]")                      # pause, so the picture is one state
            page.wait_for_function("() => window.learnscape.state.status === 'paused'")
            page.wait_for_timeout(400)                            # the last frame, maps and charts drawn
            page.mouse.move(0, VIEWPORT["height"] - 1)            # no hover effects
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            step = page.evaluate("() => window.learnscape.state.frame.step")
            print(f"{args.out} ({step:,} steps)", file=sys.stderr)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
