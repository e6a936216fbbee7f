"""Controls that change a live run: the learning-rate slider, neurons, a weight, the URL hash."""
import math

import pytest

from app_driver import open_app, set_learning_rate_slider, settle, state, wait_state

pytestmark = pytest.mark.e2e


def epoch_shown(page) -> int:
    return int(page.locator("[data-testid=epoch]").inner_text().replace(",", ""))


def test_dragging_the_learning_rate_mid_run_changes_the_rate_without_a_reset(page, server, tmp_path):
    open_app(page, server)
    assert state(page, "s.frame.learning_rate") == 0.03
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'running' && s.frame.epoch >= 5")
    epoch_before, step_before = epoch_shown(page), state(page, "s.frame.step")
    history_before = state(page, "s.history.step.length")

    # a real drag with the mouse, to the right end: the snapped rate must be in force
    box = page.locator("[data-testid=learning_rate]").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * (math.log10(0.03) + 5) / 6, y)  # on the thumb (-5..1)
    page.mouse.down()
    for k in range(1, 9):                                                   # a drag is many moves
        page.mouse.move(box["x"] + box["width"] * (0.6 + 0.035 * k), y)
    page.mouse.up()
    shown = page.locator("[data-testid=learning_rate_value]").inner_text()
    rate = float(shown)
    assert rate > 0.03
    wait_state(page, "s.frame.learning_rate === arg && s.config.learning_rate === arg", arg=rate)
    wait_state(page, "s.frame.step > arg + 100", arg=step_before)             # training went on
    page.screenshot(path=str(tmp_path / "dragged.png"))

    # and a precise one: log10(0.1) snaps to the Playground's 0.1
    step_mid = state(page, "s.frame.step")
    set_learning_rate_slider(page, math.log10(0.1))
    wait_state(page, "s.frame.learning_rate === 0.1 && s.frame.step > arg", arg=step_mid)
    page.wait_for_function("() => document.querySelector('[data-testid=learning_rate_value]').textContent === '0.1'")
    frames = page.evaluate("""() => new Promise((done) => {
      const seen = [];
      const tick = () => {
        const f = window.learnscape.state.frame;
        if (!seen.length || seen.at(-1).step !== f.step) seen.push({ step: f.step, lr: f.learning_rate });
        if (seen.length >= 5) done(seen); else requestAnimationFrame(tick);
      };
      tick();
    })""")
    assert all(f["lr"] == 0.1 for f in frames), frames                       # the next frames use it
    assert epoch_shown(page) >= epoch_before                                  # no reset
    assert state(page, "s.frame.step") > step_mid > step_before
    assert state(page, "s.history.step.length") >= min(history_before, 1000)
    assert state(page, "s.history.step[0]") <= step_before                    # the curve kept its start


def count_diagram(page) -> dict:
    return page.evaluate("""() => ({
      nodes: document.querySelectorAll('#network .node:not(.input)').length,
      links: document.querySelectorAll('#network svg path[data-testid^=link-]').length,
      params: document.querySelector('[data-testid=param_count]').textContent,
    })""")


def test_adding_a_neuron_updates_the_diagram_and_the_parameter_count(page, server, tmp_path):
    open_app(page, server)
    before = count_diagram(page)
    # 2 inputs -> 4 -> 2 -> 1: 4 + 2 + 1 nodes, 8 + 8 + 2 links, 3*4 + 5*2 + 3*1 parameters
    assert before == {"nodes": 7, "links": 18, "params": "25 parameters"}
    page.click("[data-testid=add_neuron-0]")
    wait_state(page, "s.config.hidden[0] === 5 && s.frame.weights[0].W.length === 5")
    page.wait_for_function("() => document.querySelectorAll('#network .node:not(.input)').length === 8")
    after = count_diagram(page)
    assert after == {"nodes": 8, "links": 22, "params": "30 parameters"}
    assert page.locator("[data-testid=link-1-1-4]").count() == 1              # the new neuron's link out
    assert page.locator("[data-testid=bias-0-4]").count() == 1
    page.screenshot(path=str(tmp_path / "added.png"))
    page.click("[data-testid=remove_neuron-1]")
    wait_state(page, "s.config.hidden.join() === '5,1'")
    page.wait_for_function("() => document.querySelector('[data-testid=param_count]').textContent === '23 parameters'")
    page.click("[data-testid=add_layer]")
    wait_state(page, "s.config.hidden.join() === '5,1,1'")
    page.wait_for_function("() => document.querySelectorAll('#network .node:not(.input)').length === 8")


