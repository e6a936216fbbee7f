"""Drives one Session over one websocket: a receiver, a trainer loop and a sender.

Training runs on the process's one training thread, in slices of a few milliseconds, so the
event loop never blocks and the sessions of a process take turns (more cores: more worker
processes, see __main__). Each frame period the session trains until the period's end, less the
time a frame takes to build and send. Frames go out at most ``MAX_FPS`` times a second and only
as fast as the client takes them: the newest frame replaces any unsent one, so a slow reader costs
one frame of memory, never a queue.
"""
from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from starlette.websockets import WebSocket, WebSocketDisconnect

from .jsonsafe import encode
from .session import Session

MAX_FPS = 60
PERIOD = 1.0 / MAX_FPS
MAX_INBOX = 256                    # unhandled client messages held before reading pauses
SLICE = 0.003                      # seconds of training per turn: sessions take turns on the thread
FRAME_SHARE = 0.05                 # of the thread, for frames dearer than a turn while others share it
# one training thread per process: NumPy on small arrays holds the GIL, so more threads only fight
# over it; sessions take turns in slices, and more cores means more worker processes (__main__)
EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="train")
# landscapes on a thread of their own: an exploration can take seconds, and the other sessions'
# training slices and frames must not queue behind it (this session waits for its own)
LANDSCAPES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="landscape")


dumps = encode                      # every text message leaves through jsonsafe.encode
log = logging.getLogger("learnscape")
GONE = (WebSocketDisconnect, OSError, RuntimeError)     # the client went away mid-send


async def wait(event: asyncio.Event, seconds: float) -> bool:
    """Whether `event` was set within `seconds`. (asyncio.timeout: unlike wait_for on Python
    3.11, it never swallows a cancellation that arrives as the event is set.)"""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
        return True
    except TimeoutError:
        return False


