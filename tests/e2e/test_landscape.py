"""The loss-landscape panel: a live slice with a moving point, a draggable start point on the
exact linear-regression surface, a race with one path per optimiser; the paths walk."""
import pytest

from app_driver import open_app, state, wait_state

pytestmark = pytest.mark.e2e

MAP = "[data-testid=landscape_map]"


def drawn(page):
    """What the landscape map shows: its paths (name, first point, points shown), point, axis names."""
    return page.evaluate(f"() => document.querySelector('{MAP}').drawn || null")


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
    d = drawn(page)
    assert d["point"] is not None and [p["name"] for p in d["paths"]] == ["trail"]
    assert (d["xname"], d["yname"]) == ("d₁", "d₂")          # the axes say what they are
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
    wait_state(page, "s.landscape && s.landscape.message && s.landscape.message.type === 'exploration'"
                     " && s.landscape.message.mode === 'path'"
                     " && s.landscape.surface && s.landscape.surface.seq === s.landscape.message.surface_seq")
    before = state(page, "s.landscape.message.result.path[0]")
    box = page.locator(MAP).bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
    x1, y1 = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.up()
    # the drag sends the start as it moves: wait for the answer to where it ended, drawn
    wait_state(page, "s.explore.start !== null"
                     " && Math.abs(s.landscape.message.result.path[0][0] - s.explore.start[0]) < 0.2"
                     " && Math.abs(s.landscape.message.result.path[0][1] - s.explore.start[1]) < 0.2"
                     f" && ((document.querySelector('{MAP}').drawn || {{}}).paths || []).some((p) => p.name === 'gd'"
                     " && Math.abs(p.first[0] - s.landscape.message.result.path[0][0]) < 1e-9)")
    after = state(page, "s.landscape.message.result")
    page.screenshot(path=str(tmp_path / "dragged.png"))
    assert abs(after["path"][0][0] - before[0]) + abs(after["path"][0][1] - before[1]) > 0.5
    assert len(after["path"]) > 10                       # a whole new descent from there
    assert (drawn(page)["xname"], drawn(page)["yname"]) == ("w", "b")
    # the caption speaks of this mode, and the house mode shows its learning rate from the start
    assert "Linear regression" in page.inner_text("[data-testid=landscape_caption]")
    assert page.inner_text("[data-testid=landscape_lr_value]").strip() not in ("", "–")


def test_a_race_shows_one_path_per_optimiser(page, server, tmp_path):
    open_app(page, server)
    page.select_option("[data-testid=landscape_mode]", "race")
    wait_state(page, "s.landscape.message.type === 'exploration' && s.landscape.message.mode === 'race'"
                     " && s.landscape.surface.seq === s.landscape.message.surface_seq")
    page.wait_for_function(f"() => ((document.querySelector('{MAP}').drawn || {{}}).paths || []).length >= 5")
    page.screenshot(path=str(tmp_path / "race.png"))
    names = [p["name"] for p in drawn(page)["paths"]]
    assert sorted(names) == sorted(["sgd", "momentum", "nesterov", "rmsprop", "adam"])
    racers = state(page, "s.landscape.message.result.racers")
    starts = {tuple(r["path"][0]) for r in racers.values()}
    assert len(starts) == 1                               # the same start for everyone
    assert abs(racers["sgd"]["predicted_rate"] - racers["sgd"]["measured_rate"]) < 0.01


def test_paths_walk_step_by_step_and_show_all_shows_them_whole(page, server, tmp_path):
    open_app(page, server)
    page.evaluate("() => window.learnscape.actions.setExplore({ walk_speed: 15 })")
    page.select_option("[data-testid=landscape_mode]", "race")
    page.wait_for_function(f"() => ((document.querySelector('{MAP}').drawn || {{}}).paths || []).length >= 5")
    early = drawn(page)["paths"]
    assert all(p["shown"] < p["length"] for p in early), early            # walking, not all at once
    page.wait_for_timeout(600)
    later = drawn(page)["paths"]
    assert max(p["shown"] for p in later) > max(p["shown"] for p in early)   # and moving on
    page.check("[data-testid=landscape_show_all]")
    page.wait_for_function(f"""() => document.querySelector('{MAP}').drawn.paths
      .every((p) => p.shown === p.length)""")


