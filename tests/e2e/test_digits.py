"""The Digits workspace in a real Chromium against the real server: #dataset=digits opens it, it
trains with its accuracy rising and its first-layer weight images changing, a stroke drawn on the
pad gives ten probabilities summing to 1, a test image put on the pad of a trained network is read
as its label, and switching to the points and back works without console errors."""
import pytest

from app_driver import open_app, state, wait_state

pytestmark = pytest.mark.e2e


def weight_pixels(page) -> list[str]:
    return page.eval_on_selector_all("[data-testid=first-layer-weights] canvas", "cs => cs.map(c => c.toDataURL())")


def probabilities(page) -> list[float]:
    return page.eval_on_selector_all("[data-testid=digit-probabilities] .digits-bar",
                                     "rows => rows.map(r => Number(r.dataset.p))")


def test_digits_trains_draws_and_reads_the_pad(page, server, tmp_path):
    page.goto(server.url + "#dataset=digits")      # (open_app waits for the points workspace's panels)
    wait_state(page, "s.connection === 'open' && s.config && s.config.dataset === 'digits' && s.digits.weights "
                     "&& s.digits.samples && s.frame && s.frame.digits")
    assert page.is_visible("#digits") and not page.is_visible("#layout")
    assert page.inner_text("[data-testid=digits-parameters]") == "13,002"
    assert "784-16-16-10" in page.inner_text("[data-testid=digits-title]")
    assert page.eval_on_selector_all("[data-testid=first-layer-weights] canvas", "cs => cs.length") == 16
    # a stroke on the pad, before training: ten probabilities summing to 1
    box = page.locator("[data-testid=digit-pad]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x + k, y + k * box["height"] * 0.06)
    page.mouse.up()
    wait_state(page, "s.digits.pad !== null")
    page.wait_for_function("document.querySelector('[data-testid=digit-probabilities] .digits-bar').dataset.p !== ''")
    p = probabilities(page)
    assert len(p) == 10 and abs(sum(p) - 1) < 1e-6
    assert "µs" in page.inner_text("[data-testid=digit-timing]")
    page.click("[data-testid=digit-clear]")
    wait_state(page, "s.digits.pad === null")
    # an answer about the cleared drawing still on its way is not shown; a bad read sent after it
    # is answered (in order) by an error, so by then the stale answer has come and gone
    cleared = state(page, "s.digits.drawing") - 1
    page.evaluate(f"""() => {{ const ink = btoa(String.fromCharCode(...new Array(784).fill(255)));
        window.learnscape.actions.send({{type: 'read_pad', width: 28, height: 28, pixels: ink, id: {cleared}}});
        window.learnscape.actions.send({{type: 'read_pad', width: 28, height: 28, pixels: 'AA==', id: {cleared}}}); }}""")
    wait_state(page, "s.error && s.error.field === 'pixels'")
    assert state(page, "s.digits.pad") is None
    # train flat out: accuracy rises, the weight images change
    before = weight_pixels(page)
    acc0 = state(page, "s.frame.accuracy_test")
    page.select_option("[data-testid=speed]", "0")
    page.click("[data-testid=play]")
    wait_state(page, "s.frame && s.frame.accuracy_test > 0.6 && s.digits.history.step.length > 3", timeout=60_000)
    assert state(page, "s.frame.accuracy_test") > acc0 + 0.3
    after = weight_pixels(page)
    assert sum(a != b for a, b in zip(before, after)) >= 12
    page.wait_for_function("document.querySelector('[data-testid=digits-summary]').dataset.accuracy > 0.6")
    assert state(page, "s.digits.confusion.flat().reduce((a, b) => a + b, 0)") == 1000
    assert page.eval_on_selector_all("[data-testid=digit-samples] figure", "fs => fs.length") == 40
    page.screenshot(path=str(tmp_path / "digits.png"))
    # a test image it reads right, put on the pad scaled up: read as its label
    k = page.evaluate("""() => { const s = window.learnscape.state.digits.samples;
        for (let i = 0; i < s.count; i++) if (s.labels[i] === s.predicted[i] && s.labels[i] !== 1) return i; return -1; }""")
    assert k >= 0
    label = page.evaluate(f"""() => {{
        const s = window.learnscape.state.digits.samples, k = {k};
        const small = document.createElement('canvas'); small.width = small.height = 28;
        const img = small.getContext('2d').createImageData(28, 28);
        for (let i = 0; i < 784; i++) {{ const v = s.images[k * 784 + i];
          img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255; }}
        small.getContext('2d').putImageData(img, 0, 0);
        const pad = document.querySelector('[data-testid=digit-pad]'), ctx = pad.getContext('2d');
        ctx.imageSmoothingEnabled = true; ctx.drawImage(small, 0, 0, pad.width, pad.height);
        pad.markInked(); window.learnscape.actions.readPad(pad, 77);
        return s.labels[k]; }}""")
    wait_state(page, "s.digits.pad && s.digits.pad.id === 77")
    assert state(page, "s.digits.pad.predicted") == label
    page.click("[data-testid=play]")                                # pause
    wait_state(page, "s.status === 'paused'")


def test_switching_points_digits_and_back(page, server):
    open_app(page, server)
    wait_state(page, "s.frame && s.frame.weights.length > 0")
    page.click("[data-testid=dataset-digits]")
    wait_state(page, "s.config.dataset === 'digits' && s.frame && s.frame.digits && s.digits.weights")
    assert page.is_visible("#digits") and not page.is_visible("#layout")
    page.click("[data-testid=step]")
    wait_state(page, "s.frame && s.frame.step >= 1 && s.frame && s.frame.digits")
    page.select_option("[data-testid=digits-dataset]", "spiral")
    wait_state(page, "s.config.dataset === 'spiral' && s.frame && !s.frame.digits && s.dataset.train.length > 0")
    assert page.is_visible("#layout") and not page.is_visible("#digits")
    page.click("[data-testid=step]")
    wait_state(page, "s.frame && s.frame.step >= 1 && s.frame.weights.length > 0")
    page.click("[data-testid=dataset-digits]")
    wait_state(page, "s.config.dataset === 'digits' && s.frame && s.frame.digits")
    page.click("[data-testid=digits-add-layer]")
    wait_state(page, "s.config.hidden.length === 3 && s.frame && s.frame.digits.parameters === 13002 + 16 * 16 + 16")
    assert "784-16-16-16-10" in page.inner_text("[data-testid=digits-title]")     # the title says the shape in force


def ink_in_plot(page, testid: str, rgb: tuple[int, int, int]) -> int:
    """Pixels of a series' colour inside a line chart's plot box (below its legend, which is drawn
    in the same colours at the top)."""
    return page.evaluate("""([testid, rgb]) => {
        const c = document.querySelector(`[data-testid=${testid}]`), dpr = window.devicePixelRatio || 1;
        const top = Math.round(12 * dpr), d = c.getContext('2d').getImageData(0, top, c.width, c.height - top).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4)
          if (Math.abs(d[i] - rgb[0]) < 30 && Math.abs(d[i + 1] - rgb[1]) < 30 && Math.abs(d[i + 2] - rgb[2]) < 30) n++;
        return n; }""", [testid, list(rgb)])


def test_digits_at_step_0_shows_its_first_measurement_and_explains_wrong_answers(page, server):
    page.goto(server.url + "#dataset=digits")
    wait_state(page, "s.config && s.config.dataset === 'digits' && s.digits.samples && s.frame && s.frame.digits "
                     "&& s.digits.history.step.length === 1")
    assert state(page, "s.frame.step") == 0
    # one measurement: the curves show it as a point, accuracy on an axis from 0 to 1
    page.wait_for_function("() => (document.querySelector('[data-testid=digits-accuracy]').drawn || {}).x?.length === 1")
    acc = page.evaluate("() => document.querySelector('[data-testid=digits-accuracy]').drawn")
    assert acc["top"] == 1 and acc["ys"][1][0] < 0.5
    assert page.evaluate("() => document.querySelector('[data-testid=digits-loss]').drawn.top") > 1
    for testid in ["digits-loss", "digits-accuracy"]:
        assert ink_in_plot(page, testid, (245, 147, 34)) > 5, f"{testid}: the first point is not drawn"
    # an untrained network is wrong about most test images: each wrong one reads "answer ✗ (true digit)"
    wrong = page.eval_on_selector_all("[data-testid=digit-samples] figure.wrong", """fs => fs.map(f =>
        [f.querySelector('figcaption').textContent, f.dataset.predicted, f.dataset.label,
         f.querySelector('figcaption').scrollWidth <= f.querySelector('figcaption').clientWidth + 1])""")
    assert len(wrong) >= 10
    for caption, predicted, label, fits in wrong:
        assert caption == f"{predicted} ✗ ({label})" and fits
    # and a legend says so, in both languages
    legend = page.locator("[data-testid=digit-samples-legend]")
    assert legend.is_visible() and "true digit" in legend.inner_text() and "✗" in legend.inner_text()
    page.select_option("[data-testid=language]", "zh")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    assert "真实数字" in legend.inner_text() and "✗" in legend.inner_text()
    assert page.evaluate("() => document.querySelector('[data-testid=digits-accuracy]').drawn.top") == 1


def box(page, selector: str) -> dict:
    return page.evaluate(f"""() => {{ const b = document.querySelector('{selector}').getBoundingClientRect();
        return {{left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width}}; }}""")


def test_digits_layout_uses_the_window(page, server):
    page.goto(server.url + "#dataset=digits")
    wait_state(page, "s.config && s.config.dataset === 'digits' && s.digits.weights && s.digits.samples")
    page.wait_for_function("document.querySelectorAll('[data-testid=first-layer-weights] canvas').length === 16")
    # 1280 x 720: the confusion matrix and the first-layer weights are whole without scrolling
    assert box(page, "[data-testid=confusion]")["bottom"] <= 720
    assert box(page, "#digits-weights")["bottom"] <= 720
    # 1024 x 768: everything reachable by scrolling down, nothing cut off sideways
    page.set_viewport_size({"width": 1024, "height": 768})
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    for panel in ["setup", "network", "weights", "results", "pad"]:
        assert box(page, f"#digits-{panel}")["right"] <= 1024, panel
    # 1920 x 1080: it all fits, with larger weight images (56 px before) and matrix beside the samples
    page.set_viewport_size({"width": 1920, "height": 1080})
    assert page.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight")
    assert box(page, "[data-testid=first-layer-weights] canvas")["width"] >= 72
    confusion, samples = box(page, "[data-testid=confusion]"), box(page, "[data-testid=digit-samples]")
    assert samples["left"] > confusion["right"] and samples["top"] < confusion["bottom"]
