"""Issue 14's rough edges, one check per numbered item (several items share a page to stay quick)."""
import json

import pytest

from app_driver import open_app, state, wait_state

pytestmark = pytest.mark.e2e


def boxes(page, selector):
    return page.evaluate(f"() => [...document.querySelectorAll('{selector}')].map((e) => e.getBoundingClientRect().toJSON())")


def overlap(a, b):
    return a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5 and \
        a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5


# 1: the layout from a projector to a wide monitor, and a narrow window
@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080), (820, 700)])
def test_every_panel_is_reachable_and_nothing_is_cut_off(page, server, tmp_path, size):
    w, h = size
    page.set_viewport_size({"width": w, "height": h})
    open_app(page, server)
    land = page.locator("[data-testid=landscape]")
    land.scroll_into_view_if_needed()
    box = land.bounding_box()
    assert box and box["width"] > 250 and box["height"] > 250                     # the landscape is there
    fit = page.evaluate("""() => ({ sw: document.documentElement.scrollWidth, w: innerWidth,
      clipped: [...document.querySelectorAll('.panel')].filter((p) => p.scrollWidth > p.clientWidth + 1).map((p) => p.id) })""")
    assert fit["sw"] <= fit["w"] and fit["clipped"] == [], fit                     # nothing cut off sideways
    page.screenshot(path=str(tmp_path / f"layout-{w}.png"), full_page=True)
    if w >= 1920:                                                                   # the room is used
        assert page.locator("[data-testid=boundary]").bounding_box()["width"] >= 350
        assert box["width"] >= 450


# 2, 3: shape changes while running; a wide layer and many layers
def test_changing_the_layer_width_mid_run_throws_nothing_and_wide_or_deep_networks_fit(page, server, tmp_path):
    open_app(page, server)
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'running' && s.frame.step > 50")
    for v in ["6", "3", "8"]:
        page.eval_on_selector("[data-testid=layer_width]", "(el, v) => { el.value = v; el.dispatchEvent(new Event('change')); }", v)
        page.wait_for_timeout(150)
    wait_state(page, "s.frame.weights[0].W.length === 8 && s.frame.weights[1].W.length === 8")
    page.wait_for_function("() => document.querySelectorAll('#network .node:not(.input)').length === 17")
    assert page.record["page_errors"] == []                    # the old frame was not drawn on the new shape
    page.evaluate("() => window.learnscape.actions.setConfig({ hidden: [31] })")
    page.wait_for_function("() => document.querySelectorAll('#network .node:not(.input)').length === 32")
    stage = page.locator("#network .net-stage").bounding_box()
    for b in boxes(page, "#network .node"):
        assert b["y"] >= stage["y"] - 0.5 and b["y"] + b["height"] <= stage["y"] + stage["height"] + 0.5, b
    page.screenshot(path=str(tmp_path / "wide.png"))
    page.evaluate("() => window.learnscape.actions.setConfig({ hidden: [4, 4, 4, 4, 4, 4, 4, 4] })")
    page.wait_for_function("() => document.querySelectorAll('#network .layer-ctl').length === 8")
    ctl = boxes(page, "#network .layer-ctl")
    assert not any(overlap(a, b) for i, a in enumerate(ctl) for b in ctl[i + 1:]), ctl
    page.screenshot(path=str(tmp_path / "deep.png"))


# 5: a refused value
def test_a_refused_value_goes_back_and_the_message_names_the_control_and_leaves(page, server, tmp_path):
    open_app(page, server, "optimizer=adam&lang=zh")
    page.fill("[data-testid=beta1]", "5")
    page.press("[data-testid=beta1]", "Enter")
    banner = page.locator("[data-testid=error]")
    banner.wait_for(state="visible")
    text = banner.inner_text()
    assert "β1" in text and "config." not in text and "超出范围" in text, text
    page.wait_for_function("() => document.querySelector('[data-testid=beta1]').value === '0.9'")
    assert state(page, "s.config.beta1") == 0.9
    b = banner.bounding_box()
    assert not any(overlap(b, h) for h in boxes(page, "h2")), "the message covers a heading"
    banner.wait_for(state="hidden", timeout=12_000)                      # and goes by itself


# 6: quick clicks build on each other
def test_quick_clicks_on_features_and_neurons_all_count(page, server):
    open_app(page, server)
    page.evaluate("""() => { document.querySelector('[data-testid=feature-x1_sq]').click();
                             document.querySelector('[data-testid=feature-x2_sq]').click(); }""")
    wait_state(page, "s.confirmed.features.join() === 'x1,x2,x1_sq,x2_sq'")
    page.evaluate("() => { for (let k = 0; k < 3; k++) document.querySelector('[data-testid=add_neuron-0]').click(); }")
    wait_state(page, "s.confirmed.hidden[0] === 7 && s.frame.weights[0].W.length === 7")


