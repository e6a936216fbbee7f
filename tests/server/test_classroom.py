"""Classroom mode and workers, as they ship (`python -m server`, real websocket clients on
loopback): no token, nothing served; the token once, then its cookie; a session limit per
machine; the teacher's page in English and 中文. Connections spread over the worker processes."""
import asyncio
import http.client
import json
import re
import time

import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from server.classroom import MAX_SESSIONS_PER_CLIENT


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, str, dict]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    out = r.status, r.read().decode("utf-8", "replace"), dict(r.getheaders())
    c.close()
    return out


async def hello(port: int, headers: dict | None = None):
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws", compression=None, max_size=None,
                                  additional_headers=headers or {})
    first = json.loads(await asyncio.wait_for(ws.recv(), 10))
    return ws, first


def test_classroom_needs_the_token_and_limits_sessions_per_machine(server_process):
    server = server_process("--classroom", "--workers", "1")
    token = re.search(r"\?token=([\w-]+)", server.banner).group(1)
    port = server.port
    for path in ("/", "/api/protocol", "/static/main.js", "/classroom", f"/?token={token}x"):
        assert get(port, path)[0] == 403, path
    status, _, headers = get(port, f"/?token={token}")
    assert status == 200 and headers["set-cookie"].startswith(f"learnscape_token={token};")
    cookie = {"Cookie": f"learnscape_token={token}"}
    assert get(port, "/static/main.js", cookie)[0] == 200            # the page's own requests

    async def scenario():
        with pytest.raises(InvalidStatus) as e:
            await hello(port)
        assert e.value.response.status_code == 403
        opened = [await hello(port, cookie) for _ in range(MAX_SESSIONS_PER_CLIENT)]
        assert all(first["type"] == "hello" for _, first in opened)
        time.sleep(0.2)
        page = get(port, f"/classroom?token={token}")[1]
        page_zh = get(port, "/classroom?lang=zh", cookie)[1]
        extra, refused = await hello(port, cookie)                    # one too many from this machine
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(extra.recv(), 10)
        for ws, _ in opened:
            await ws.close()
        return page, page_zh, refused, extra.close_code

    page, page_zh, refused, code = asyncio.run(scenario())
    assert re.search(rf'data-testid="sessions">{MAX_SESSIONS_PER_CLIENT}<', page), page
    assert "Live sessions" in page and "在线会话" in page_zh and 'lang="zh"' in page_zh
    assert refused["type"] == "error" and refused["code"] == "session_limit" and code == 1008
    assert str(MAX_SESSIONS_PER_CLIENT) in refused["message"]


def test_connections_spread_over_the_workers(server_process):
    server = server_process("--workers", "2")

    async def scenario():
        sockets = [await hello(server.port) for _ in range(16)]
        time.sleep(0.3)
        load = json.loads(get(server.port, "/api/load")[1])
        for ws, _ in sockets:
            await ws.close()
        return load

    load = asyncio.run(scenario())
    counts = sorted(w["sessions"] for w in load["workers"])
    assert len(counts) == 2 and sum(counts) == 16 and counts[0] >= 2, load    # all 16 in one: 2 in 65,536
