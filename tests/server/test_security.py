"""The door, against a real server on loopback: a Host that is not this server's gets 403 over
HTTP and websocket (DNS rebinding); the transport takes no message over the protocol's 64 KiB
(close 1009) and 8 connections flooding 1 MiB messages cost bounded memory; a loopback --host
is not warned about."""
import asyncio
import http.client
import json
import socket

import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from server import protocol as wire
from server.__main__ import is_loopback
from server.guard import host_names, split_host

FLOOD_BOUND_MB = 40


def get(port: int, path: str, host: str) -> int:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path, headers={"Host": host})
    status = c.getresponse().status
    c.close()
    return status


def test_a_foreign_host_gets_403_over_http_and_websocket(live_server):
    port = int(live_server.rsplit(":", 1)[1])
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert get(port, "/api/protocol", host) == 200, host
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", "", f"127.0.0.1.evil.example:{port}"):
        assert get(port, "/api/protocol", host) == 403, host
        assert get(port, "/", host) == 403, host

    async def scenario():
        url = f"ws://127.0.0.1:{port}/ws"
        # a rebinding page: its name resolves to 127.0.0.1, and the browser says so in Host and Origin
        sock = socket.create_connection(("127.0.0.1", port))
        with pytest.raises(InvalidStatus) as e:
            async with websockets.connect(f"ws://evil.example:{port}/ws", sock=sock,
                                          origin=f"http://evil.example:{port}"):
                pass
        assert e.value.response.status_code == 403
        async with websockets.connect(url, compression=None, max_size=None) as ws:   # its own name: fine
            assert json.loads(await ws.recv())["type"] == "hello"
    asyncio.run(scenario())


def test_host_names_and_ports():
    assert split_host("[::1]:8000") == ("[::1]", 8000) and split_host("LocalHost:80") == ("localhost", 80)
    assert split_host("a:b") == ("a", -1) and split_host("x") == ("x", None)
    names = host_names(["0.0.0.0", "myhost", "::1"], ["http://dev.example:5173"])
    assert {"127.0.0.1", "localhost", "[::1]", "myhost", "dev.example"} <= names and "0.0.0.0" not in names


@pytest.mark.parametrize("host, loop", [("127.0.0.1", True), ("127.1", True), ("localhost", True), ("::1", True),
                                        ("0.0.0.0", False), ("192.168.1.4", False)])
def test_loopback_hosts_are_not_warned_about(host, loop):
    assert is_loopback(host) is loop


def rss_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def test_oversized_messages_close_1009_and_flooding_costs_bounded_memory(server_process):
    server = server_process("--workers", "1")
    limit = wire.LIMITS["max_message_bytes"]

    async def one(big: bytes | str, flood: bool) -> int:
        """Send one over-limit message (or keep sending them) and read until the server closes."""
        async with websockets.connect(f"ws://127.0.0.1:{server.port}/ws", compression=None, max_size=None) as ws:
            for _ in range(3):
                await ws.recv()
            try:
                await ws.send(big)
                while flood:
                    await ws.send(big)
                async with asyncio.timeout(10):
                    while True:
                        await ws.recv()
            except ConnectionClosed:
                pass
            return ws.close_code

    async def sample(peak: list) -> None:
        while True:
            peak.append(rss_kb(server.proc.pid))
            await asyncio.sleep(0.02)

    async def scenario():
        # the limit itself: 64 KiB passes (and gets the protocol's own answer), one byte more closes 1009
        async with websockets.connect(f"ws://127.0.0.1:{server.port}/ws", compression=None, max_size=None) as ws:
            for _ in range(3):
                await ws.recv()
            pad = "x" * (limit - len('{"type":"play","pad":""}'))
            await ws.send('{"type":"play","pad":"%s"}' % pad)
            while (reply := json.loads(await ws.recv()))["type"] == "frame":
                await ws.recv()                                      # its maps
            assert reply["type"] == "error" and reply["field"] == "pad"
        assert await one("y" * (limit + 1), False) == 1009
        single = await asyncio.gather(*[one(b"z" * (1 << 20), False) for _ in range(8)])
        before, peak = rss_kb(server.proc.pid), []
        sampler = asyncio.create_task(sample(peak))
        flooded = await asyncio.gather(*[one(b"z" * (1 << 20), True) for _ in range(8)])
        sampler.cancel()
        for _ in range(5):                       # invalid UTF-8: 1007, and one line in the log
            async with websockets.connect(f"ws://127.0.0.1:{server.port}/ws") as ws:
                await ws.send(b"\xff\xfe", text=True)
                with pytest.raises(ConnectionClosed):
                    async with asyncio.timeout(10):
                        while True:
                            await ws.recv()
                assert ws.close_code == 1007
        return single, flooded, before, max(peak)

    single, flooded, before, peak = asyncio.run(scenario())
    assert single == [1009] * 8
    # a client still sending when the server closes may see the reset before the close frame (1006)
    assert set(flooded) <= {1009, 1006} and 1009 in flooded, flooded
    assert (peak - before) / 1024 < FLOOD_BOUND_MB, (before, peak)
    log = server.stop()
    assert "Traceback" not in log and log.count("Invalid UTF-8") == 1, log[:2000]
