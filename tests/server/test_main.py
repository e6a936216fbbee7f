"""`python -m server`: its help, the loopback default and the warning for anything else (tested
without binding another address), the next free port, worker processes, no websocket compression."""
import asyncio
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import websockets

import server.__main__ as cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _environment_restored(monkeypatch):
    """cli.main sets the variables its workers read; they must not outlive the test (an in-process
    server later in this run would read them)."""
    from server import app, classroom, load
    for key in (load.RECYCLE_ENV, load.STATE_DIR_ENV, app.ALLOW_ORIGINS_ENV, app.HOSTS_ENV, classroom.TOKEN_ENV):
        if key in cli.os.environ:
            monkeypatch.setenv(key, cli.os.environ[key])
        else:
            monkeypatch.delenv(key, raising=False)


def test_help_lists_the_flags():
    r = subprocess.run([sys.executable, "-m", "server", "--help"], cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0
    for flag in ("--host", "--port", "--no-browser", "--allow-origin", "--workers"):
        assert flag in r.stdout
    assert "127.0.0.1" in r.stdout


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("10.0.0.1", False),
    ("example.com", False), ("", False),
])
def test_is_loopback(host, loopback):
    assert cli.is_loopback(host) is loopback


def test_a_non_loopback_host_is_warned_about_before_binding(monkeypatch, capsys):
    def no_bind(host, port):
        raise SystemExit("stopped before binding")

    monkeypatch.setattr(cli, "free_port", no_bind)
    with pytest.raises(SystemExit, match="stopped before binding"):
        cli.main(["--host", "192.0.2.1", "--no-browser"])
    err = capsys.readouterr().err
    assert err.strip() == cli.bind_warning("192.0.2.1")
    assert "warning: binding 192.0.2.1" in err and "other machines" in err


def test_loopback_is_not_warned_about(monkeypatch, capsys):
    monkeypatch.setattr(cli, "free_port", lambda host, port: (_ for _ in ()).throw(SystemExit("x")))
    with pytest.raises(SystemExit):
        cli.main(["--no-browser"])
    assert capsys.readouterr().err == ""


def test_workers_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--workers", "0", "--no-browser"])
    assert "--workers" in capsys.readouterr().err


def test_free_port_skips_a_taken_one():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.free_port("127.0.0.1", port) > port


def test_the_server_moves_to_the_next_free_port(server_process):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        s = server_process("--port", str(port), "--workers", "1")
    assert s.port > port
    assert f"http://127.0.0.1:{s.port}/" in s.banner


def test_two_workers_serve_sessions_without_compression(server_process):
    s = server_process("--workers", "2", "--allow-origin", "http://dev.example:5173")

    async def scenario():
        url = f"ws://127.0.0.1:{s.port}/ws"
        conns = [await websockets.connect(url, compression="deflate") for _ in range(4)]
        try:
            for ws in conns:
                assert ws.response.headers.get("Sec-WebSocket-Extensions") is None   # refused
                assert json.loads(await ws.recv())["type"] == "hello"
            async with websockets.connect(url, origin="http://dev.example:5173") as ok:
                assert json.loads(await ok.recv())["type"] == "hello"
            with pytest.raises(websockets.exceptions.InvalidStatus):
                async with websockets.connect(url, origin="http://evil.example") as bad:
                    await bad.recv()
        finally:
            for ws in conns:
                await ws.close()

    asyncio.run(scenario())
    children = Path(f"/proc/{s.proc.pid}/task/{s.proc.pid}/children").read_text().split()
    python_children = [c for c in children if "python" in Path(f"/proc/{c}/cmdline").read_bytes().decode()]
    assert len(python_children) >= 2


def _stop_before_binding(monkeypatch):
    monkeypatch.setattr(cli, "free_port", lambda host, port: (_ for _ in ()).throw(SystemExit("not bound")))


@pytest.mark.parametrize("workers, given, expected", [
    ("2", None, "3,0.10"),          # on under the supervisor, which restarts a worker that exits
    ("2", "5,0.2", "5,0.2"),        # as set
    ("2", "off", "off"),
    ("1", "3,0.10", "off"),         # a lone process has no one to restart it
])
def test_idle_worker_restarts_are_on_only_under_the_supervisor(monkeypatch, workers, given, expected):
    from server.load import RECYCLE_ENV
    if given is None:
        monkeypatch.delenv(RECYCLE_ENV, raising=False)
    else:
        monkeypatch.setenv(RECYCLE_ENV, given)
    _stop_before_binding(monkeypatch)
    with pytest.raises(SystemExit, match="not bound"):
        cli.main(["--workers", workers, "--no-browser"])
    assert cli.os.environ[RECYCLE_ENV] == expected


def test_a_malformed_restart_setting_is_refused_with_what_is_allowed(monkeypatch, capsys):
    from server.load import RECYCLE_ENV
    monkeypatch.setenv(RECYCLE_ENV, "three seconds")
    _stop_before_binding(monkeypatch)
    with pytest.raises(SystemExit) as stop:
        cli.main(["--workers", "2", "--no-browser"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "LEARNSCAPE_RECYCLE='three seconds'" in err and "allowed: off, or 'idle seconds,growth'" in err