# 7, 12 (keyboard, points, restart marks): labels and controls
def test_tooltips_units_keyboard_and_menus(page, server):
    open_app(page, server)
    bad = page.evaluate("() => [...document.querySelectorAll('[title]')].filter((e) => e.title.includes('undefined')).map((e) => e.outerHTML.slice(0, 80))")
    assert bad == []
    for testid in ["epoch", "steps", "momentum", "beta1", "beta2", "problem", "language", "train_ratio", "noise",
                   "batch_size", "points", "classes"]:
        title = page.evaluate(f"() => document.querySelector('[data-control={testid}] .field-label').title")
        assert title and "undefined" not in title, testid
    opts = page.eval_on_selector_all("[data-testid=speed] option", "os => os.map((o) => o.textContent)")
    assert "1 step/s" in opts and "1 steps/s" not in opts
    page.hover("[data-testid=link-0-0-0]", force=True)
    assert "∂L/∂w =" in page.inner_text("#network .tip")
    # one arrow press: the next of the Playground's rates
    page.focus("[data-testid=learning_rate]")
    page.keyboard.press("ArrowRight")
    wait_state(page, "s.confirmed.learning_rate === 0.1")
    page.keyboard.press("ArrowLeft")
    wait_state(page, "s.confirmed.learning_rate === 0.03")
    # the points menu: sorted, no stray sizes collected from other datasets
    page.click("[data-testid=dataset-house]")
    wait_state(page, "s.confirmed.dataset === 'house'")
    page.click("[data-testid=dataset-circle]")
    wait_state(page, "s.confirmed.dataset === 'circle'")
    values = page.eval_on_selector_all("[data-testid=points] option", "os => os.map((o) => Number(o.value))")
    assert values == sorted(values) and values == [50, 100, 200, 500, 1000, 2000, 5000]
    # which settings restart training is said next to them
    assert page.locator("[data-testid=mark-noise]").inner_text().strip() == "↺"
    assert page.locator("[data-testid=mark-learning_rate]").inner_text().strip() == "•"


# 8, 10: the landscape's read-outs and controls per mode
def test_landscape_modes_say_what_they_show(page, server, tmp_path):
    open_app(page, server)
    captions = {}
    for mode in ["live", "neuron", "race", "networks"]:
        before = page.inner_text("[data-testid=landscape_caption]")
        page.select_option("[data-testid=landscape_mode]", mode)
        page.wait_for_function("(m) => window.learnscape.state.view.landscape === m", arg=mode)
        if mode != "live":
            page.wait_for_function("(b) => document.querySelector('[data-testid=landscape_caption]').textContent !== b", arg=before)
        captions[mode] = page.inner_text("[data-testid=landscape_caption]")
        if mode == "neuron":
            wait_state(page, "s.landscape.message.mode === 'path'")
            page.wait_for_function("() => document.querySelector('[data-testid=landscape_info]').textContent.length > 3")
            assert "2/λmax = –" not in page.inner_text("[data-testid=landscape_info]")
            assert page.inner_text("[data-testid=landscape_lr_value]").strip() not in ("", "–")
        if mode == "networks":
            assert page.locator("[data-testid=landscape_view]").is_hidden()      # no 3-D for loss curves
    assert len(set(captions.values())) == 4, captions
    assert "pink" not in captions["race"]


# 9: the advanced settings and Playground mode
def test_advanced_settings_and_playground_mode(page, server):
    open_app(page, server)
    page.click("[data-testid=advanced]")
    page.select_option("[data-testid=loss]", "mse")
    wait_state(page, "s.confirmed.loss === 'mse'")
    page.select_option("[data-testid=init]", "xavier")
    wait_state(page, "s.confirmed.init === 'xavier'")
    page.select_option("[data-testid=schedule]", "cosine")
    wait_state(page, "s.confirmed.schedule === 'cosine'")
    page.select_option("[data-testid=output]", "sigmoid")
    wait_state(page, "s.confirmed.output === 'sigmoid'")
    page.check("[data-testid=playground]")
    wait_state(page, "s.confirmed.playground === true")
    note = page.locator("[data-testid=playground_fixes]")
    note.wait_for(state="visible")
    page.click("[data-testid=advanced]")                      # closed, the disclosure still says the mode is on
    assert page.locator("[data-testid=playground_badge]").is_visible() and note.is_hidden()
    page.click("[data-testid=advanced]")
    note.wait_for(state="visible")
    assert "SGD" in note.inner_text() and "½ MSE" in note.inner_text()
    for name in ["optimizer", "loss", "schedule"]:
        assert "fixed" in page.eval_on_selector(f"[data-testid={name}]", "e => e.closest('.field').className"), name
    assert "fixed" not in page.eval_on_selector("[data-testid=init]", "e => e.closest('.field').className")


