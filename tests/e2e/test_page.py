"""The page as a whole: it loads clean, training shows, the keyboard, the layout, the language."""
import pytest

from app_driver import host_of, open_app, settle, state, wait_state

pytestmark = pytest.mark.e2e


def test_loads_with_no_console_error_and_no_foreign_request(page, server, tmp_path):
    open_app(page, server)
    # let everything that loads on its own arrive: previews, charts, the first maps
    page.wait_for_selector("[data-testid=dataset-circle] img[src^='data:image/png']")    # drawn once: an image
    wait_state(page, "s.maps && s.previews")
    page.wait_for_function("() => document.querySelector('[data-testid=grad_chart]').drawn")
    page.screenshot(path=str(tmp_path / "loaded.png"))
    assert page.locator("[data-testid=error]").count() == 0, page.locator("[data-testid=error]").inner_text()
    rec = page.record
    assert rec["page_errors"] == []
    assert rec["console_errors"] == []
    assert any(u.startswith("ws://127.0.0.1:") for u in rec["urls"]), rec["urls"]
    assert any(u.endswith("/vendor/plotly.min.js") for u in rec["urls"]), rec["urls"]
    foreign = [u for u in rec["urls"] if not u.startswith(("data:", "blob:")) and host_of(u) != "127.0.0.1"]
    assert foreign == []
    # the read-outs the issue names are there
    for testid in ["play", "step", "reset", "epoch", "learning_rate", "loss_train", "loss_test", "language",
                   "network", "boundary"]:
        assert page.locator(f"[data-testid={testid}]").count() == 1, testid


def test_play_advances_epochs_and_the_loss_curve_and_the_loss_falls(page, server, tmp_path):
    open_app(page, server)
    assert state(page, "s.config.dataset") == "circle"
    first_loss = state(page, "s.frame.loss_train")
    assert page.locator("[data-testid=epoch]").inner_text() == "0"
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'running'")
    page.wait_for_function("() => Number(document.querySelector('[data-testid=epoch]').textContent.replace(/,/g, '')) >= 20")
    page.wait_for_function("() => document.querySelector('[data-testid=loss_chart]').drawn.x.length >= 10")
    wait_state(page, "s.frame.loss_train < arg", arg=first_loss / 4, timeout=20_000)
    page.screenshot(path=str(tmp_path / "trained.png"))
    chart = page.evaluate("""() => {
      const d = document.querySelector('[data-testid=loss_chart]').drawn;   // [test, train]
      return { x: Array.from(d.x), y: Array.from(d.ys[1]) };
    }""")
    assert chart["x"] == sorted(chart["x"]) and chart["x"][-1] > chart["x"][0]
    assert chart["y"][-1] < chart["y"][0] / 2                # the drawn curve falls
    shown = float(page.locator("[data-testid=loss_train]").inner_text())
    assert shown < first_loss / 2                             # and so does the read-out


def test_keyboard_space_plays_and_pauses_arrow_steps_r_resets(page, server, tmp_path):
    open_app(page, server)
    page.keyboard.press(" ")
    wait_state(page, "s.status === 'running' && s.frame.step > 50")
    page.keyboard.press(" ")
    wait_state(page, "s.status === 'paused'")
    before = settle(page)
    assert before > 50
    page.keyboard.press("ArrowRight")
    wait_state(page, "s.frame.step === arg", arg=before + 1)
    assert settle(page) == before + 1                         # exactly one step
    assert page.locator("[data-testid=steps]").inner_text().replace(",", "") == str(before + 1)
    page.keyboard.press("r")
    wait_state(page, "s.frame.step === 0 && s.history.step.length <= 1")
    page.wait_for_function("() => document.querySelector('[data-testid=epoch]').textContent === '0'")
    page.screenshot(path=str(tmp_path / "reset.png"))
    assert state(page, "s.status") == "paused"


FIT = """() => {
  const d = document.documentElement, b = document.body;
  const out = [];
  for (const el of document.querySelectorAll('.panel, #topbar')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;                       // a panel the layout leaves out
    if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)
      out.push(`${el.id} at ${JSON.stringify(r)}`);
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      out.push(`${el.id} clips its content: ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
  }
  return { sh: Math.max(d.scrollHeight, b.scrollHeight), sw: Math.max(d.scrollWidth, b.scrollWidth),
           h: innerHeight, w: innerWidth, out, layout: document.getElementById('layout').getBoundingClientRect().toJSON() };
}"""


