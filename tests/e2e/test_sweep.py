"""The sweep panel (issue 12) in a real browser against the real server: a 2x3 sweep with 2 seeds
runs from the panel, the progress bar reaches the end, the heatmap fills its 6 cells, the table
sorts, and "use this setting" changes the live network's config."""
import pytest

from app_driver import open_app, state, wait_state

pytestmark = pytest.mark.e2e


def fill(page, i: int, axis: str, values: str) -> None:
    page.select_option(f"[data-testid=sweep_axis_{i}]", axis)
    page.fill(f"[data-testid=sweep_values_{i}]", values)
    page.dispatch_event(f"[data-testid=sweep_values_{i}]", "change")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_2x3_sweep_runs_from_the_panel_and_its_best_setting_is_used(page, server, tmp_path, lang):
    open_app(page, server, f"lang={lang}")
    assert page.locator("[data-testid=sweep]").is_hidden()
    page.click("[data-testid=tab_sweep]")
    page.locator("[data-testid=sweep_run]").wait_for(state="visible")
    assert page.locator("[data-testid=landscape]").is_hidden()              # one tab at a time
    fill(page, 0, "hidden_width", "2, 5")
    fill(page, 1, "learning_rate", "0.01,0.03,0.3")
    page.select_option("[data-testid=sweep_axis_2]", "")
    page.fill("[data-testid=sweep_seeds]", "2")
    page.dispatch_event("[data-testid=sweep_seeds]", "change")
    page.fill("[data-testid=sweep_epochs]", "3")
    page.dispatch_event("[data-testid=sweep_epochs]", "change")
    size = page.locator("[data-testid=sweep_size]").inner_text()
    assert "12" in size and "6" in size                                     # 6 cells x 2 seeds = 12 networks
    page.click("[data-testid=sweep_run]")
    wait_state(page, "s.sweep.run && !s.sweep.run.running && s.sweep.run.done === 6", timeout=60_000)
    bar = page.locator("[data-testid=sweep_progress]")
    assert bar.evaluate("(b) => [b.value, b.max]") == [6, 6]                # the progress bar reached the end
    assert page.locator("[data-testid=sweep_heatmap] .hm-cell.filled").count() == 6
    assert page.locator("[data-testid=sweep_spread] .hm-cell.filled").count() == 6
    assert page.locator("[data-testid=sweep_table] tbody tr").count() == 6
    assert page.locator("[data-testid=sweep_best]").inner_text() != ""
    # sorted by mean test loss, lowest first; a click on the header reverses it
    losses = state(page, "Object.values(s.sweep.run.cells).map((c) => c.mean.loss_test)")
    first = page.locator("[data-testid=sweep_table] tbody tr").first.get_attribute("data-index")
    best = state(page, "s.sweep.run.summary.best.index")
    assert int(first) == best and state(page, "s.sweep.run.cells[arg].mean.loss_test".replace("arg", first)) == min(losses)
    page.click("[data-testid=sweep_table] th[data-sort=loss]")
    page.wait_for_function("(b) => document.querySelector('[data-testid=sweep_table] tbody tr:last-child').dataset.index === String(b)",
                           arg=best)
    page.screenshot(path=str(tmp_path / f"sweep-{lang}.png"))
    # "use this setting" on a cell that differs from the live network: one set_config, then in force
    row = page.locator("[data-testid=sweep_table] tbody tr[data-index='5']")
    row.locator("[data-testid=sweep_use]").click()
    wait_state(page, "JSON.stringify(s.confirmed.hidden) === '[5,5]' && s.confirmed.learning_rate === 0.3")
    wait_state(page, "s.frame.weights[0].W.length === 5 && s.frame.learning_rate === 0.3")
    assert state(page, "s.error") is None


def test_cancel_from_the_panel_stops_the_sweep(page, server):
    open_app(page, server)
    page.click("[data-testid=tab_sweep]")
    fill(page, 0, "hidden_width", "1,2,3,4,5,6,7,8")
    page.select_option("[data-testid=sweep_axis_1]", "")
    page.fill("[data-testid=sweep_epochs]", "1000")
    page.dispatch_event("[data-testid=sweep_epochs]", "change")
    page.click("[data-testid=sweep_run]")
    wait_state(page, "s.sweep.run && s.sweep.run.running")
    page.click("[data-testid=sweep_cancel]")
    wait_state(page, "s.sweep.run && !s.sweep.run.running && s.sweep.run.summary.cancelled", timeout=20_000)
    assert state(page, "s.sweep.run.done") < 8
    assert page.locator("[data-testid=sweep_run]").is_enabled()
    page.click("[data-testid=tab_landscape]")
    page.locator("[data-testid=landscape]").wait_for(state="visible")
