"""Running the app under uvicorn: the transport's limits (the protocol's own message size, a short
queue), and several worker processes each with a listening socket of its own (SO_REUSEPORT), so
the kernel spreads connections across them instead of one worker taking a burst."""
from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

from .protocol import LIMITS

WS_MAX_QUEUE = 4                   # received messages the transport holds before it stops reading


def uvicorn_config(app, host: str, port: int, **options) -> uvicorn.Config:
    """Every uvicorn we start (python -m server, the tests, the benches) goes through here."""
    return uvicorn.Config(app, host=host, port=port, log_level=options.pop("log_level", "warning"),
                          ws_per_message_deflate=False, ws_max_size=LIMITS["max_message_bytes"],
                          ws_max_queue=WS_MAX_QUEUE, **options)


def listening_socket(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)    # accepted sockets inherit it
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class Workers(Multiprocess):
    """uvicorn's supervisor (it restarts a worker that dies), but worker i listens on socket i."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]):
        super().__init__(config, sockets)
        self.own = sockets

    def init_processes(self) -> None:
        for i in range(self.processes_num):
            process = Process(self.config, [self.own[i]])
            process.start()
            self.processes.append(process)

    def restart_all(self) -> None:                 # SIGHUP: stop and start each, in turn
        for i, old in enumerate(self.processes):
            old.terminate()
            old.join()
            self.processes[i] = Process(self.config, [self.own[i]])
            self.processes[i].start()

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for i, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if self.should_exit.is_set():
                return
            self.processes[i] = Process(self.config, [self.own[i]])
            self.processes[i].start()


def run(config: uvicorn.Config, workers: int, spread: str = "reuseport") -> None:
    """One process, or `workers` processes: with "reuseport" a socket each, with "shared" one
    socket they all accept from (uvicorn's default; kept to measure against)."""
    if workers <= 1:
        uvicorn.Server(config).run()
        return
    if spread == "reuseport" and hasattr(socket, "SO_REUSEPORT"):
        Workers(config, [listening_socket(config.host, config.port, True) for _ in range(workers)]).run()
    else:
        Multiprocess(config, sockets=[listening_socket(config.host, config.port, False)]).run()
