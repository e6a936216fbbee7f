"""`python -m server`: start Learnscape on 127.0.0.1 (the next free port if 8000 is taken)."""
from __future__ import annotations

import argparse
import atexit
import ipaddress
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import webbrowser

from . import classroom
from .app import ALLOW_ORIGINS_ENV, HOSTS_ENV
from .load import RECYCLE_DEFAULT, RECYCLE_ENV, STATE_DIR_ENV, parse_recycle
from .serve import run, uvicorn_config

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
    """127.0.0.1, 127.1, ::1, localhost: every address the name stands for is this machine's."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        return ipaddress.ip_address(socket.inet_aton(host)).is_loopback      # short forms: 127.1
    except OSError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0].split("%")[0]).is_loopback for i in infos)


def lan_address() -> str:
    """This machine's address on the network (no packet is sent), for the classroom link."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


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
    p.add_argument("--classroom", action="store_true",
                   help="serve a class: an access token in the link, a session limit per machine, "
                        "and a teacher's page at /classroom")
    p.add_argument("--spread", choices=["reuseport", "shared"], default="reuseport",
                   help="how worker processes share connections (default: a socket each, SO_REUSEPORT)")
    args = p.parse_args(argv)
    if args.workers < 1:
        p.error("--workers: at least 1")
    # an idle worker that grew restarts itself (server/load.py): only where a supervisor restarts it
    recycle = os.environ.get(RECYCLE_ENV) or RECYCLE_DEFAULT if args.workers > 1 else "off"
    try:
        parse_recycle(recycle)
    except ValueError as e:
        p.error(str(e))
    os.environ[RECYCLE_ENV] = recycle
    if not is_loopback(args.host):
        print(bind_warning(args.host), file=sys.stderr)
    port = free_port(args.host, args.port)
    shown_host = lan_address() if args.host in ("0.0.0.0", "::") else args.host
    shown = f"[{shown_host}]" if ":" in shown_host else shown_host
    url = f"http://{shown}:{port}/"
    # sessions share nothing, so a connection can live in any worker process: more workers, more cores
    os.environ[ALLOW_ORIGINS_ENV] = " ".join(args.allow_origin)
    os.environ[HOSTS_ENV] = " ".join({args.host, shown_host, socket.gethostname()})
    os.environ[STATE_DIR_ENV] = state_dir = tempfile.mkdtemp(prefix="learnscape-")   # workers' load
    atexit.register(shutil.rmtree, state_dir, True)
    if args.classroom:
        token = os.environ[classroom.TOKEN_ENV] = classroom.new_token()
        url = f"{url}?token={token}"
        print(f"Learnscape classroom is running at {url}  (Ctrl+C stops it)", flush=True)
        print(f"Teacher's page: http://{shown}:{port}/classroom?token={token}", flush=True)
    else:
        os.environ.pop(classroom.TOKEN_ENV, None)
        print(f"Learnscape is running at {url}  (Ctrl+C stops it)", flush=True)
    config = uvicorn_config("server.app:app_from_env", args.host, port, factory=True, workers=args.workers)
    if not args.no_browser:
        threading.Thread(target=open_when_up, args=(args.host, port, url), daemon=True).start()
    run(config, args.workers, args.spread)


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