def click_on_path(page, testid: str) -> None:
    """Click a point on an SVG link where it is the topmost element (links cross each other)."""
    point = page.evaluate("""(testid) => {
      const p = document.querySelector(`[data-testid="${testid}"]`), len = p.getTotalLength();
      const m = p.getScreenCTM();
      for (const f of [0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.1, 0.9]) {
        const q = p.getPointAtLength(len * f);
        const x = m.a * q.x + m.c * q.y + m.e, y = m.b * q.x + m.d * q.y + m.f;
        if (document.elementFromPoint(x, y) === p) return { x, y };
      }
      return null;
    }""", testid)
    assert point, f"{testid} is covered everywhere"
    page.mouse.click(point["x"], point["y"])


def test_a_weight_edit_takes_effect(page, server, tmp_path):
    open_app(page, server)
    step = settle(page)
    loss_before = state(page, "s.frame.loss_train")
    # a weight of the second hidden layer: from neuron 2 of layer 1 into neuron 1 of layer 2
    click_on_path(page, "link-1-1-2")
    editor = page.locator("[data-testid=weight_editor]")
    editor.wait_for(state="visible")
    editor.fill("-4")
    editor.press("Enter")
    wait_state(page, "s.frame.weights[1].W[1][2] === -4")
    assert editor.is_hidden()
    # the state holds the new frame before the diagram draws it (next animation frame), and the link
    # may have been negative already: wait for the drawn width itself (a race in the old version)
    width = f"{1 + 4 * 9 / 5:.2f}"
    page.wait_for_function("""(w) => {
      const el = document.querySelector('[data-testid=link-1-1-2]');
      return el.getAttribute('class') === 'neg' && el.getAttribute('stroke-width') === w;
    }""", arg=width)
    assert state(page, "s.frame.loss_train") != loss_before                   # the network changed
    # the output's bias too
    page.locator("[data-testid=bias-2-0]").click()
    editor.wait_for(state="visible")
    editor.fill("0.75")
    editor.press("Enter")
    wait_state(page, "s.frame.weights[2].b[0] === 0.75")
    page.screenshot(path=str(tmp_path / "edited.png"))
    # training stayed paused: the edit is the only change
    assert settle(page) == step
    assert state(page, "s.status") == "paused"
    # and training goes on from the edited weights
    page.click("[data-testid=step]")
    wait_state(page, "s.frame.step === arg", arg=step + 1)


def test_the_url_hash_round_trips_a_configuration(page, server, tmp_path):
    open_app(page, server, "dataset=xor&hidden=3&learning_rate=0.1&activation=relu&seed=7")
    wait_state(page, """s.config.dataset === 'xor' && s.config.hidden.join() === '3' && s.config.learning_rate === 0.1
                        && s.config.activation === 'relu' && s.config.seed === 7""")
    wait_state(page, "s.frame.weights[0].W.length === 3")
    page.wait_for_function("""() => ['dataset=xor', 'hidden=3', 'learning_rate=0.1', 'activation=relu', 'seed=7']
      .every((p) => location.hash.slice(1).split('&').includes(p))""")
    page.screenshot(path=str(tmp_path / "from-hash.png"))
    written = page.url
    config = state(page, "s.config")
    weights = state(page, "s.frame.weights")
    # the written link reproduces the run in a fresh tab: same config, same initial weights
    other = page.context.new_page()
    other.goto(written)
    other.wait_for_function("() => window.learnscape && window.learnscape.state.config && window.learnscape.state.frame")
    wait_state(other, "s.config.dataset === 'xor' && s.config.seed === 7 && s.frame.weights[0].W.length === 3")
    assert state(other, "s.config") == config
    assert state(other, "s.frame.weights") == weights
    other.close()
    # a control hidden through the URL
    page.goto("about:blank")
    open_app(page, server, "hide=noise")
    assert page.locator("[data-testid=noise]").is_hidden()
    assert page.locator("[data-testid=batch_size]").is_visible()
    page.wait_for_function("() => location.hash.includes('hide=noise')")


def test_the_url_hash_carries_the_view_speed_and_the_landscape(page, server):
    """One field table drives the hash: view fields round-trip as well as the config."""
    open_app(page, server, "speed=250&landscape=race&surface=beale&show_test=true")
    wait_state(page, "s.view.speed === 250 && s.view.landscape === 'race' && s.view.surface === 'beale'"
                     " && s.view.show_test === true")
    assert page.input_value("[data-testid=speed]") == "250"
    assert page.input_value("[data-testid=landscape_mode]") == "race"
    wait_state(page, "s.landscape && s.landscape.message && s.landscape.message.surface.name === 'beale'")
    page.select_option("[data-testid=speed]", "60")
    page.select_option("[data-testid=landscape_mode]", "live")
    page.select_option("[data-testid=landscape_slice]", "pca")
    page.wait_for_function("""() => { const h = location.hash.slice(1).split('&');
      return h.includes('speed=60') && h.includes('slice=pca') && !h.some((p) => p.startsWith('landscape='))
        && h.includes('show_test=true') && h.includes('dataset=circle'); }""")
