"""When things go wrong: a diverging run, a lost server. The page says so and keeps working."""
import math

import pytest

from app_driver import open_app, set_learning_rate_slider, state, wait_state

pytestmark = pytest.mark.e2e


def test_learning_rate_10_on_a_deep_network_shows_divergence_and_the_page_keeps_working(page, server, tmp_path):
    # a regression: its linear output is unbounded. (On a classification dataset the tanh output
    # saturates and the ReLUs die at this rate: the loss sticks near 1, finite, and nothing diverges.)
    open_app(page, server, "dataset=reg-plane&hidden=8,8,8,8,8,8&activation=relu&learning_rate=10")
    wait_state(page, "s.config.hidden.join() === '8,8,8,8,8,8' && s.config.learning_rate === 10"
                     " && s.config.dataset === 'reg-plane' && s.frame.weights.length === 7")
    page.click("[data-testid=play]")
    message = page.locator("[data-testid=diverged]")
    message.wait_for(state="visible", timeout=20_000)
    page.screenshot(path=str(tmp_path / "diverged.png"))
    at = state(page, "s.divergedAt")
    assert state(page, "s.status") == "diverged" and isinstance(at, int)
    text = message.inner_text()
    assert f"step {at}" in text and "smaller learning rate" in text
    # pressing play again does not restart a diverged run
    page.click("[data-testid=play]")
    page.wait_for_timeout(200)
    assert state(page, "s.status") == "diverged"
    # reset clears it; a smaller rate then trains
    page.click("[data-testid=reset]")
    message.wait_for(state="hidden")
    wait_state(page, "s.status === 'paused' && s.frame.step === 0")
    set_learning_rate_slider(page, math.log10(0.01))
    wait_state(page, "s.config.learning_rate === 0.01")
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'running' && s.frame.step > 1500 && s.frame.learning_rate === 0.01",
               timeout=20_000)
    page.screenshot(path=str(tmp_path / "recovered.png"))
    assert message.count() == 0
    loss = state(page, "s.frame.loss_train")
    assert loss is not None and math.isfinite(loss)
    first = state(page, "s.history.loss_train.find((v) => v !== null)")
    assert loss < first                                                   # it learns


@pytest.mark.console_errors(r"WebSocket connection to .* failed")      # while the server is down
def test_a_lost_connection_shows_the_banner_and_reconnects(page, make_server, tmp_path):
    srv = make_server()
    open_app(page, srv)
    page.click("[data-testid=add_neuron-1]")                               # a run worth restoring
    wait_state(page, "s.config.hidden.join() === '4,3'")
    srv.stop(hard=True)                                                    # the server dies
    banner = page.locator("[data-testid=connection_lost]")
    banner.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("() => !document.querySelector('[data-testid=banner]').hidden")
    page.screenshot(path=str(tmp_path / "lost.png"))
    make_server(srv.port)                                                  # and comes back
    banner.wait_for(state="hidden", timeout=15_000)
    wait_state(page, "s.connection === 'open' && s.config.hidden.join() === '4,3' && s.frame.weights[1].W.length === 3")
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'running' && s.frame.step > 100")
    page.screenshot(path=str(tmp_path / "reconnected.png"))


def test_the_page_keeps_the_latest_run_state_for_a_restore(page, server):
    """Issue 13, the page's side: config, weights and step of the newest frame, in sessionStorage
    (what the page offers back with `restore` once the server defines it)."""
    open_app(page, server, "hidden=3")
    page.click("[data-testid=play]")
    wait_state(page, "s.frame.step > 300")
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'paused'")
    page.wait_for_timeout(700)                                  # the store is written at most twice a second
    page.evaluate("() => window.dispatchEvent(new Event('pagehide'))")
    stored = page.evaluate("() => JSON.parse(sessionStorage.getItem('learnscape.run'))")
    frame = state(page, "s.frame")
    assert stored["version"] == 1 and stored["step"] == frame["step"] > 300
    assert stored["weights"] == frame["weights"]
    assert stored["config"] == state(page, "s.confirmed") and stored["config"]["hidden"] == [3]
    page.click("[data-testid=reset]")                           # a reset forgets it
    wait_state(page, "s.frame.step === 0")
    assert page.evaluate("() => sessionStorage.getItem('learnscape.run')") is None or \
        page.evaluate("() => JSON.parse(sessionStorage.getItem('learnscape.run')).step") == 0
