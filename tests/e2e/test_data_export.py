"""Data in, model out in the browser: drop a CSV, pick its columns, train; a bad file refused;
download a run and open it again (it continues with the same weights); the export and PNG
buttons produce files (Playwright's file chooser and download events)."""
import json

import numpy as np
import pytest

from app_driver import open_app, state, wait_state

pytestmark = pytest.mark.e2e


def csv_text(n=240):
    rng = np.random.default_rng(1)
    rows = ["id,a,b,species"]
    for i in range(n):
        k = i % 2
        rows.append(f"{i},{rng.normal(2 * k - 1, 0.4):.3f},{rng.normal(1 - 2 * k, 0.4):.3f},{'cat' if k else 'dog'}")
    return "\n".join(rows) + "\n"


def drop(page, selector, name, text):
    dt = page.evaluate_handle("""([name, text]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: "text/csv" }));
      return dt; }""", [name, text])
    page.dispatch_event(selector, "drop", {"dataTransfer": dt})


def download(page, testid, tmp_path):
    if not page.locator("[data-testid=filemenu]").evaluate("d => d.open"):
        page.click("[data-testid=filemenu] summary")
    with page.expect_download() as d:
        page.click(f"[data-testid={testid}]")
    path = tmp_path / d.value.suggested_filename
    d.value.save_as(path)
    return path


def test_drop_a_csv_pick_columns_and_train(page, server, tmp_path):
    open_app(page, server)
    drop(page, "[data-testid=dropzone]", "pets.csv", csv_text())
    page.wait_for_selector("[data-testid=csv_pickers]:not([hidden])")
    assert page.locator("[data-testid=csv_table]").inner_text().startswith("pets.csv: 240 rows")
    options = page.locator("[data-testid=csv_x1] option").all_inner_texts()
    assert options == ["id", "a", "b"]                   # the numeric columns; species is text
    suggested = [page.locator(f"[data-testid=csv_{k}]").input_value() for k in ("x1", "x2", "label")]
    assert suggested == ["a", "b", "species"]           # the row number is not suggested as an input
    page.select_option("[data-testid=csv_x1]", "b")
    page.select_option("[data-testid=csv_x2]", "a")
    page.click("[data-testid=csv_use]")
    wait_state(page, "s.config.dataset === 'custom' && s.data.info && s.dataset.train.length === 120")
    assert "dataset=custom" in page.evaluate("location.hash")
    assert page.locator("[data-testid=csv_link_warning]").is_visible()
    assert "cat, dog" in page.locator("[data-testid=csv_info]").inner_text()
    assert state(page, "s.data.info.inputs") == ["b", "a"]
    page.evaluate("window.learnscape.actions.step(300)")
    wait_state(page, "s.frame.step >= 300")
    assert state(page, "s.frame.accuracy_test") > 0.9
    page.evaluate("window.learnscape.actions.setConfig({train_ratio: 0.7})")      # the slider re-splits the table
    wait_state(page, "s.dataset.train.length === 168 && s.confirmed.train_ratio === 0.7")

    # a bad file by the file chooser: refused with the line, the session keeps the CSV's data
    with page.expect_file_chooser() as fc:
        page.click("[data-testid=csv_choose]")
    fc.value.set_files(files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2\n3\n"}])
    page.wait_for_selector("[data-testid=error]")
    assert "line 3" in page.locator("[data-testid=error]").inner_text()
    assert state(page, "s.config.dataset") == "custom" and state(page, "s.dataset.train.length") == 168


def test_download_a_run_and_open_it_again(page, server, tmp_path):
    open_app(page, server)
    page.evaluate("window.learnscape.actions.setConfig({dataset: 'spiral', optimizer: 'adam', hidden: [5, 4]})")
    wait_state(page, "s.confirmed.dataset === 'spiral' && s.confirmed.optimizer === 'adam'")
    page.evaluate("window.learnscape.actions.step(150)")
    wait_state(page, "s.frame.step === 150")
    path = download(page, "file_run", tmp_path)
    doc = json.loads(path.read_text())
    assert doc["config"]["dataset"] == "spiral" and doc["resume"]["step"] == 150 and len(doc["data"]["train"]) > 0
    page.evaluate("window.learnscape.actions.step(100)")
    wait_state(page, "s.frame.step === 250")
    stayed = state(page, "s.frame.weights")
    page.evaluate("window.learnscape.actions.setConfig({dataset: 'xor', hidden: [2]})")      # somewhere else
    wait_state(page, "s.confirmed.dataset === 'xor'")
    with page.expect_file_chooser() as fc:
        page.click("[data-testid=file_open]")
    fc.value.set_files(str(path))
    wait_state(page, "s.confirmed.dataset === 'spiral' && s.frame && s.frame.step === 150")
    page.evaluate("window.learnscape.actions.step(100)")
    wait_state(page, "s.frame.step === 250")
    assert state(page, "s.frame.weights") == stayed


def test_export_buttons_produce_files(page, server, tmp_path):
    open_app(page, server)
    page.evaluate("window.learnscape.actions.step(50)")
    wait_state(page, "s.frame.step >= 50")
    onnx = download(page, "file_onnx", tmp_path)
    numpy = download(page, "file_numpy", tmp_path)
    report = download(page, "file_report", tmp_path)
    assert onnx.name.endswith(".onnx") and onnx.stat().st_size > 200
    code = {}
    exec(compile(numpy.read_text(), str(numpy), "exec"), code)
    assert code["predict"]([[1.0, -2.0]]).shape == (1, 1)
    assert report.read_text().lower().startswith("<!doctype html") and report.stat().st_size > 1_000_000
    for target in ("page", "network", "output"):
        page.select_option("[data-testid=png_target]", target)
        png = download(page, "file_png", tmp_path)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.name == f"learnscape-{target}.png"
        width = int.from_bytes(png.read_bytes()[16:20], "big")
        shown = page.evaluate(f"""() => (({target!r} === 'page') ? document.body
            : document.querySelector('[data-panel={target}]')).getBoundingClientRect().width""")
        assert abs(width - 2 * shown) <= 2                    # drawn at twice the screen's size
