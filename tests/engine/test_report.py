"""python -m engine report: one HTML file that opens offline in real headless Chromium, asks no
other host for anything and shows its figures."""
import argparse
import json
import os
import re

import pytest

from engine import Trainer, report

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def write_report(tmp_path, config, *flags):
    t = Trainer(config)
    (tmp_path / "run.json").write_text(json.dumps(t.to_run()))
    parser = argparse.ArgumentParser()
    report.add_arguments(parser)
    out = tmp_path / "report.html"
    assert report.run(parser.parse_args([str(tmp_path / "run.json"), "-o", str(out), *flags])) == 0
    return out


def test_history_is_the_run_trained_here():
    t = Trainer({"dataset": "xor", "hidden": [4], "seed": 2})
    history = report.record(t, 10, every=4)
    assert [h["epoch"] for h in history] == [0, 4, 8, 10]
    same = Trainer({"dataset": "xor", "hidden": [4], "seed": 2})
    same.run_epochs(10)
    assert history[-1]["loss_test"] == same.report()["loss_test"]
    with pytest.raises(ValueError, match="epochs: -1 is out of range"):
        report.record(t, -1)


def test_report_is_one_self_contained_file(tmp_path):
    out = write_report(tmp_path, {"dataset": "blobs", "classes": 3, "hidden": [4]}, "--epochs", "5", "--lang", "zh")
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)     # nothing fetched
    assert "Learnscape 报告" in text and "训练损失" in text
    assert text.count('class="figure"') == 4


@pytest.mark.e2e
def test_report_opens_offline_in_chromium_with_its_figures(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found (make chromium installs it)")
    config = {"dataset": "spiral", "hidden": [6, 4], "features": ["x1", "x2", "sin_x1", "sin_x2"], "seed": 1}
    out = write_report(tmp_path, config, "--epochs", "20")
    n_points = 500
    requests, errors = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1100, "height": 900}, offline=True)
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(out.as_uri())
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 8",
                                   timeout=30_000)
            shown = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(d => ({
                svgs: d.querySelectorAll('.main-svg').length,
                title: (d.querySelector('.gtitle') || {}).textContent,
                heatmaps: d.querySelectorAll('.hm image').length,
                points: d.querySelectorAll('.scatterlayer .point').length,
                tableCells: d.querySelectorAll('.table .cell-text').length,
            }))""")
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert requests == [out.as_uri()]                 # the file itself, nothing from any host
    assert errors == []
    assert [s["title"] for s in shown] == ["Configuration", "Loss", "Output over the input plane",
                                           "Network and its weights"]
    assert all(s["svgs"] >= 2 for s in shown)
    config_fig, loss_fig, map_fig, net_fig = shown
    assert config_fig["tableCells"] >= 2 * 24         # every config field and its value
    assert map_fig["heatmaps"] == 1 and map_fig["points"] == n_points
    assert net_fig["points"] >= 4 + 6 + 4 + 1         # a marker per node (and per weight's midpoint)