# 11: output map and loss chart
def test_output_map_axes_scale_hover_and_loss_legend(page, server):
    open_app(page, server)
    page.wait_for_function("() => document.querySelector('[data-testid=loss_chart]').drawn")
    names = page.evaluate("() => document.querySelector('[data-testid=loss_chart]').drawn.names")
    assert names == ["Test loss", "Training loss"]
    heat = page.eval_on_selector("[data-testid=boundary] canvas.heat", "c => [c.width, c.clientWidth]")
    assert heat[0] >= heat[1] >= 200                          # drawn at the screen's resolution, not 50 px
    assert page.locator("[data-testid=colour_scale]").is_visible()
    page.hover("[data-testid=node-1-2]")
    page.wait_for_function("() => document.querySelector('[data-testid=map_title]').textContent.includes('neuron 3')")
    page.mouse.move(5, 5)
    page.wait_for_function("() => document.querySelector('[data-testid=map_title]').textContent === ''")


# 12: the URL's hide and lang, and Chinese wording
def test_hide_whole_panels_unknown_names_and_an_unknown_language(page, server):
    open_app(page, server, "hide=landscape,optimizer,bogus&lang=fr")
    assert page.locator("[data-testid=landscape]").is_hidden()
    for testid in ["optimizer", "momentum", "beta1", "beta2"]:
        assert page.locator(f"[data-testid={testid}]").is_hidden(), testid
    assert "bogus" in page.inner_text("[data-testid=notice]")
    assert page.input_value("[data-testid=language]") == "en"
    page.select_option("[data-testid=language]", "zh")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    page.goto("about:blank")
    open_app(page, server, "landscape=neuron&lang=zh")
    wait_state(page, "s.landscape && s.landscape.message && s.landscape.message.mode === 'path'")
    page.wait_for_function("() => document.querySelector('[data-testid=landscape_info]').textContent.includes('损失')")
    assert "损失函数" not in page.inner_text("[data-testid=landscape_info]")


# 12: clicks while the server is down are not silently dropped
@pytest.mark.console_errors(r"WebSocket connection to .* failed")
def test_a_click_while_disconnected_says_so_and_play_shows_paused(page, make_server):
    srv = make_server()
    open_app(page, srv)
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'running'")
    srv.stop(hard=True)
    wait_state(page, "s.connection === 'lost'")
    assert page.inner_text("[data-testid=play]") == "▶"
    page.click("[data-testid=add_neuron-0]")
    page.locator("[data-testid=notice]").wait_for(state="visible")


# issue 8: the page refuses a server of another protocol version; it sends and handles only protocol types
def test_another_protocol_version_gets_a_banner_and_no_messages(page, server):
    sent = []

    def handler(ws):
        srv = ws.connect_to_server()
        ws.on_message(lambda m: sent.append(m) or srv.send(m))

        def down(m):
            if isinstance(m, str) and m.startswith('{"type":"hello"'):
                d = json.loads(m)
                d["protocol_version"] += 1
                m = json.dumps(d)
            ws.send(m)
        srv.on_message(down)
    page.route_web_socket("**/ws", handler)
    page.goto(server.url)
    page.locator("[data-testid=incompatible]").wait_for(state="visible")
    assert "protocol" in page.inner_text("[data-testid=incompatible]")
    page.wait_for_timeout(500)
    assert sent == [] and state(page, "s.connection") == "incompatible"


def test_every_message_on_the_wire_is_a_protocol_type(page, server):
    from server import protocol
    types = {"up": set(), "down": set()}

    def watch(ws):
        ws.on("framesent", lambda p: isinstance(p, str) and types["up"].add(json.loads(p)["type"]))
        ws.on("framereceived", lambda p: isinstance(p, str) and types["down"].add(json.loads(p)["type"]))
    page.on("websocket", watch)
    open_app(page, server, "landscape=race")
    page.click("[data-testid=play]")
    wait_state(page, "s.frame.step > 50 && s.landscape && s.landscape.message")
    page.click("[data-testid=add_neuron-0]")
    wait_state(page, "s.confirmed.hidden[0] === 5")
    assert types["up"] <= set(protocol.CLIENT_TYPES) and types["down"] <= set(protocol.SERVER_TYPES), types
    assert {"set_config", "set_speed", "set_view", "ack", "play", "explore"} <= types["up"]
    assert {"hello", "config", "frame", "exploration"} <= types["down"]


# 4: a crowd on Rastrigin ends in many minima: the read-out stays short
def test_a_crowd_on_rastrigin_reads_out_in_one_short_line(page, server):
    open_app(page, server, "landscape=crowd&surface=rastrigin")
    wait_state(page, "s.landscape && s.landscape.message && s.landscape.message.mode === 'crowd'"
                     " && s.landscape.message.surface.name === 'rastrigin'")
    page.wait_for_function("() => document.querySelector('[data-testid=landscape_info]').textContent.includes('/')")
    assert state(page, "s.landscape.message.result.counts.length") > 5              # many basins...
    text = page.inner_text("[data-testid=landscape_info]")
    assert text.count("/") <= 3, text                                                # ...four counts shown
    info = page.locator("[data-testid=landscape_info]")
    assert page.evaluate("(e) => e.scrollHeight <= e.clientHeight + 1", info.element_handle())
