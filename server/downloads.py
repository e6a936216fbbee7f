"""Files of a session for the page to save (``download`` -> a ``file`` message on the same
websocket: with several workers an HTTP GET could reach another process than the session's).

``FILES`` is the one table: what -> (builder, file name, MIME). The run file carries the current
weights and the rest of the run (server/runfile.py); ONNX needs the optional ``onnx`` package
(``learnscape[export]``); the NumPy code and the report need nothing extra. The report's loss
curves are the run replayed from its initial weights (at most REPLAY_EPOCHS epochs, the same
data and seed, so the same curve unless weights were edited by hand), its map and network the
session's network as it is now.

ONNX (its first import takes seconds) and the report (about a second of Plotly) are built on
EXPORTS, one background thread per process, from a copy of the session's trainer, so the training
thread and the other sessions go on meanwhile; the file joins the session's outbox when ready.
"""
from __future__ import annotations

import base64
import logging
from concurrent.futures import ThreadPoolExecutor

from engine import Trainer, report
from engine.export import numpy_code

from . import runfile
from .errors import ProtocolError
from .jsonsafe import quiet

REPLAY_EPOCHS = 300
EXPORTS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="learnscape-export")
log = logging.getLogger("learnscape")


def _points_only(trainer: Trainer, what: str) -> None:
    if trainer.task.name != "points":
        raise ProtocolError("export_points", "what", what=what, task=trainer.config.dataset)


def _run(trainer: Trainer, lang: str) -> str:
    return runfile.text(trainer)


def _numpy(trainer: Trainer, lang: str) -> str:
    _points_only(trainer, "NumPy")
    return numpy_code.source_code(trainer.network, list(trainer.r.features),
                                  f"step {trainer.step_count} of a {trainer.config.dataset} run")


def _onnx(trainer: Trainer, lang: str) -> bytes:
    _points_only(trainer, "ONNX")
    try:
        from engine.export import onnx as onnx_export
        model = onnx_export.build(trainer.network, list(trainer.r.features),
                                  {"config": trainer.config.to_dict(), "step": trainer.step_count})
    except ValueError as e:
        if "not installed" in str(e):
            raise ProtocolError("onnx_missing", "what") from None
        raise
    return model.SerializeToString()


def _report(trainer: Trainer, lang: str) -> str:
    _points_only(trainer, "report")
    now = trainer                                              # a copy already (BACKGROUND)
    replay = Trainer.from_run(trainer.to_run(initial=True))
    history = report.record(replay, min(trainer.epoch, REPLAY_EPOCHS))
    if history[-1]["step"] != now.step_count:
        rep = now.report()
        history.append({k: rep[k] for k in report.SCALARS})
    return report.render(now, history, lang)


BACKGROUND = {"onnx", "report"}        # built on EXPORTS from a copy of the trainer
FILES = {   # protocol.Download.what -> (builder(trainer, lang), file name, MIME)
    "run": (_run, "learnscape-run.json", runfile.MIME),
    "onnx": (_onnx, "learnscape-model.onnx", "application/octet-stream"),
    "numpy": (_numpy, "learnscape_model.py", "text/x-python"),
    "report": (_report, "learnscape-report.html", "text/html"),
}


def _file(what: str, trainer: Trainer, lang: str) -> dict:
    """The file message; a failure is an error message naming it."""
    build, name, mime = FILES[what]
    try:
        with quiet():
            body = build(trainer, lang)
    except ProtocolError as e:
        return e.to_message()
    except Exception as e:                            # noqa: BLE001  numerical trouble: said, not raised
        log.info("download %s failed: %s", what, e)
        return ProtocolError("export_failed", "what", reason=f"{type(e).__name__}: {str(e)[:120]}").to_message()
    if isinstance(body, bytes):
        data, encoding = base64.b64encode(body).decode("ascii"), "base64"
    else:
        data, encoding = body, "text"
    return {"type": "file", "what": what, "name": name, "mime": mime, "encoding": encoding, "data": data}


def _on_download(session, msg) -> None:
    if msg.what not in BACKGROUND:
        session._say(_file(msg.what, session.trainer, msg.lang))
        return
    _points_only(session.trainer, {"onnx": "ONNX"}.get(msg.what, msg.what))     # both need a points network
    copy = runfile.resume(runfile.snapshot(session.trainer))   # the session trains on meanwhile
    EXPORTS.submit(lambda: session._say(_file(msg.what, copy, msg.lang)))


HANDLERS = {"download": _on_download}
