"""What the browser tests share: the server as a subprocess, Chromium's launch options, and small
helpers that load the page and wait on its state (window.learnscape.state)."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 720}
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m server` in a subprocess; start() waits until the port accepts connections."""

    def __init__(self, log: Path, port: int | None = None, args: tuple = ()):
        self.log, self.port, self.proc, self.args = log, port or free_port(), None, tuple(args)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 20.0) -> "Server":
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONUNBUFFERED="1")
        out = open(self.log, "a")
        self.proc = subprocess.Popen([PYTHON, "-m", "server", "--no-browser", "--port", str(self.port), *self.args],
                                     cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)     # its own group: workers die with it
        out.close()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}):\n{self.log.read_text()}")
            m = re.findall(r"running at http://127\.0\.0\.1:(\d+)/", self.log.read_text())
            if m:
                assert int(m[-1]) == self.port, f"server took port {m[-1]}, not {self.port}"
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                    return self
                except OSError:
                    pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server did not come up on {self.port}:\n{self.log.read_text()}")

    def stop(self, hard: bool = False) -> None:
        """Stop the server and its worker processes (SIGTERM, or SIGKILL when `hard`)."""
        if self.proc is None:
            return
        self._signal(signal.SIGKILL if hard else signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.proc.wait(timeout=5)
        end = time.monotonic() + 5
        while self._group_alive() and time.monotonic() < end:      # workers outlive a killed parent
            time.sleep(0.05)
        if self._group_alive():
            self._signal(signal.SIGKILL)

    def workers(self, n: int, seconds: float = 20.0) -> list[int]:
        """The pids of its `n` worker processes (its children but multiprocessing's resource tracker)."""
        end = time.monotonic() + seconds
        while True:
            pids = [int(c) for t in Path(f"/proc/{self.proc.pid}/task").iterdir()
                    for c in (t / "children").read_text().split()
                    if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()]
            if len(pids) >= n or time.monotonic() > end:
                return pids
            time.sleep(0.1)

    def _signal(self, sig) -> None:
        try:
            os.killpg(self.proc.pid, sig)        # the group this server leads: it and its workers
        except ProcessLookupError:
            pass

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
            return True
        except ProcessLookupError:
            return False


# -- page helpers --------------------------------------------------------------------------------
def open_app(page, server: Server, hash: str = "") -> None:
    """Load the page and wait until it has a frame, its config, its charts and its diagram."""
    page.goto(server.url + (("#" + hash) if hash else ""))
    page.wait_for_function("""() => {
      const ls = window.learnscape;
      return ls && ls.state.connection === "open" && ls.state.config && ls.state.frame && ls.state.dataset
        && document.querySelector('[data-testid=loss_chart]').dataset.points
        && document.querySelector('[data-testid=param_count]').textContent !== ''
        && document.querySelector('#network .node:not(.input)');
    }""")


def state(page, expr: str):
    """Evaluate an expression over `s`, the page's state object."""
    return page.evaluate(f"(() => {{ const s = window.learnscape.state; return {expr}; }})()")


def wait_state(page, cond: str, timeout: float = 15_000, arg=None) -> None:
    """Wait until `cond` (over `s`, the state, and `arg`) holds."""
    page.wait_for_function(f"(arg) => {{ const s = window.learnscape.state; return {cond}; }}", arg=arg,
                           timeout=timeout)


def settle(page, quiet_ms: int = 300) -> int:
    """Wait until training is not running and the step has not moved for `quiet_ms`; the step."""
    page.wait_for_function("""(quiet) => {
      const s = window.learnscape.state, w = window.__settle || (window.__settle = {});
      const now = performance.now(), step = s.frame && s.frame.step;
      if (s.status === "running" || step !== w.step) { w.step = step; w.since = now; return false; }
      return now - w.since >= quiet;
    }""", arg=quiet_ms, polling=50)
    page.evaluate("delete window.__settle")
    return state(page, "s.frame.step")


def set_learning_rate_slider(page, log10: float) -> None:
    """Move the learning-rate range input as a user's drag does: value, then an input event."""
    page.eval_on_selector("[data-testid=learning_rate]", """(el, v) => {
      el.focus(); el.value = String(v); el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true })); el.blur();
    }""", log10)


def host_of(url: str) -> str | None:
    return urlsplit(url).hostname
