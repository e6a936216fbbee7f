"""Lessons on the page (issue 11): the menu on first load, #lesson=ID, the stage each sets (its whole
config and seed, its view), the caption in English and 中文, "next lesson" through the course, leaving
a lesson keeps the learner's changes, and the house-price view's residuals."""
import json
import urllib.request

import numpy as np
import pytest
from app_driver import state, wait_state

from engine.lessons import LESSONS
from engine.lessons.l11_grid_search import grid as lesson11_grid

STAGE = "(a) => s.view.lesson === a.id && s.confirmed && Object.entries(a.config).every(([k, v]) => JSON.stringify(s.confirmed[k]) === JSON.stringify(v))"


@pytest.fixture(scope="module")
def catalogue(server):
    with urllib.request.urlopen(server.url + "api/lessons", timeout=10) as r:
        return json.loads(r.read())["lessons"]


def load(page, server, hash=""):
    page.goto(server.url + (("#" + hash) if hash else ""))
    wait_state(page, "s.connection === 'open' && s.config && s.lessons.catalogue && s.frame")


def wait_stage(page, lesson):
    """The lesson is open and the server confirmed its whole config, seed included."""
    wait_state(page, STAGE[len("(a) => "):].replace("a.", "arg."), arg={"id": lesson["id"], "config": lesson["full_config"]})


def open_lesson(page, server, catalogue, lesson_id, steps=0):
    """Load the page at #lesson=ID, wait for its stage, then take `steps` training steps."""
    lesson = next(l for l in catalogue if l["id"] == lesson_id)
    load(page, server, f"lesson={lesson_id}")
    wait_stage(page, lesson)
    if steps:
        page.evaluate(f"window.learnscape.actions.step({steps})")
        wait_state(page, f"s.frame.step >= {steps}")
    return lesson


def caption(page):
    return page.text_content("[data-testid=lesson-caption]")


def test_every_lesson_opens_from_the_menu_with_its_stage_and_english_caption(page, server, catalogue):
    load(page, server)
    assert page.is_visible("[data-testid=lessons]") and not page.is_visible("[data-testid=lesson-caption]")
    menu = "[data-testid=lessons_select]"
    assert page.eval_on_selector_all(f"{menu} option", "os => os.map(o => o.value).filter(Boolean)") == [l["id"] for l in catalogue]
    for lesson in catalogue:
        page.select_option(menu, lesson["id"])
        wait_stage(page, lesson)
        text = caption(page)
        assert lesson["title"]["en"] in text and lesson["caption"]["en"] in text
        view = lesson["view"]
        assert state(page, "s.view.gradients") == bool(view.get("gradients"))
        assert state(page, "s.view.show_test") == bool(view.get("show_test"))
        hidden = set(state(page, "s.view.hide"))
        for p in ["data", "network", "output", "grads", "landscape"]:
            assert (p in hidden) == (p not in view["panels"]), (lesson["id"], p)
            assert page.is_visible(f"[data-panel={p}]") == (p in view["panels"]), (lesson["id"], p)
        assert page.is_visible("[data-testid=house]") == ("house" in view["panels"] or lesson["config"].get("dataset") == "house")
        assert f"lesson={lesson['id']}" in page.url


def test_every_lesson_opens_from_its_url_in_chinese(page, server, catalogue):
    for lesson in catalogue:
        load(page, server, f"lesson={lesson['id']}&lang=zh")
        wait_stage(page, lesson)
        text = caption(page)
        assert lesson["title"]["zh"] in text and lesson["caption"]["zh"] in text
        assert lesson["caption"]["en"] not in text
        assert page.eval_on_selector("[data-testid=lessons_select]", "e => e.value") == lesson["id"]
        land = lesson["view"].get("landscape")
        if land and land["mode"] in ("race", "crowd", "networks"):
            assert state(page, "s.view.landscape") == land["mode"]
        elif land and land["mode"] == "path":
            assert state(page, "s.view.landscape") == land["surface"]
        if land and land.get("lr_preset"):
            assert 10 ** state(page, "s.explore.lr_log") == pytest.approx(land["rates"][land["lr_preset"]])


