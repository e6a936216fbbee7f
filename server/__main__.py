"""`python -m server`: start Learnscape on 127.0.0.1 (the next free port if 8000 is taken)."""
from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
import threading
import webbrowser

import uvicorn

from .app import create_app
from .protocol import LIMITS


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


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m server", description="Learnscape: watch a neural network learn.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; the next free one if taken)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    p.add_argument("--allow-origin", action="append", default=[], metavar="URL",
                   help="another page origin allowed to open the websocket (repeatable)")
    args = p.parse_args(argv)
    if not is_loopback(args.host):
        print(f"warning: binding {args.host}: other machines on the network can reach Learnscape; "
              "use the default 127.0.0.1 unless you mean it", file=sys.stderr)
    port = free_port(args.host, args.port)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{port}/"
    print(f"Learnscape is running at {url}  (Ctrl+C stops it)", flush=True)
    config = uvicorn.Config(create_app(args.allow_origin), host=args.host, port=port, log_level="warning",
                            ws_per_message_deflate=False, ws_max_size=LIMITS["max_message_bytes"] * 16)
    server = uvicorn.Server(config)
    if not args.no_browser:
        def open_when_up():
            import time
            for _ in range(100):
                if server.started:
                    webbrowser.open(url)
                    return
                time.sleep(0.05)
        threading.Thread(target=open_when_up, daemon=True).start()
    server.run()


if __name__ == "__main__":
    main()