def check_fit(page) -> dict:
    fit = page.evaluate(FIT)
    assert fit["sh"] <= fit["h"] and fit["sw"] <= fit["w"], fit
    assert fit["out"] == []
    for testid in ["play", "epoch", "learning_rate", "network", "boundary", "loss_chart", "grad_chart",
                   "loss_train", "loss_test", "regenerate", "param_count"]:
        box = page.locator(f"[data-testid={testid}]").bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 720 and box["x"] + box["width"] <= 1280, testid
    return fit


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_main_view_fits_1280x720_without_scrolling(page, server, tmp_path, lang):
    open_app(page, server, f"lang={lang}")
    page.click("[data-testid=play]")
    wait_state(page, "s.frame.step > 100 && s.maps")
    page.screenshot(path=str(tmp_path / f"layout-{lang}.png"))
    before = check_fit(page)
    # a message (here: the server refusing a message) must not push the view out of the window
    page.evaluate("() => window.learnscape.actions.send({ type: 'no_such_message' })")
    page.locator("[data-testid=error]").wait_for(state="visible")
    page.screenshot(path=str(tmp_path / f"layout-{lang}-message.png"))
    after = check_fit(page)
    assert after["layout"] == before["layout"]                 # nothing moved


LINES = """() => {
  // the top bar's items (the title with its menu bar, each control, the language over the lessons menu),
  // grouped into the lines they sit on: items whose heights overlap share a line
  const items = [...document.querySelectorAll('#topbar > .brand-block, #controls > *, #topbar > .side-block')]
    .map((e) => ({ name: e.dataset.control || e.className, r: e.getBoundingClientRect() })).filter((i) => i.r.width > 0)
    .sort((a, b) => a.r.top - b.r.top || a.r.left - b.r.left);
  const lines = [];
  for (const i of items) {
    const line = lines.at(-1);
    if (line && i.r.top < line.bottom - 2) { line.items.push(i); line.bottom = Math.max(line.bottom, i.r.bottom); }
    else lines.push({ items: [i], bottom: i.r.bottom });
  }
  const bar = document.getElementById('topbar').getBoundingClientRect();
  const menus = [...document.querySelectorAll('#menubar > details > summary')].map((e) => e.getBoundingClientRect());
  const data = document.getElementById('data');
  return { lines: lines.map((l) => l.items.sort((a, b) => a.r.left - b.r.left).map((i) => i.name)), right: Math.max(...items.map((i) => i.r.right)), w: innerWidth,
           sw: document.documentElement.scrollWidth, bar: bar.toJSON(),
           menus_inside: menus.every((m) => m.top >= bar.top && m.bottom <= lines[0].bottom + 1),
           data: [data.scrollHeight, data.clientHeight] };
}"""
RUN_LINE = ["brand-block", "run", "epoch", "steps", "speed", "learning_rate", "side-block"]
MODEL_LINE = ["optimizer", "activation", "regularization", "problem"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_top_bar_keeps_to_its_lines_and_the_data_panel_fits_at_every_size(page, server, tmp_path, lang):
    open_app(page, server, f"lang={lang}")
    for (w, h), count in [((1920, 1080), 1), ((1280, 720), 1), ((1024, 768), 2)]:
        page.set_viewport_size({"width": w, "height": h})
        got = page.evaluate(LINES)
        page.screenshot(path=str(tmp_path / f"top-{w}-{lang}.png"), clip={"x": 0, "y": 0, "width": w, "height": 120})
        assert len(got["lines"]) == count, (w, got["lines"])
        if count == 2:                          # the run line over the model line, not a stray wrap
            assert got["lines"] == [RUN_LINE, MODEL_LINE], (w, got["lines"])
        assert got["right"] <= w and got["sw"] <= w, (w, got)
        assert got["menus_inside"], (w, got)    # File and Advanced sit under the title, on the first line
        assert got["data"][0] <= got["data"][1] + 1, (w, got["data"])     # the data panel shows all it holds
    # an optimiser with fields of its own at 1280: the same two deliberate lines; at 1920 still one
    page.set_viewport_size({"width": 1280, "height": 720})
    page.select_option("[data-testid=optimizer]", "adam")
    wait_state(page, "s.config.optimizer === 'adam'")
    page.wait_for_function("() => document.querySelector('[data-testid=beta1]').offsetWidth > 0")
    got = page.evaluate(LINES)
    assert got["lines"] == [RUN_LINE, MODEL_LINE], got["lines"]            # β1 and β2 in the optimiser's group
    assert got["data"][0] <= got["data"][1] + 1, got["data"]
    assert page.locator("[data-testid=momentum]").is_hidden()            # a field SGD-with-momentum uses is not shown
    page.set_viewport_size({"width": 1920, "height": 1080})
    assert len(page.evaluate(LINES)["lines"]) == 1


SIZES = """() => {
  const q = (sel) => document.querySelector(sel), dpr = window.devicePixelRatio || 1;
  const stage = q('#network .net-stage'), svg = q('#network svg.links'), heat = q('[data-testid=boundary] canvas.heat');
  const chart = q('[data-testid=loss_chart]'), map = q('[data-testid=landscape_map]');
  return { stage: stage.clientWidth, svg: Number(svg.getAttribute('width')),
           boundary: q('[data-testid=boundary]').clientWidth, heat: heat.width / dpr,
           chart: chart.clientWidth, chartPx: chart.width / dpr, map: map.clientWidth, mapPx: map.width / dpr };
}"""


def test_a_resized_window_redraws_the_diagram_and_the_canvases_at_their_new_size_while_paused(page, server):
    # panels read their sizes from a ResizeObserver (widgets/size.js), not from the layout each frame:
    # a new size redraws them even when no frame comes (training paused)
    open_app(page, server)
    page.wait_for_function("() => document.querySelector('[data-testid=landscape_map]').drawn")
    assert state(page, "s.status") == "paused"
    before = page.evaluate(SIZES)
    assert before["svg"] == before["stage"] and before["heat"] == before["boundary"], before
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_function(f"""() => {{
      const z = ({SIZES})();
      return z.stage !== {before["stage"]} && z.svg === z.stage && z.heat === z.boundary && z.chartPx === z.chart
        && z.mapPx === z.map;
    }}""", timeout=5_000)
    after = page.evaluate(SIZES)
    assert after["boundary"] > before["boundary"] and after["map"] > before["map"], (before, after)


def test_a_hidden_landscape_leaves_no_empty_column(page, server):
    open_app(page, server, "hide=landscape")
    assert page.locator("[data-testid=column_tabs]").is_hidden()          # no tabs over an empty column
    net = page.locator("[data-testid=network]").bounding_box()
    out = page.locator("#output").bounding_box()
    assert out["x"] + out["width"] >= 1280 - 12, out                       # the panels left take the row
    assert net["width"] > 500, net


def test_switching_to_chinese_changes_the_labels(page, server, tmp_path):
    open_app(page, server)
    play = page.locator("[data-testid=play]")
    assert play.get_attribute("aria-label") == "Play"
    assert page.locator("#network h2").inner_text().lower() == "network"
    page.select_option("[data-testid=language]", "zh")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    assert play.get_attribute("aria-label") == "运行"
    assert play.get_attribute("title") == "开始或暂停训练（空格键）"
    assert page.locator("#network h2").inner_text() == "网络"
    assert page.locator("#output h2").inner_text() == "输出"
    assert "看神经网络如何学习" in page.title()
    assert page.locator("[data-testid=regularization] option[value=none]").inner_text() == "无"
    page.wait_for_function("() => location.hash.includes('lang=zh')")
    page.screenshot(path=str(tmp_path / "zh.png"))
    # every key exists in both languages, as the browser loads them
    missing = page.evaluate("""async () => {
      const m = await import('/static/i18n.js');
      const en = m.keys('en'), zh = m.keys('zh');
      return { en: zh.filter((k) => !en.includes(k)), zh: en.filter((k) => !zh.includes(k)) };
    }""")
    assert missing == {"en": [], "zh": []}
    # the language is part of the link: a fresh tab opened on it starts in Chinese
    url = page.url
    other = page.context.new_page()
    other.goto(url)
    other.wait_for_function("() => window.learnscape && window.learnscape.state.config")
    other.wait_for_function("() => document.querySelector('[data-testid=play]').getAttribute('aria-label') === '运行'")
    other.close()
    page.select_option("[data-testid=language]", "en")
    page.wait_for_function("() => document.querySelector('[data-testid=play]').getAttribute('aria-label') === 'Play'")