def test_next_lesson_walks_through_the_course(page, server, catalogue):
    load(page, server, f"lesson={catalogue[0]['id']}")
    wait_stage(page, catalogue[0])
    for lesson in catalogue[1:]:
        page.click("[data-testid=lesson_next]")
        wait_stage(page, lesson)
        assert lesson["caption"]["en"] in caption(page)
    assert page.is_disabled("[data-testid=lesson_next]")


def test_leaving_a_lesson_keeps_the_learners_changes(page, server, catalogue):
    open_lesson(page, server, catalogue, "overfitting")
    page.click("[data-testid=lesson_try-0]")                      # the caption's first suggestion: L2 0.03
    wait_state(page, "s.confirmed.regularization === 'l2' && s.confirmed.reg_rate === 0.03")
    page.evaluate("window.learnscape.actions.setConfig({learning_rate: 0.02})")
    wait_state(page, "s.confirmed.learning_rate === 0.02")
    page.click("[data-testid=lesson_close]")
    wait_state(page, "s.view.lesson === ''")
    assert not page.is_visible("[data-testid=lesson-caption]")
    assert state(page, "[s.config.learning_rate, s.config.regularization, s.config.hidden]") == [0.02, "l2", [8, 8, 8]]
    assert "lesson=" not in page.url and "hide=" not in page.url
    assert page.is_visible("[data-panel=network]") and page.is_visible("[data-panel=landscape]")


def test_house_view_draws_every_residual_and_its_mean_square_falls(page, server, catalogue):
    open_lesson(page, server, catalogue, catalogue[0]["id"])
    n = "s.dataset && s.dataset.train.length"
    wait_state(page, f"document.querySelector('[data-testid=house_canvas]').dataset.residuals == ({n})")
    assert state(page, n) > 10
    mse = lambda: float(page.inner_text("[data-testid=house_mse]").split("=")[1])
    before = mse()
    page.evaluate("window.learnscape.actions.step(200)")
    wait_state(page, "s.frame.step >= 200")
    page.wait_for_function(f"() => Number(document.querySelector('[data-testid=house_mse]').textContent.split('=')[1]) < {before} / 2")
    assert mse() < before / 2


def test_overfitting_marks_the_best_epoch_on_the_loss_chart(page, server, catalogue):
    open_lesson(page, server, catalogue, "overfitting", steps=400)
    page.wait_for_function("() => (document.querySelector('[data-testid=loss_chart]').drawn?.marks || []).length === 1"
                           " && document.querySelector('[data-testid=loss_chart]').drawn.x.slice(-1)[0] >= 400")
    drawn = page.evaluate("(() => { const d = document.querySelector('[data-testid=loss_chart]').drawn;"
                          " return {x: d.x, test: d.ys[0], mark: d.marks[0]}; })()")
    best = min(range(len(drawn["test"])), key=lambda i: drawn["test"][i])
    assert drawn["mark"]["x"] == drawn["x"][best]
    per_epoch = -(-state(page, "s.dataset.train.length") // state(page, "s.config.batch_size"))
    assert drawn["mark"]["label"] == f"best epoch {drawn['x'][best] // per_epoch}"
    page.click("[data-testid=lesson_close]")                     # no lesson, no mark
    page.evaluate("window.learnscape.actions.step(5)")
    page.wait_for_function("() => document.querySelector('[data-testid=loss_chart]').drawn.marks.length === 0")


def test_the_crowd_walks_at_the_lessons_learning_rate_on_its_surface_only(page, server, catalogue):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda p: isinstance(p, str) and sent.append(json.loads(p))))
    land = open_lesson(page, server, catalogue, "local-minima")["view"]["landscape"]
    crowds = lambda: [m for m in sent if m["type"] == "explore" and m["mode"] == "crowd"]
    wait_state(page, "s.landscape && s.landscape.message && s.landscape.message.mode === 'crowd'")
    ask = crowds()[-1]
    assert (ask["surface"], ask["optimizer"], ask["walkers"]) == (land["surface"], land["optimizer"], land["walkers"])
    assert ask["learning_rate"] == land["learning_rate"]
    assert state(page, "s.landscape.message.result.lr") == pytest.approx(land["learning_rate"])
    # elsewhere the lesson's rate does not follow: the surface's own rate for the optimizer
    page.evaluate("window.learnscape.actions.setView({surface: 'rosenbrock'})")
    wait_state(page, "s.landscape.message.mode === 'crowd' && s.landscape.message.surface.name === 'rosenbrock'")
    assert "learning_rate" not in crowds()[-1]
    assert state(page, "s.landscape.message.result.lr") == pytest.approx(state(page, "s.landscape.message.surface.rates.sgd"))


