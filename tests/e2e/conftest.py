"""Browser tests: pip's playwright driving Debian's Chromium (headless) against the real server,
started as `python -m server --no-browser` on a free loopback port.

Fixtures: `server` (one for the whole run), `make_server` (a dedicated one a test may kill and
restart), `chromium` (one browser), `page` (a fresh 1280×720 tab per test that records console
errors, page errors and every request, and saves a screenshot into the test's tmp_path).
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))      # the tests import app_driver
from app_driver import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, Server  # noqa: E402

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("server") / "server.log").start()
    yield s
    s.stop()


@pytest.fixture
def make_server(tmp_path):
    """A dedicated server for one test (to kill and restart); stopped at the end."""
    made = []

    def make(port: int | None = None, args: tuple = ()) -> Server:
        s = Server(tmp_path / f"server{len(made)}.log", port, args).start()
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop()


@pytest.fixture(scope="session")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found (make chromium installs it)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "console_errors(pattern): console errors matching the regular "
                                       "expression are expected (e.g. a websocket failing while the server is down)")


@pytest.fixture
def page(chromium, tmp_path, request):
    """A fresh tab; `page.record` holds console errors, page errors and requested URLs. A test whose
    page logged an error fails (unless its `console_errors` marker expects that message)."""
    context = chromium.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    record = {"console_errors": [], "page_errors": [], "urls": []}
    pg.on("console", lambda m: m.type == "error" and record["console_errors"].append(m.text))
    pg.on("pageerror", lambda e: record["page_errors"].append(str(e)))
    pg.on("request", lambda r: record["urls"].append(r.url))
    pg.on("websocket", lambda ws: record["urls"].append(ws.url))
    pg.record = record
    yield pg
    try:
        pg.screenshot(path=str(tmp_path / "final.png"))
    finally:
        context.close()
    marker = request.node.get_closest_marker("console_errors")
    expected = re.compile(marker.args[0]) if marker else None
    errors = [e for e in record["console_errors"] if not (expected and expected.search(e))]
    assert errors == [], f"the page logged console errors: {errors}"
    assert record["page_errors"] == [], f"the page threw: {record['page_errors']}"


