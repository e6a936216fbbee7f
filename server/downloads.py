"""Files of a session for the page to save (``download`` -> a ``file`` message on the same
websocket: with several workers an HTTP GET could reach another process than the session's).

``FILES`` is the one table: what -> (builder, file name, MIME). The run file carries the current
weights and the rest of the run (server/runfile.py); ONNX needs the optional ``onnx`` package
(``learnscape[export]``); the NumPy code and the report need nothing extra. The report's loss
curves are the run replayed from its initial weights (at most REPLAY_EPOCHS epochs, the same
data and seed, so the same curve unless weights were edited by hand), its map and network the
session's network as it is now.
"""
from __future__ import annotations

import base64
import logging

from engine import Trainer, report
from engine.export import numpy_code

from . import runfile
from .errors import ProtocolError
from .jsonsafe import quiet

REPLAY_EPOCHS = 300
log = logging.getLogger("learnscape")


def _points_only(trainer: Trainer, what: str) -> None:
    if trainer.task.name != "points":
        raise ProtocolError("export_points", "download.what", what=what, task=trainer.config.dataset)


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
            raise ProtocolError("onnx_missing", "download.what") from None
        raise
    return model.SerializeToString()


def _report(trainer: Trainer, lang: str) -> str:
    _points_only(trainer, "report")
    now = runfile.resume(runfile.snapshot(trainer))             # a copy: the session's run is untouched
    replay = Trainer.from_run(trainer.to_run(initial=True))
    history = report.record(replay, min(trainer.epoch, REPLAY_EPOCHS))
    if history[-1]["step"] != now.step_count:
        rep = now.report()
        history.append({k: rep[k] for k in report.SCALARS})
    return report.render(now, history, lang)


FILES = {   # protocol.Download.what -> (builder(trainer, lang), file name, MIME)
    "run": (_run, "learnscape-run.json", runfile.MIME),
    "onnx": (_onnx, "learnscape-model.onnx", "application/octet-stream"),
    "numpy": (_numpy, "learnscape_model.py", "text/x-python"),
    "report": (_report, "learnscape-report.html", "text/html"),
}


def _on_download(session, msg) -> None:
    build, name, mime = FILES[msg.what]
    try:
        with quiet():
            body = build(session.trainer, msg.lang)
    except ProtocolError:
        raise
    except Exception as e:                            # noqa: BLE001  numerical trouble: said, not raised
        log.info("download %s failed: %s", msg.what, e)
        raise ProtocolError("export_failed", "download.what", reason=f"{type(e).__name__}: {str(e)[:120]}") from None
    if isinstance(body, bytes):
        data, encoding = base64.b64encode(body).decode("ascii"), "base64"
    else:
        data, encoding = body, "text"
    session._say({"type": "file", "what": msg.what, "name": name, "mime": mime, "encoding": encoding, "data": data})


HANDLERS = {"download": _on_download}
