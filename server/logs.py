"""The log stays readable under attack: what a client causes (an invalid UTF-8 frame, a socket
gone mid-send) is one line, not a traceback, and the same line at most once a minute; an
unexpected error in a session is logged with its traceback once per kind, later ones counted."""
from __future__ import annotations

import logging
import time

log = logging.getLogger("learnscape")
CLIENT_CAUSED = (UnicodeDecodeError, ConnectionError)
REPEAT_AFTER = 60.0


class QuietClientErrors(logging.Filter):
    def __init__(self):
        super().__init__()
        self.last: dict[str, float] = {}
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], CLIENT_CAUSED):
            record.exc_info, record.exc_text = None, None
        key = f"{record.name}:{record.msg}"
        now = time.monotonic()
        if record.levelno >= logging.WARNING and now - self.last.get(key, -REPEAT_AFTER) < REPEAT_AFTER:
            self.dropped += 1
            return False
        self.last[key] = now
        return True


FILTER = QuietClientErrors()


def quiet_client_errors() -> None:
    """Install the filter on the loggers uvicorn and asyncio report client trouble on (once)."""
    for name in ("uvicorn.error", "asyncio"):
        logger = logging.getLogger(name)
        if FILTER not in logger.filters:
            logger.addFilter(FILTER)


class Failures:
    """Unexpected errors: the first of each kind logged with its traceback, later ones counted."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def report(self, e: BaseException) -> None:
        kind = type(e).__name__
        self.seen[kind] = self.seen.get(kind, 0) + 1
        if self.seen[kind] == 1:
            log.error("session ended by an unexpected %s (closed 1011; later ones are counted, not logged)",
                      kind, exc_info=e)
