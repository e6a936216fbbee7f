"""The websocket through Starlette's TestClient: the opening messages, frames with their binary
maps, errors that leave the session going, the Origin check, and a session released on close."""
import gc
import json
import weakref

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from server import connection, protocol as wire
from server.app import create_app
from server.session import Session


@pytest.fixture
def client():
    with TestClient(create_app(["http://localhost:5173"], hosts=["testserver"])) as c:
        yield c


def opening(ws) -> list[dict]:
    return [ws.receive_json() for _ in range(3)]


def next_frame(ws, skip_errors=False):
    """(frame, maps bytes or None, the control messages seen before it)."""
    seen = []
    while True:
        m = ws.receive()
        if m.get("text") is not None:
            msg = json.loads(m["text"])
            if msg["type"] == "frame":
                maps = None
                if msg["maps_seq"] is not None:
                    maps = ws.receive_bytes()
                return msg, maps, seen
            seen.append(msg)


def test_hello_dataset_status_arrive_first(client):
    with client.websocket_connect("/ws") as ws:
        hello, dataset, status = opening(ws)
    assert hello["type"] == "hello" and hello["protocol_version"] == wire.PROTOCOL_VERSION
    assert hello["limits"] == wire.LIMITS and hello["binary_layouts"] == wire.BINARY_LAYOUTS
    assert dataset["type"] == "dataset" and len(dataset["train"]) == 250
    assert status == {"type": "status", "state": "paused", "step": 0}
    for m in (hello, dataset, status):
        wire.server_adapter.validate_python(m)


def test_a_step_brings_a_frame_and_its_maps(client):
    with client.websocket_connect("/ws") as ws:
        opening(ws)
        ws.send_json({"type": "step", "n": 7})
        frame, maps, _ = next_frame(ws)
        while frame["step"] < 7:
            frame, maps, _ = next_frame(ws)
    assert frame["step"] == 7
    header, grids = wire.unpack_grids(maps)
    assert header["seq"] == frame["maps_seq"] and grids.shape == (9, 50, 50)
    wire.server_adapter.validate_python(frame)


def test_bad_messages_get_errors_and_the_session_goes_on(client):
    with client.websocket_connect("/ws") as ws:
        opening(ws)
        ws.send_text("this is not json")
        ws.send_json({"type": "fly"})
        ws.send_json({"type": "step", "n": 0})
        ws.send_bytes(b"\x01\x02\x03")
        ws.send_text(json.dumps({"type": "play", "pad": "x" * 70_000}))
        ws.send_json({"type": "set_config", "config": {"learning_rate": 0.5}})
        ws.send_json({"type": "step", "n": 3})
        errors, config = [], None
        while True:
            frame, _, seen = next_frame(ws)
            errors += [m for m in seen if m["type"] == "error"]
            config = next((m for m in seen if m["type"] == "config"), config)
            if frame["step"] == 3:
                break
    assert [e["field"] for e in errors] == ["message", "type", "n", "message", "message"]
    assert "1 ≤ x ≤ 10000" in errors[2]["message"] and errors[2]["code"] == "out_of_range"
    assert config["applied"] == "live" and frame["learning_rate"] == 0.5


def test_play_streams_frames_with_growing_steps(client):
    with client.websocket_connect("/ws") as ws:
        opening(ws)
        ws.send_json({"type": "set_view", "maps": False})
        ws.send_json({"type": "play"})
        steps = [next_frame(ws)[0]["step"] for _ in range(6)]
        ws.send_json({"type": "pause"})
    assert steps == sorted(steps) and steps[-1] > steps[0]


def test_same_origin_is_accepted(client):
    with client.websocket_connect("/ws", headers={"origin": "http://testserver"}) as ws:
        assert opening(ws)[0]["type"] == "hello"


def test_listed_origin_is_accepted(client):
    with client.websocket_connect("/ws", headers={"origin": "http://localhost:5173"}) as ws:
        assert opening(ws)[0]["type"] == "hello"


@pytest.mark.parametrize("origin", ["http://evil.example", "http://testserver.evil.example",
                                    "https://localhost:5173", "null", "file://"])
def test_cross_origin_websocket_is_refused(client, origin):
    with pytest.raises(WebSocketDisconnect) as e:
        with client.websocket_connect("/ws", headers={"origin": origin}) as ws:
            ws.receive_json()
    assert e.value.code == 1008


def test_origin_list_from_the_environment(monkeypatch):
    from server.app import ALLOW_ORIGINS_ENV, HOSTS_ENV, app_from_env
    monkeypatch.setenv(ALLOW_ORIGINS_ENV, "http://a.example http://b.example:8080")
    monkeypatch.setenv(HOSTS_ENV, "testserver")
    with TestClient(app_from_env()) as c:
        for origin in ("http://a.example", "http://b.example:8080"):
            with c.websocket_connect("/ws", headers={"origin": origin}) as ws:
                assert opening(ws)[0]["type"] == "hello"
        with pytest.raises(WebSocketDisconnect):
            with c.websocket_connect("/ws", headers={"origin": "http://c.example"}) as ws:
                ws.receive_json()


def test_the_session_is_released_when_the_socket_closes(client, monkeypatch):
    alive = weakref.WeakSet()

    class Tracked(Session):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            alive.add(self)

    monkeypatch.setattr(connection, "Session", Tracked)
    with client.websocket_connect("/ws") as ws:
        opening(ws)
        ws.send_json({"type": "play"})
        next_frame(ws)
        assert len(alive) == 1
    for _ in range(50):                                  # the server side notices the close
        gc.collect()
        if not alive:
            break
        import time
        time.sleep(0.05)
    assert len(alive) == 0
    assert client.app.state.load.sessions == 0