@pytest.mark.parametrize("surface", ["rosenbrock", "beale", "himmelblau"])
def test_races_on_hard_surfaces_use_their_own_rates_and_no_racer_blows_up(page, server, tmp_path, surface):
    open_app(page, server, f"landscape=race&surface={surface}")
    wait_state(page, "s.landscape && s.landscape.message && s.landscape.message.mode === 'race'"
                     " && s.landscape.message.surface.name === arg", arg=surface)
    racers = state(page, "s.landscape.message.result.racers")
    finals = {k: r["loss"][-1] for k, r in racers.items()}
    first = {k: r["loss"][0] for k, r in racers.items()}
    for k in racers:
        assert racers[k]["escaped_at"] is None, (k, finals)
        assert finals[k] < first[k], (k, finals)                          # every racer went downhill
    info = page.locator("[data-testid=landscape_info]")
    box = page.locator("[data-testid=landscape]").bounding_box()
    for row in info.locator("b").all():                                   # every read-out inside the panel
        r = row.bounding_box()
        assert r["x"] >= box["x"] and r["x"] + r["width"] <= box["x"] + box["width"] + 1
    page.screenshot(path=str(tmp_path / f"race-{surface}.png"))


def test_in_the_live_slice_the_point_walks_over_a_surface_that_stays_until_it_leaves_the_view(page, server, tmp_path):
    """Issue 14 item 10: the dot and its trail move; the surface under them is re-centred only
    when the walker leaves the view (not every step)."""
    open_app(page, server)
    page.click("[data-testid=play]")
    # each drawing of the map: the surface it shows and where its point is
    page.wait_for_function(f"""() => {{
      const s = window.learnscape.state, d = document.querySelector('{MAP}').drawn, w = window.__walk || (window.__walk = []);
      if (d && d.point && s.landscape && s.landscape.surface) w.push([s.landscape.surface.seq, d.point[0], d.point[1]]);
      const moved = w.filter((a) => w.some((b) => b[0] === a[0] && Math.hypot(b[1] - a[1], b[2] - a[2]) > 0.02));
      return moved.length >= 2;
    }}""", timeout=40_000, polling=50)
    walk = page.evaluate("() => window.__walk")
    seqs = {seq for seq, _, _ in walk}
    points = {(x, y) for _, x, y in walk}
    assert len(points) > len(seqs)                      # more places than surfaces: it walked over one
    page.screenshot(path=str(tmp_path / "walking.png"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_house_and_neuron_show_their_rate_at_once_and_the_neuron_says_why_it_has_no_limit(page, server, lang):
    """Issue 14 item 8."""
    open_app(page, server, f"lang={lang}")
    for mode in ("house", "neuron"):
        page.select_option("[data-testid=landscape_mode]", mode)
        wait_state(page, "s.landscape.message.type === 'exploration' && s.landscape.message.surface.name === arg",
                   arg="linear" if mode == "house" else "neuron")
        value = page.inner_text("[data-testid=landscape_lr_value]").strip()
        assert value not in ("", "–") and float(value) > 0             # before the slider ever moved
        page.wait_for_function("() => document.querySelector('[data-testid=landscape_info]').textContent.length > 3")
        info = page.inner_text("[data-testid=landscape_info]")
        if mode == "house":
            assert "2/λmax = " in info and "–" not in info.split("2/λmax = ")[1][:2]
        else:
            assert "2/λmax =" not in info
            assert ("curvature" if lang == "en" else "曲率") in info
            assert (drawn(page)["xname"], drawn(page)["yname"]) == ("w₁", "w₂")


def test_race_rates_typed_for_one_surface_stay_with_it_when_another_surface_is_picked(page, server, tmp_path):
    """Rates belong to the surface they were typed for: another surface races at its own rates (the
    quadratic's once reached Rosenbrock and blew up), and they are there again on coming back."""
    open_app(page, server, "landscape=race")
    wait_state(page, "s.landscape && s.landscape.message && s.landscape.message.mode === 'race'")
    first = state(page, "s.landscape.message.surface.name")
    assert first != "rosenbrock"
    page.fill("[data-testid=race_lr-sgd]", "0.2")
    page.press("[data-testid=race_lr-sgd]", "Enter")
    wait_state(page, "s.explore.rates && s.explore.rates.sgd === 0.2"
                     " && s.landscape.message.result.racers.sgd.lr === 0.2")
    page.select_option("[data-testid=landscape_surface]", "rosenbrock")
    wait_state(page, "s.landscape.message.mode === 'race' && s.landscape.message.surface.name === 'rosenbrock'")
    racers = state(page, "s.landscape.message.result.racers")
    assert racers["sgd"]["lr"] != 0.2 and all(r["escaped_at"] is None for r in racers.values())
    page.wait_for_function("(arg) => Number(document.querySelector('[data-testid=race_lr-sgd]').value) === arg",
                           arg=racers["sgd"]["lr"])                     # the box shows Rosenbrock's rate
    page.select_option("[data-testid=landscape_surface]", first)
    wait_state(page, "s.landscape.message.surface.name === arg && s.landscape.message.result.racers.sgd.lr === 0.2",
               arg=first)