class Connection:
    encode = staticmethod(encode)

    def __init__(self, ws: WebSocket, session: Session | None = None, load=None):
        self.ws = ws
        self.load = load
        self.session = session or Session()
        self.inbox: list = []
        self.wake = asyncio.Event()
        self.send_ready = asyncio.Event()
        self.sent = asyncio.Event()
        self.frame_slot: tuple | None = None
        self.closed = False
        self.debt = 0.0                    # seconds to wait before the next turn (fair share)
        self.took = 0.0                    # seconds the last turn on the thread took

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self.session.extra["wake"] = lambda: loop.call_soon_threadsafe(self.wake.set)   # other threads' messages
        try:
            for message in self.session.start():
                await self.ws.send_text(dumps(message))
        except GONE:                                 # gone before the hello was out
            return
        tasks = [asyncio.create_task(c) for c in (self._receive(), self._drive(), self._send())]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # not awaited: a cancelled task ends at its next await, and awaiting here would only
            # give the server's own cancellation (on shutdown) a second place to land
            self.closed = True
            if self.load is not None:
                self.load.active.discard(id(self))
            for task in tasks:
                task.cancel()
            for part in list(self.session.extra.values()):   # a feature's own state (a sweep's workers...)
                if hasattr(part, "close"):
                    part.close()
            self.session = None                      # release the trainer and everything it holds
        for task in done:
            task.result()                            # a crash in the loop is raised, not swallowed

    async def _receive(self) -> None:
        while not self.closed:
            try:
                m = await self.ws.receive()
            except (WebSocketDisconnect, RuntimeError):
                return
            if m["type"] == "websocket.disconnect":
                return
            self.inbox.append(m.get("text") if m.get("text") is not None else m.get("bytes"))
            self.wake.set()
            while len(self.inbox) >= MAX_INBOX:      # a flood: stop reading until it is handled
                await asyncio.sleep(PERIOD)

    async def _drive(self) -> None:
        """One pass per frame period: handle what came in, train until the period's end less what
        building and sending a frame takes, build the newest frame, hand it to the sender."""
        s = self.session
        reserve = 0.002                              # seconds kept for the frame: measured below
        tick = time.perf_counter()                   # when the current period ends
        while not self.closed:                       # (a swallowed cancel must not leave it running)
            if self.load is not None:                # who shares the thread now
                (self.load.active.add if s.busy or s.landscape_due() else self.load.active.discard)(id(self))
            if self.inbox or s.deferred is not None:  # handled on the training thread, in turn
                await self._handle_inbox(s)
            elif self.wake.is_set():
                self.wake.clear()                    # woken for messages drained meanwhile: none left
            if s.busy:
                end = tick - reserve
                while not self.closed:               # slices, so sessions take turns on the thread
                    await self._on_thread(s.advance, min(time.perf_counter() + SLICE, end))
                    if not s.wants_steps or time.perf_counter() >= end:
                        break
                    if self.inbox:                   # a slider change applies from the next slice
                        await self._handle_inbox(s)
                    if self._page_waiting(s):        # the page drew all it had: a frame now
                        break
            trained = time.perf_counter()
            if s.landscape_due(trained):             # at most five slices a second, between frames
                s.landscape.sharing = len(self.load.active | {id(self)}) if self.load is not None else 1
                await self._on_thread(s.compute_landscapes, executor=LANDSCAPES)
            if s.dirty and self.frame_slot is None and s.frame_allowed:
                self.frame_slot = await self._build_frame(s)
            if s.outbox or self.frame_slot is not None:
                self.sent.clear()
                self.send_ready.set()
                if s.busy:                           # let the frame leave before training resumes
                    if await wait(self.sent, PERIOD * 0.25):
                        took = time.perf_counter() - trained
                        reserve = min(max(0.8 * reserve + 0.2 * took * 1.5, 0.0005), PERIOD * 0.5)
            now = time.perf_counter()
            if s.busy and s.flow_control.window and now < tick - SLICE:
                # with flow control the page's acknowledgements pace the frames: train on until the
                # tick, but wake for an ack, so a frame goes out as soon as the page can take one;
                # and when this period's frame waits only for the gap after the last (sent late in
                # the period before, behind others' turns), wake when the gap is over: that jitter
                # must not cost the period its frame
                until = min(self._frame_due(s, tick) or tick, tick - SLICE)
                if s.wants_steps or await wait(self.wake, until - now) or time.perf_counter() < tick - SLICE:
                    continue
            if s.busy:
                await asyncio.sleep(max(tick - time.perf_counter(), 0))
                late = now - tick
                tick = tick + PERIOD if late < PERIOD * 0.5 else now + PERIOD   # a fixed cadence
            elif not self.inbox:
                await wait(self.wake, PERIOD if s.dirty or s.deferred or s.landscape_due() else 1.0)
                tick = time.perf_counter() + PERIOD

    async def _build_frame(self, s: Session) -> tuple[str, bytes | None, int]:
        """The frame as sent: its text, its binary maps and the run it shows (session.generation).
        Built and encoded in two turns, so the others' turns come between the two. A frame that
        holds the thread longer than a training turn makes the others' frames wait behind it: while
        others share the thread, such frames come at most FRAME_SHARE of the time."""
        generation = s.generation
        message, maps = await self._on_thread(s.frame)
        cost = self.took
        text = await self._on_thread(dumps, message)
        cost += self.took
        others = len(self.load.active - {id(self)}) if self.load is not None else 0
        s.flow_control.spacing = cost / FRAME_SHARE if cost > SLICE and others else 0.0
        return text, maps, generation

    def _frame_due(self, s: Session, tick: float) -> float | None:
        """When this period's frame may be built, if none has gone out in it yet and only time
        holds it back; else None."""
        f = s.flow_control
        if not s.dirty or self.frame_slot is not None or f.sent_at >= tick - PERIOD:
            return None
        return f.ready_at()

    def _page_waiting(self, s: Session) -> bool:
        f = s.flow_control
        return bool(f.window) and f.unacked == 0 and s.dirty and self.frame_slot is None and s.frame_allowed

    async def _handle_inbox(self, s: Session) -> None:
        """The client's messages, handled on the training thread (a rebuild is work like a step)."""
        self.wake.clear()                            # before draining: nothing can slip between
        await self._on_thread(self._drain, s)

    async def _on_thread(self, fn, *args, executor=EXECUTOR):
        """fn(*args) on the training thread, its time charged to this worker's load. A fair share:
        with k other sessions busy, a turn of d seconds is followed by a pause of k * d, so no
        session takes more than 1 / (k + 1) of the thread (cheap turns barely notice)."""
        load = self.load
        if self.debt > 0.0005:
            pause = min(self.debt, 0.1)
            await asyncio.sleep(pause)
            self.debt -= pause
        took = 0.0

        def timed():
            nonlocal took
            started = time.perf_counter()
            try:
                return fn(*args)
            finally:
                took = self.took = time.perf_counter() - started
                if load is not None:
                    load.charge(took)
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, timed)
        finally:
            if load is not None:
                others = len(load.active - {id(self)})
                self.debt = min(self.debt + took * others, 0.5) if others else 0.0

    def _drain(self, s: Session) -> None:
        while self.inbox:
            s.handle(self.inbox.pop(0))
        s.apply_deferred()

    async def _send(self) -> None:
        try:
            await self._send_forever()
        except GONE:
            return

    async def _send_forever(self) -> None:
        s = self.session
        while not self.closed:
            await self.send_ready.wait()
            self.send_ready.clear()
            while (item := s.outbox.take()) is not None:
                if isinstance(item, bytes):
                    await self.ws.send_bytes(item)
                else:
                    await self.ws.send_text(dumps(item))
            if self.frame_slot is not None and self.frame_slot[2] != s.generation:
                self.frame_slot = None               # built before a reset, rebuild or restore the page
                s.flow_control.ack()                 # was just told of: never sent, a new one is due
                s.dirty = True
            if self.frame_slot is not None:
                text, maps, _ = self.frame_slot
                await self.ws.send_text(text)
                for binary in (maps if isinstance(maps, tuple) else (maps,) if maps else ()):
                    await self.ws.send_bytes(binary)
                self.frame_slot = None               # only now may the next frame be built
                if self.load is not None:
                    self.load.frames += 1
            self.sent.set()
