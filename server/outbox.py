"""What a session has to say, waiting for the socket: control messages in order, bounded.

A binary message always follows the JSON message it belongs to (a surface after its landscape);
a newer ``dataset`` or ``landscape`` replaces an unsent one with its binary (a landscape over the
same surface takes the older one's place and keeps its binary), and beyond ``limit``
the oldest go (never leaving a binary without its JSON). Thread-safe: training and landscapes
speak from their own threads.
"""
from __future__ import annotations

import threading

REPLACEABLE = ("dataset", "landscape")


class Outbox:
    def __init__(self, limit: int = 256):
        self.limit = limit
        self._items: list[dict | bytes] = []
        self._lock = threading.Lock()

    def put(self, message: dict | bytes) -> None:
        kind = message["type"] if isinstance(message, dict) else None
        with self._lock:
            items = self._items
            if kind in REPLACEABLE:
                kept, drop_bytes, placed = [], False, False
                for m in items:
                    if drop_bytes and isinstance(m, bytes):
                        drop_bytes = False
                        continue
                    older = isinstance(m, dict) and m["type"] == kind
                    same = older and _same_surface(m, message)
                    if same:                                      # the point moved over that surface:
                        kept.append(message)                      # it takes its place, the surface stays
                        placed = True
                    elif not older:
                        kept.append(m)
                    drop_bytes = older and not same
                items[:] = kept
                if placed:
                    return
            items.append(message)
            if len(items) > self.limit:                   # a client that floods us and never reads
                del items[: len(items) - self.limit]
                while items and isinstance(items[0], bytes):   # no surface without its JSON
                    del items[0]

    def take(self) -> dict | bytes | None:
        with self._lock:
            return self._items.pop(0) if self._items else None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self):
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)


def _same_surface(older: dict, newer: dict) -> bool:
    """A live slice's newer message over the surface the older one brought (its binary unsent)."""
    return older.get("surface_seq") is not None and older.get("surface_seq") == newer.get("surface_seq")
