"""The HTTP side of the app: the page, plotly.js from the installed package, the protocol schema,
each behind the Content-Security-Policy; and the Origin rule on its own."""
import pytest
from fastapi.testclient import TestClient

from server import protocol
from server.app import CSP, PLOTLY_JS, create_app, origin_allowed


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(hosts=["testserver"])) as c:
        yield c


def assert_locked_down(response):
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"


def test_csp_allows_only_our_own_scripts():
    rules = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert rules["script-src"] == "'self'"
    assert rules["default-src"] == "'self'" and rules["connect-src"] == "'self'"
    assert rules["object-src"] == "'none'" and rules["frame-ancestors"] == "'none'"
    assert "http" not in CSP and "*" not in CSP                  # no other host, no wildcard


def test_page_is_served_with_the_csp(client):
    r = client.get("/")
    assert_locked_down(r)
    assert r.headers["content-type"].startswith("text/html")
    assert "<html" in r.text and "/vendor/plotly.min.js" in r.text


def test_plotly_comes_from_the_installed_package(client):
    r = client.get("/vendor/plotly.min.js")
    assert_locked_down(r)
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.content == PLOTLY_JS.read_bytes()
    assert len(r.content) > 1_000_000


def test_static_files_carry_the_csp(client):
    r = client.get("/static/protocol.js")
    assert_locked_down(r)
    assert "PROTOCOL_VERSION" in r.text


def test_errors_carry_the_csp_too(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert r.headers["content-security-policy"] == CSP


def test_protocol_schema(client):
    r = client.get("/api/protocol")
    assert_locked_down(r)
    body = r.json()
    assert body == protocol.schema()
    assert set(body["client"]["discriminator"]["mapping"]) == set(protocol.CLIENT_TYPES)
    assert set(body["server"]["discriminator"]["mapping"]) == set(protocol.SERVER_TYPES)


@pytest.mark.parametrize("origin, host, allowed, ok", [
    (None, "127.0.0.1:8000", set(), True),                       # not a browser page
    ("http://127.0.0.1:8000", "127.0.0.1:8000", set(), True),    # same origin
    ("https://127.0.0.1:8000", "127.0.0.1:8000", set(), True),
    ("http://127.0.0.1:8001", "127.0.0.1:8000", set(), False),   # another port is another origin
    ("http://localhost:8000", "127.0.0.1:8000", set(), False),
    ("http://evil.example", "127.0.0.1:8000", set(), False),
    ("http://evil.example", None, set(), False),
    ("null", "127.0.0.1:8000", set(), False),                    # sandboxed or file:// pages
    ("ws://127.0.0.1:8000", "127.0.0.1:8000", set(), False),
    ("http://dev.example:5173", "127.0.0.1:8000", {"http://dev.example:5173"}, True),
])
def test_origin_rule(origin, host, allowed, ok):
    assert origin_allowed(origin, host, allowed) is ok


def test_allow_origin_ignores_a_trailing_slash():
    with TestClient(create_app(["http://dev.example:5173/"], hosts=["testserver"])) as c:
        with c.websocket_connect("/ws", headers={"origin": "http://dev.example:5173"}) as ws:
            assert ws.receive_json()["type"] == "hello"
