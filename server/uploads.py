"""Files from the page: sent in parts (``upload``: the websocket refuses messages over 64 KiB, and
an HTTP upload could reach another worker than the session's), assembled per session up to
LIMITS["max_upload_bytes"], then used by purpose from ONE table, ``PURPOSES``:

- csv: the table is read and its numeric columns offered (``csv_table``); ``use_csv`` picks the
  columns and the session trains on them (dataset ``custom``, ``csv_data``).
- run: a run file (server/runfile.py) replaces the session's run, which continues from it.
- text: the session switches to the text task on that text.

Every refusal is an error naming what was wrong and what is allowed; the session stays on what it
had. The session's upload state lives in ``session.extra["upload"]``.
"""
from __future__ import annotations

import json

from engine import Trainer, csvdata
from engine.config import Config

from . import budget, messages, protocol as wire, runfile
from .errors import ProtocolError


class Uploads:
    """One session's upload in progress and its last CSV table."""

    def __init__(self):
        self.purpose = self.name = None
        self.parts, self.chunks, self.size = 0, [], 0
        self.table, self.table_name = None, ""

    def clear(self) -> None:
        self.purpose, self.parts, self.chunks, self.size = None, 0, [], 0


def state(session) -> Uploads:
    return session.extra.setdefault("upload", Uploads())


def adopt(session, trainer: Trainer, applied: str) -> None:
    """The session continues with `trainer` (opened, uploaded or restored): the page is told."""
    session.trainer = trainer
    session.deferred = None
    session._fire("restore")
    session.landscape.restart()
    session.pending_steps = 0
    session._say(messages.config(trainer, applied))
    if trainer.task.name == "points":
        session._say(session.dataset_message())
    session._status()
    session.dirty = True


def _on_upload(session, msg) -> None:
    up = state(session)
    if msg.part == 0:
        up.clear()
        up.purpose, up.name, up.parts = msg.purpose, msg.name, msg.parts
    elif (msg.purpose, msg.name, msg.parts, msg.part) != (up.purpose, up.name, up.parts, len(up.chunks)):
        up.clear()
        raise ProtocolError("upload_order", "part", got=msg.part, name=msg.name, last=msg.parts - 1)
    up.chunks.append(msg.data)
    up.size += len(msg.data.encode("utf-8"))
    limit = wire.LIMITS["max_upload_bytes"]
    if up.size > limit:
        up.clear()
        raise ProtocolError("upload_too_large", "data", name=msg.name, max=limit)
    done = len(up.chunks) == up.parts
    session._say({"type": "upload_progress", "purpose": msg.purpose, "name": msg.name,
                  "received": len(up.chunks), "parts": up.parts, "bytes": up.size, "done": done})
    if done:
        text = "".join(up.chunks)
        up.clear()
        PURPOSES[msg.purpose](session, msg.name, text)


def _detail(e: Exception) -> str:
    return str(e)[:400]


def _csv(session, name: str, text: str) -> None:
    try:
        table = csvdata.read_table(text)
    except ValueError as e:
        raise ProtocolError("csv_invalid", "data", name=name, detail=_detail(e)) from None
    numeric = table.numeric_columns()
    if not numeric:
        raise ProtocolError("csv_invalid", "data", name=name,
                            detail="no column holds only numbers; allowed: at least one numeric input column")
    up = state(session)
    up.table, up.table_name = table, name
    session._say({"type": "csv_table", "name": name, "header": table.header, "numeric": numeric,
                  "rows": len(table.rows)})


def _on_use_csv(session, msg) -> None:
    up = state(session)
    if up.table is None:
        raise ProtocolError("no_table", "x")
    config = session.trainer.config
    ratio = config.train_ratio if msg.train_ratio is None else msg.train_ratio
    try:
        d = csvdata.to_points(up.table, msg.x, msg.y, task=msg.task, standardize=msg.standardize,
                              train_ratio=ratio, seed=config.seed)
    except ValueError as e:
        field = "train_ratio" if str(e).startswith("train_ratio") else "y" if f"'{msg.y}'" in str(e) else "x"
        raise ProtocolError("csv_invalid", field, name=up.table_name, detail=_detail(e)) from None
    classes = {"regression": 0, "classification": 2}.get(d.kind, len(d.classes))
    patch = {"dataset": "custom", "classes": classes, "output": "", "loss": "", "train_ratio": ratio}
    try:
        new = config.updated(patch)
        budget.check_step(new, "x")
        trainer = Trainer(new, data=d.data)
    except ValueError as e:                   # the session's settings do not fit this data
        raise ProtocolError("csv_invalid", "y", name=up.table_name, detail=_detail(e)) from None
    adopt(session, trainer, "rebuild")
    session._say({"type": "csv_data", "name": up.table_name, "kind": d.kind, "classes": list(d.classes),
                  "inputs": d.inputs, "label": d.label, "mean": d.mean, "std": d.std, "rows": d.rows})


def _run(session, name: str, text: str) -> None:
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict):
            raise ValueError("must be a JSON object with config, data and weights")
        trainer = runfile.resume(doc)
        budget.check_step(trainer.config, "run.config.batch_size")
    except (ValueError, TypeError, KeyError) as e:
        raise ProtocolError("run_invalid", "data", name=name,
                            detail=f"{_detail(e)}; allowed: a run file Learnscape saved (docs/engine.md)") from None
    except ProtocolError as e:
        raise ProtocolError("run_invalid", "data", name=name, detail=e.message) from None
    adopt(session, trainer, "restored")


def _text(session, name: str, text: str) -> None:
    """The text task on this text; a session already on text keeps its model settings."""
    current = session.trainer.config
    config = current.updated({"dataset": "text"}) if session.trainer.r.kind == "language" \
        else Config.from_dict({"dataset": "text"})
    try:
        trainer = Trainer(config, data={"text": text, "name": name})
    except ValueError as e:
        raise ProtocolError("text_invalid", "data", name=name, detail=_detail(e)) from None
    adopt(session, trainer, "rebuild")


PURPOSES = {"csv": _csv, "run": _run, "text": _text}     # protocol.Upload.purpose: what each does

HANDLERS = {"upload": _on_upload, "use_csv": _on_use_csv}
