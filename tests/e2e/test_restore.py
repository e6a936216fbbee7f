"""Issue 13: a session survives a killed worker and a reload. The page offers back the run it had
seen (`restore`: config, weights, step, epoch) and resumes there with the same weights, playing on
if it was playing; a run too large to offer back starts afresh with its config and says so."""
import json
import os
import signal

import pytest

from app_driver import open_app, state, wait_state

pytestmark = pytest.mark.e2e
LOST = pytest.mark.console_errors(r"WebSocket connection to .* failed")     # while the server is down


class Wire:
    """Every JSON message of each websocket the page opens: wire.sockets[k] = [(dir, msg), ...]."""

    def __init__(self, page):
        self.sockets = []
        page.on("websocket", self._opened)

    def _opened(self, ws):
        log = []
        self.sockets.append(log)
        ws.on("framereceived", lambda p: isinstance(p, str) and log.append(("in", json.loads(p))))
        ws.on("framesent", lambda p: isinstance(p, str) and log.append(("out", json.loads(p))))

    def connected(self) -> list[list]:
        """The sockets that reached the server (a hello came), not the attempts while it was down."""
        return [log for log in self.sockets if any(m["type"] == "hello" for _, m in log)]

    def of(self, k: int, direction: str, type_: str) -> list[dict]:
        return [m for d, m in self.connected()[k] if d == direction and m["type"] == type_]

    def after_restore(self, k: int) -> list[dict]:
        """What socket k received from the `config` that answered its restore on."""
        log = [m for d, m in self.connected()[k] if d == "in"]
        start = next(i for i, m in enumerate(log) if m["type"] == "config" and m["applied"] == "restored")
        return log[start:]


def resumed_where_it_was(wire: Wire, k: int, seen: dict) -> None:
    """Socket k offered back `seen` (a frame) and the server resumed exactly there."""
    (sent,) = wire.of(k, "out", "restore")
    assert sent["step"] == seen["step"] and sent["epoch"] == seen["epoch"]
    assert sent["run"]["weights"] == seen["weights"] and sent["run"]["version"] == 1
    answer = wire.after_restore(k)
    status = next(m for m in answer if m["type"] == "status")
    first = next(m for m in answer if m["type"] == "frame")
    assert status["state"] == "paused" and status["step"] == seen["step"]
    assert first["step"] == seen["step"] and first["epoch"] == seen["epoch"]
    assert first["weights"] == seen["weights"]                   # the same floats, exactly
    assert first["loss_train"] == pytest.approx(seen["loss_train"], rel=1e-12)


@LOST
def test_a_killed_worker_the_page_resumes_at_the_step_and_weights_it_had_seen(page, make_server, tmp_path):
    srv = make_server(args=("--workers", "2"))
    workers = srv.workers(2)
    assert len(workers) == 2
    wire = Wire(page)
    open_app(page, srv, "dataset=xor&hidden=5,3&optimizer=adam&learning_rate=0.01&seed=11")
    wait_state(page, "s.config.hidden.join() === '5,3' && s.frame.weights.length === 3")
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'running' && s.frame.step > 600", timeout=30_000)
    for pid in workers:                                          # nothing of the session survives
        os.kill(pid, signal.SIGKILL)
    wait_state(page, "s.connection !== 'open' || s.frame.step < 0")
    seen = state(page, "s.frame")                                # the newest frame the page had
    # it reconnects to a new worker, offers the run back, resumes there and plays on
    wait_state(page, "s.connection === 'open' && s.status === 'running' && s.frame.step > arg + 100",
               arg=seen["step"], timeout=30_000)
    assert set(srv.workers(2)).isdisjoint(workers)
    resumed_where_it_was(wire, 1, seen)
    assert wire.of(1, "out", "play")                             # it was playing, so it plays again
    # the page never showed the fresh session it met first: no step-0 frame, its loss curve kept
    history = state(page, "s.history.step")
    assert history[0] < 100 and seen["step"] in history
    assert state(page, "s.config.hidden") == [5, 3] and state(page, "s.config.seed") == 11
    page.screenshot(path=str(tmp_path / "resumed.png"))


def test_a_reload_mid_training_resumes_where_it_was(page, server, tmp_path):
    wire = Wire(page)
    # what the page had when it went away (its newest frame at `pagehide`), kept for this test
    page.add_init_script("""addEventListener("pagehide", () => sessionStorage.setItem("test.seen",
      JSON.stringify(window.learnscape.state.frame)))""")
    open_app(page, server, "dataset=circle&hidden=6&learning_rate=0.1&seed=5")
    page.click("[data-testid=play]")
    wait_state(page, "s.status === 'running' && s.frame.step > 500", timeout=30_000)
    page.reload()
    wait_state(page, "s.connection === 'open' && s.status === 'running' && s.frame && s.frame.step > 0",
               timeout=30_000)
    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('test.seen'))")
    assert seen["step"] > 500
    resumed_where_it_was(wire, 1, seen)
    assert wire.of(1, "out", "play")
    assert state(page, "s.config.hidden") == [6] and state(page, "s.config.learning_rate") == 0.1


@LOST
def test_a_run_too_large_to_offer_back_starts_afresh_with_its_config_and_says_so(page, make_server, tmp_path):
    srv = make_server()
    wire = Wire(page)
    hidden = "32,32,32,32,32"                                    # 4,353 weights: ~90 kB as JSON
    open_app(page, srv, f"hidden={hidden}&seed=3")
    wait_state(page, "s.config.hidden.join() === arg && s.frame.weights.length === 6", arg=hidden)
    page.click("[data-testid=play]")
    wait_state(page, "s.frame.step > 50", timeout=30_000)
    srv.stop(hard=True)
    wait_state(page, "s.connection !== 'open'")
    make_server(srv.port)
    notice = page.locator("[data-testid=notice]")
    notice.wait_for(state="visible", timeout=30_000)
    assert "too large" in notice.inner_text()
    wait_state(page, "s.connection === 'open' && s.confirmed.hidden.join() === arg && s.frame.step === 0"
                     " && s.frame.weights.length === 6", arg=hidden, timeout=30_000)
    page.wait_for_timeout(1500)                                  # and it stays connected: no loop
    assert len(wire.connected()) == 2 and state(page, "s.connection") == "open"
    assert not wire.of(1, "out", "restore")
    assert state(page, "s.config.seed") == 3
    page.screenshot(path=str(tmp_path / "fresh.png"))
    page.evaluate("() => window.learnscape.actions.setLanguage('zh')")
    page.wait_for_function("() => /太大/.test(document.querySelector('[data-testid=notice]').textContent)")
