"""Wiring only: the page, plotly.js from the installed plotly package, the protocol schema and
the websocket, behind the guard (Host check, classroom token), an Origin check and a
Content-Security-Policy. Unexpected errors close a websocket with 1011 and are logged once."""
from __future__ import annotations

import asyncio
import os
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

import numpy as np

from engine import datasets

from . import classroom, lessons, messages, protocol
from .connection import Connection
from .guard import Guard, host_names
from .load import STATE_DIR_ENV, Load
from .logs import Failures, quiet_client_errors

STATIC = Path(__file__).resolve().parent.parent / "static"
PLOTLY_JS = resources.files("plotly") / "package_data" / "plotly.min.js"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def origin_allowed(origin: str | None, host: str | None, allowed: set[str]) -> bool:
    """Same origin (the Origin's host:port is the Host we were reached at) or explicitly allowed.
    A client that sends no Origin is not a browser page, so no other site is driving it."""
    if origin is None:
        return True
    if origin in allowed:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc == host


@lru_cache(maxsize=1)
def dataset_previews(n: int = 160) -> dict:
    """A few points of every dataset, for the picker's thumbnails."""
    out = {}
    for name in datasets.DATASETS:
        P, y = datasets.generate(name, n, 0.0, seed=0)
        out[name] = np.round(np.column_stack([P, y]), 3).tolist()
    return out


# how `python -m server` tells its workers (started from an import string, not handed arguments)
ALLOW_ORIGINS_ENV = "LEARNSCAPE_ALLOW_ORIGINS"
HOSTS_ENV = "LEARNSCAPE_HOSTS"


def app_from_env() -> FastAPI:
    """The app for a uvicorn worker process, configured from the environment."""
    sys.setswitchinterval(0.001)        # the event loop waits at most 1 ms for the training thread
    env = os.environ.get
    return create_app(env(ALLOW_ORIGINS_ENV, "").split(), hosts=env(HOSTS_ENV, "").split(),
                      token=env(classroom.TOKEN_ENV) or None, state_dir=env(STATE_DIR_ENV) or None)


def create_app(allow_origins: list[str] | None = None, hosts: list[str] | None = None,
               token: str | None = None, state_dir: str | None = None,
               per_client: int = classroom.MAX_SESSIONS_PER_CLIENT) -> FastAPI:
    app = FastAPI(title="Learnscape", docs_url=None, redoc_url=None)
    quiet_client_errors()
    allowed = {o.rstrip("/") for o in (allow_origins or [])}
    app.state.load, app.state.failures, app.state.ticker = Load(state_dir), Failures(), None
    load = app.state.load
    app.add_middleware(Guard, names=host_names(hosts or [], list(allowed)), token=token, any_ip=token is not None)

    @app.middleware("http")
    async def security_headers(request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/")
    async def index():
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/vendor/plotly.min.js")
    async def plotly_js():
        return FileResponse(str(PLOTLY_JS), media_type="text/javascript",
                            headers={"Cache-Control": "max-age=86400"})

    @app.get("/api/protocol")
    async def protocol_schema():
        return JSONResponse(protocol.schema())

    @app.get("/api/previews")
    async def previews():
        return JSONResponse(dataset_previews())

    @app.get("/api/lessons")
    async def lessons_catalogue():
        return JSONResponse(lessons.catalogue())

    @app.get("/api/load")
    async def load_now():
        return JSONResponse({"workers": load.workers(), "per_client": per_client if token else None})

    if token is not None:
        @app.get("/classroom")
        async def classroom_page(request: Request, lang: str | None = None):
            text = classroom.render(STATIC / "classroom.html", load.workers(),
                                    classroom.language(lang, request.headers.get("accept-language")), per_client)
            return HTMLResponse(text, headers={"Cache-Control": "no-store"})

    @app.websocket("/ws")
    async def ws(websocket: WebSocket):
        if not origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host"), allowed):
            await websocket.close(code=1008)           # policy violation: another site's page
            return
        client = websocket.client.host if websocket.client else "?"
        await websocket.accept()
        if token is not None and (count := load.sessions_of(client)) >= per_client:
            await websocket.send_text(Connection.encode(messages.error("session_limit", "session", count=count,
                                                                       limit=per_client)))
            await websocket.close(code=1008, reason="classroom: session limit per machine")
            return
        if app.state.ticker is None:
            app.state.ticker = asyncio.create_task(tick(load))
        load.opened(client)
        try:
            await Connection(websocket, load=load).run()
        except Exception as e:                          # noqa: BLE001  a bug: say 1011, log it once
            app.state.failures.report(e)
            try:
                await websocket.close(code=1011)
            except Exception:                           # noqa: BLE001  already gone
                pass
        finally:
            load.closed(client)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


async def tick(load: Load) -> None:
    while True:
        await asyncio.sleep(1.0)
        load.tick()
