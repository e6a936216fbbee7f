"""The door: every HTTP request and websocket handshake passes here before the app sees it.

- The ``Host`` header must name this server (DNS rebinding: a page on evil.example whose name
  now points at 127.0.0.1 still says ``Host: evil.example``): 127.0.0.1, localhost or [::1] with
  this port, or a name given with --host / --allow-origin. Anything else gets 403.
- In classroom mode, an access token is needed for everything: ``?token=...`` once (it is then
  kept in a cookie for the page's own requests and its websocket), else 403.
"""
from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import parse_qs, urlsplit

LOCAL_NAMES = {"127.0.0.1", "localhost", "[::1]"}
COOKIE = "learnscape_token"


def host_names(hosts: list[str], allow_origins: list[str]) -> set[str]:
    """The names (lower case, IPv6 in brackets) a Host header may carry, besides the local ones."""
    names = set(LOCAL_NAMES)
    for h in hosts:
        if h and h not in ("0.0.0.0", "::"):
            names.add(f"[{h}]" if ":" in h and not h.startswith("[") else h.lower())
    for origin in allow_origins:
        if urlsplit(origin).hostname:
            host = urlsplit(origin).hostname
            names.add(f"[{host}]" if ":" in host else host.lower())
    return names


def split_host(value: str) -> tuple[str, int | None]:
    """"name:port" -> (name, port); "[::1]:8000" -> ("[::1]", 8000); no port -> None."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value.partition("]")
        name += "]"
        port = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port = value.partition(":")
    try:
        return name, int(port) if port else None
    except ValueError:
        return name, -1


def is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        return False


class Guard:
    """ASGI middleware: Host check, then (classroom) the token. ``any_ip``: an IP literal in Host
    is fine too (a classroom reached at the laptop's address; rebinding needs a name)."""

    def __init__(self, app, names: set[str], token: str | None = None, any_ip: bool = False):
        self.app, self.names, self.token, self.any_ip = app, names, token, any_ip

    def host_ok(self, scope) -> bool:
        headers = dict(scope.get("headers") or [])
        name, port = split_host(headers.get(b"host", b"").decode("latin-1"))
        server_port = (scope.get("server") or (None, None))[1]
        if port != server_port and not (port is None and server_port == 80):
            return False
        return name in self.names or (self.any_ip and is_ip_literal(name))

    def token_of(self, scope) -> str | None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if query.get("token"):
            return query["token"][0]
        for key, value in dict(scope.get("headers") or []).items():
            if key == b"cookie":
                for part in value.decode("latin-1").split(";"):
                    k, _, v = part.strip().partition("=")
                    if k == COOKIE:
                        return v
        return None

    def token_ok(self, scope) -> bool:
        if self.token is None:
            return True
        given = self.token_of(scope)
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        if not self.host_ok(scope):
            return await refuse(scope, receive, send, b"Host not allowed: this server answers to its own name only\n")
        if not self.token_ok(scope):
            return await refuse(scope, receive, send, b"Classroom mode: open the link with ?token=... "
                                                      b"that the teacher's terminal printed\n")
        if self.token and scope["type"] == "http" and b"token=" in scope.get("query_string", b""):
            send = with_cookie(send, self.token)          # the page's own requests carry it from now on
        return await self.app(scope, receive, send)


def with_cookie(send, token: str):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode()
            message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
        await send(message)
    return wrapped


async def refuse(scope, receive, send, body: bytes) -> None:
    """403 over HTTP; for a websocket, 403 before the handshake (the ASGI denial response)."""
    kind = "websocket.http.response" if scope["type"] == "websocket" else "http.response"
    if scope["type"] == "websocket":
        await receive()                                   # websocket.connect
        if "websocket.http.response" not in scope.get("extensions", {}):
            await send({"type": "websocket.close", "code": 1008})
            return
    await send({"type": f"{kind}.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": f"{kind}.body", "body": body})
