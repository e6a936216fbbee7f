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
