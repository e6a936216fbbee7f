"""Drives one Session over one websocket: a receiver, a trainer loop and a sender.

Training runs in a worker thread so the event loop never blocks. Frames go out at most
``MAX_FPS`` times a second and only as fast as the client takes them: the newest frame replaces
any unsent one, so a slow reader costs one frame of memory, never a queue.
"""
from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

from starlette.websockets import WebSocket, WebSocketDisconnect

from .session import Session

MAX_FPS = 60
EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="train")


def dumps(message: dict) -> str:
    return json.dumps(message, allow_nan=False, separators=(",", ":"))


class Connection:
    def __init__(self, ws: WebSocket, session: Session | None = None):
        self.ws = ws
        self.session = session or Session()
        self.inbox: list = []
        self.wake = asyncio.Event()
        self.send_ready = asyncio.Event()
        self.sent = asyncio.Event()
        self.frame_slot: tuple | None = None
        self.closed = False

    async def run(self) -> None:
        for message in self.session.start():
            await self.ws.send_text(dumps(message))
        tasks = [asyncio.create_task(c) for c in (self._receive(), self._drive(), self._send())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.closed = True
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.session = None                      # release the trainer and everything it holds

    async def _receive(self) -> None:
        while True:
            try:
                m = await self.ws.receive()
            except (WebSocketDisconnect, RuntimeError):
                return
            if m["type"] == "websocket.disconnect":
                return
            self.inbox.append(m.get("text") if m.get("text") is not None else m.get("bytes"))
            self.wake.set()

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        period = 1.0 / MAX_FPS
        s = self.session
        while True:
            started = time.perf_counter()
            self.wake.clear()                        # before draining: nothing can slip between
            while self.inbox:
                s.handle(self.inbox.pop(0))
            if s.busy:
                await loop.run_in_executor(EXECUTOR, s.advance, started + period * 0.8)
            if s.dirty and self.frame_slot is None:
                self.frame_slot = await loop.run_in_executor(EXECUTOR, self._build_frame)
            if s.outbox or self.frame_slot is not None:
                self.sent.clear()
                self.send_ready.set()
                if s.busy:                           # let the frame leave before training resumes
                    try:
                        await asyncio.wait_for(self.sent.wait(), timeout=period * 0.25)
                    except asyncio.TimeoutError:
                        pass
            if s.busy:
                rest = period - (time.perf_counter() - started)
                if rest > 0:
                    await asyncio.sleep(rest)
                else:
                    await asyncio.sleep(0)
            elif not self.inbox:
                try:
                    await asyncio.wait_for(self.wake.wait(), timeout=period if s.dirty else 1.0)
                except asyncio.TimeoutError:
                    pass

    def _build_frame(self):
        message, maps = self.session.frame()
        return dumps(message), maps

    async def _send(self) -> None:
        s = self.session
        while True:
            await self.send_ready.wait()
            self.send_ready.clear()
            while s.outbox:
                await self.ws.send_text(dumps(s.outbox.pop(0)))
            if self.frame_slot is not None:
                text, maps = self.frame_slot
                await self.ws.send_text(text)
                if maps is not None:
                    await self.ws.send_bytes(maps)
                self.frame_slot = None               # only now may the next frame be built
            self.sent.set()
