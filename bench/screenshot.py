"""Screenshots of the page in headless Chromium against the real server: the default view after a
few seconds of training at 1024×768, 1280×720 and 1920×1080, in English and 中文, saved into
docs/screenshots/ (full page: at 1024 the landscape is below the fold), plus the README's picture
docs/screenshot.png (1280×720, English, the window only).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/screenshot.py [--seconds 4] [--out DIR]

--out DIR writes the six pictures into DIR instead (and not the README's picture): a look at the page
that leaves docs/ alone.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from browser import ROOT, Server, launch, open_app

SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
LANGS = ["en", "zh"]


def shoot(browser, url: str, size: tuple[int, int], lang: str, seconds: float, paths: list) -> int:
    w, h = size
    page = browser.new_page(viewport={"width": w, "height": h}, locale="en-US")
    try:
        open_app(page, f"{url}#lang={lang}")
        page.click("[data-testid=play]")                      # at the default speed
        page.wait_for_timeout(seconds * 1000)
        page.click("[data-testid=play]")                      # pause, so the picture is one state
        page.wait_for_function("() => window.learnscape.state.status === 'paused'")
        page.wait_for_timeout(500)                            # the last frame, maps and charts drawn
        page.mouse.move(w - 1, h - 1)                         # no hover effects
        for path, full in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=full)
        return page.evaluate("() => window.learnscape.state.frame.step")
    finally:
        page.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=4.0, help="seconds of training first (default 4)")
    ap.add_argument("--out", type=Path, default=None, help="write the pictures here instead of docs/screenshots/")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = args.out.resolve() if args.out else ROOT / "docs" / "screenshots"
    with Server() as server, sync_playwright() as p:
        browser = launch(p)
        try:
            for size in SIZES:
                for lang in LANGS:
                    paths = [(out / f"{size[0]}x{size[1]}-{lang}.png", True)]
                    if size == (1280, 720) and lang == "en" and not args.out:
                        paths.append((ROOT / "docs" / "screenshot.png", False))
                    step = shoot(browser, server.url, size, lang, args.seconds, paths)
                    print(f"{paths[0][0]} ({step:,} steps)", file=sys.stderr)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