def test_the_grid_search_lesson_runs_its_claims_sweep_from_the_sweep_panel(page, server, catalogue):
    lesson = open_lesson(page, server, catalogue, "grid-search")
    sw = lesson["view"]["sweep"]
    (axis, values), = sw["axes"].items()
    page.locator("[data-testid=sweep_run]").wait_for(state="visible")
    assert page.input_value("[data-testid=sweep_axis_0]") == axis and page.input_value("[data-testid=sweep_axis_1]") == ""
    assert page.input_value("[data-testid=sweep_values_0]") == ",".join(map(str, values))
    assert [page.input_value(f"[data-testid=sweep_{k}]") for k in ("seeds", "epochs")] == [str(sw["seeds"]), str(sw["epochs"])]
    page.click("[data-testid=sweep_run]")
    wait_state(page, f"s.sweep.run && !s.sweep.run.running && s.sweep.run.done === {len(values)}", timeout=120_000)
    # seed by seed, the page's sweep is the one the lesson's claim measures
    shown = np.array(state(page, "Object.values(s.sweep.run.cells).sort((a, b) => a.index - b.index)"
                                 ".map((c) => c.seeds.map((r) => r.loss_test))"), dtype=float).T
    expected = lesson11_grid(LESSONS["grid-search"].seeds(sw["seeds"]))
    assert shown.shape == expected.shape == (sw["seeds"], len(values))
    np.testing.assert_allclose(shown, expected, rtol=1e-9)
    assert (shown[:, 0] / shown.min(axis=1)).min() >= LESSONS["grid-search"].claim["width1_over_best_loss"]["threshold"]
    page.click("[data-testid=lesson_next]")                   # a lesson without a sweep: the landscape tab
    wait_stage(page, catalogue[lesson["number"]])
    assert state(page, "[s.sweep.open, s.sweep.run.done]") == [False, len(values)]


def test_training_vs_inference_lights_the_network_and_shows_both_times(page, server, catalogue):
    open_lesson(page, server, catalogue, "training-vs-inference", steps=100)
    page.click("[data-testid=infer_plane]", position={"x": 90, "y": 30})    # upper right of [-6, 6]²
    wait_state(page, "s.lessons.inference !== null")
    m = state(page, "s.lessons.inference")
    assert m["point"][0] > 0 and m["point"][1] > 0
    sizes = [len(a) for a in m["activations"]]
    assert sizes == [2, 4, 2, 1]
    assert 0 < m["forward_seconds"] < m["step_seconds"]
    # the layers light one after another, then all of them
    page.wait_for_function("() => document.querySelector('[data-testid=lesson_diagram]').dataset.lit === '4'")
    times = page.text_content("[data-testid=infer_times]")
    assert "One forward pass" in times and "One training step" in times


def test_backprop_steps_once_then_lights_forward_then_backward(page, server, catalogue):
    open_lesson(page, server, catalogue, "backprop")
    before = state(page, "s.frame.step")
    page.click("[data-testid=backprop_step]")
    phases = page.evaluate("""() => new Promise((done) => {
      const seen = [], el = document.querySelector('[data-testid=lesson_diagram]');
      const look = () => { const p = el.dataset.phase; if (seen[seen.length - 1] !== p) seen.push(p);
        if (p === 'done') done(seen); else requestAnimationFrame(look); };
      look();
    })""")
    assert phases[-3:] == ["forward", "backward", "done"]
    assert state(page, "s.frame.step") == before + 1            # one step, no training beyond it
    assert state(page, "s.status") == "paused"


def test_an_unknown_lesson_in_the_url_is_said_and_nothing_else_changes(page, server):
    load(page, server, "lesson=nope&learning_rate=0.1")
    wait_state(page, "s.notice && s.notice.key === 'lesson_unknown'")
    assert state(page, "[s.view.lesson, s.notice.vars.id]") == ["", "nope"]
    assert "overfitting" in state(page, "s.notice.vars.allowed")
    wait_state(page, "s.confirmed.learning_rate === 0.1")               # the URL's own fields still apply
    assert "lesson=" not in page.url and not page.is_visible("[data-testid=lesson-caption]")
