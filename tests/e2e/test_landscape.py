"""The loss-landscape panel: a live slice with a moving point, a draggable start point on the
exact linear-regression surface, and a race with one path per optimiser."""
import pytest

from app_driver import open_app, state, wait_state

pytestmark = pytest.mark.e2e

PLOT = "[data-testid=landscape_plot]"


def plot_traces(page):
    return page.evaluate(f"""() => (document.querySelector('{PLOT}').data || [])
      .map((t) => ({{ type: t.type, name: t.name, n: (t.x || []).length, x: t.x, y: t.y }}))""")


def test_live_slice_shows_a_surface_and_a_moving_point(page, server, tmp_path):
    open_app(page, server)
    assert page.input_value("[data-testid=landscape_mode]") == "live"
    wait_state(page, "s.landscape && s.landscape.message && s.landscape.message.type === 'landscape'"
                     " && s.landscape.surface && s.landscape.surface.seq === s.landscape.message.surface_seq")
    page.click("[data-testid=play]")
    wait_state(page, "s.landscape.message.step > 200", timeout=20_000)
    first = state(page, "s.landscape.message")
    wait_state(page, "s.landscape.message.step > arg + 200", arg=first["step"], timeout=20_000)
    later = state(page, "s.landscape.message")
    page.screenshot(path=str(tmp_path / "live-slice.png"))
    traces = plot_traces(page)
    assert traces[0]["type"] == "heatmap"                # the live slice: a heatmap (cheaper than contours)
    now = [t for t in traces if t["name"] == "now"]
    assert len(now) == 1 and now[0]["n"] == 1
    # the weights moved, so the slice through them is a new one: its loss at the centre fell
    assert later["loss_center"] < first["loss_center"]
    assert len(later["path"]) >= 2                      # the trail of recent positions is drawn
    # and the surface is a real grid of losses around that point
    surface = state(page, "{ R: s.landscape.surface.resolution, n: s.landscape.surface.data.length,"
                          " min: Math.min(...s.landscape.surface.data) }")
    assert surface["n"] == surface["R"] ** 2 and surface["min"] >= 0


def test_dragging_the_start_point_on_the_linear_regression_surface_restarts_the_path(page, server, tmp_path):
    open_app(page, server)
    page.select_option("[data-testid=landscape_mode]", "house")
    wait_state(page, "s.landscape.message.type === 'exploration' && s.landscape.message.mode === 'path'"
                     " && s.landscape.surface.seq === s.landscape.message.surface_seq")
    before = state(page, "s.landscape.message.result.path[0]")
    box = page.locator(f"{PLOT} .nsewdrag").first.bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
    x1, y1 = box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.25
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.up()
    # where the pointer was let go, in the plot's data coordinates
    target = page.evaluate(f"""([px, py]) => {{
      const el = document.querySelector('{PLOT}'), box = el.querySelector('.nsewdrag').getBoundingClientRect();
      return [el._fullLayout.xaxis.p2l(px - box.left), el._fullLayout.yaxis.p2l(py - box.top)];
    }}""", [x1, y1])
    wait_state(page, "Math.abs(s.landscape.message.result.path[0][0] - arg[0]) < 0.2"
                     " && Math.abs(s.landscape.message.result.path[0][1] - arg[1]) < 0.2", arg=target)
    after = state(page, "s.landscape.message.result")
    page.screenshot(path=str(tmp_path / "dragged.png"))
    assert abs(after["path"][0][0] - before[0]) + abs(after["path"][0][1] - before[1]) > 0.5
    assert len(after["path"]) > 10                       # a whole new descent from there
    page.wait_for_function(f"""(x0) => (document.querySelector('{PLOT}').data || [])
      .some((t) => t.name === "gd" && Math.abs(t.x[0] - x0) < 1e-9)""", arg=after["path"][0][0])


def test_a_race_shows_one_path_per_optimiser(page, server, tmp_path):
    open_app(page, server)
    page.select_option("[data-testid=landscape_mode]", "race")
    wait_state(page, "s.landscape.message.type === 'exploration' && s.landscape.message.mode === 'race'"
                     " && s.landscape.surface.seq === s.landscape.message.surface_seq")
    page.wait_for_function(f"() => (document.querySelector('{PLOT}').data || []).length >= 6")
    page.screenshot(path=str(tmp_path / "race.png"))
    names = [t["name"] for t in plot_traces(page) if t["type"] == "scatter" and t["n"] > 1]
    assert sorted(names) == sorted(["sgd", "momentum", "nesterov", "rmsprop", "adam"])
    racers = state(page, "s.landscape.message.result.racers")
    starts = {tuple(r["path"][0]) for r in racers.values()}
    assert len(starts) == 1                               # the same start for everyone
    # on the quadratic bowl the predicted rate stands beside the measured one
    assert "predicted" in page.inner_text("[data-testid=landscape_info]")
    assert abs(racers["sgd"]["predicted_rate"] - racers["sgd"]["measured_rate"]) < 0.01
