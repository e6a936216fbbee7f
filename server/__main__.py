"""`python -m server`: start Learnscape on 127.0.0.1 (the next free port if 8000 is taken)."""
from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
import threading
import time
import webbrowser

import uvicorn
from uvicorn.supervisors import Multiprocess

from .app import ALLOW_ORIGINS_ENV
from .protocol import LIMITS

DEFAULT_WORKERS = max(1, min(2, os.cpu_count() or 1))


def free_port(host: str, start: int, tries: int = 50) -> int:
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn binds
            try:
                s.bind((host, port))
                return port
            except OSError:
                continue
    raise SystemExit(f"error: port: {start} to {start + tries - 1} are all taken; choose one with --port")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_warning(host: str) -> str:
    return (f"warning: binding {host}: other machines on the network can reach Learnscape; "
            "use the default 127.0.0.1 unless you mean it")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m server", description="Learnscape: watch a neural network learn.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; the next free one if taken)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    p.add_argument("--allow-origin", action="append", default=[], metavar="URL",
                   help="another page origin allowed to open the websocket (repeatable)")
    p.add_argument("--workers", type=int, default=DEFAULT_WORKERS, metavar="N",
                   help=f"worker processes sharing the sessions (default {DEFAULT_WORKERS}: "
                        "one per core, at most 2)")
    args = p.parse_args(argv)
    if args.workers < 1:
        p.error("--workers: at least 1")
    if not is_loopback(args.host):
        print(bind_warning(args.host), file=sys.stderr)
    port = free_port(args.host, args.port)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{port}/"
    print(f"Learnscape is running at {url}  (Ctrl+C stops it)", flush=True)
    # sessions share nothing, so a connection can live in any worker process: more workers, more cores
    os.environ[ALLOW_ORIGINS_ENV] = " ".join(args.allow_origin)
    config = uvicorn.Config("server.app:app_from_env", factory=True, host=args.host, port=port,
                            workers=args.workers, log_level="warning", ws_per_message_deflate=False,
                            ws_max_size=LIMITS["max_message_bytes"] * 16)
    if not args.no_browser:
        threading.Thread(target=open_when_up, args=(args.host, port, url), daemon=True).start()
    if args.workers > 1:
        sock = config.bind_socket()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)   # accepted sockets inherit it
        Multiprocess(config, sockets=[sock]).run()
    else:
        uvicorn.Server(config).run()


def open_when_up(host: str, port: int, url: str) -> None:
    for _ in range(200):
        try:
            socket.create_connection((host, port), timeout=0.1).close()
        except OSError:
            time.sleep(0.05)
            continue
        webbrowser.open(url)
        return


if __name__ == "__main__":
    main()
