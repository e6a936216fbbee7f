"""Wiring only: the page, plotly.js from the installed plotly package, the protocol schema and
the websocket, behind an Origin check and a Content-Security-Policy."""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, WebSocket
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

import numpy as np

from engine import datasets

from . import protocol
from .connection import Connection

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


ALLOW_ORIGINS_ENV = "LEARNSCAPE_ALLOW_ORIGINS"      # how `python -m server` tells its workers


def app_from_env() -> FastAPI:
    """The app for a uvicorn worker process: the allowed origins come space-separated in the
    environment, since a worker is started from an import string, not handed arguments."""
    sys.setswitchinterval(0.001)        # the event loop waits at most 1 ms for the training thread
    return create_app(os.environ.get(ALLOW_ORIGINS_ENV, "").split())


def create_app(allow_origins: list[str] | None = None) -> FastAPI:
    app = FastAPI(title="Learnscape", docs_url=None, redoc_url=None)
    allowed = {o.rstrip("/") for o in (allow_origins or [])}
    app.state.sessions = 0

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

    @app.websocket("/ws")
    async def ws(websocket: WebSocket):
        if not origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host"), allowed):
            await websocket.close(code=1008)           # policy violation: another site's page
            return
        await websocket.accept()
        app.state.sessions += 1
        try:
            await Connection(websocket).run()
        finally:
            app.state.sessions -= 1

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
