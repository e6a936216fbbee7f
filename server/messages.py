"""Every message the server sends is built here (their shapes are declared in nouns.py); the
connection encodes them all through jsonsafe.encode, so none can carry NaN or infinity."""
from __future__ import annotations

import numpy as np

from engine import activations, datasets, features, inits, losses, optimizers, regularizers

from . import errors, protocol as wire
from .jsonsafe import finite, jsonable, number
from .runstate import RunState

DIVERGED_HINT = "hint_lower_learning_rate"      # an i18n key: the page says it in the learner's language


def hello(trainer) -> dict:
    return {
        "type": "hello",
        "protocol_version": wire.PROTOCOL_VERSION,
        "config": trainer.config.to_dict(),
        "limits": wire.LIMITS,
        "datasets": [{"name": d.name, "kind": d.kind, "task": d.task, "points": d.n_default, "dims": d.dims}
                     for d in datasets.DATASETS.values()],
        "activations": list(activations.ACTIVATIONS),
        "outputs": list(activations.OUTPUT_ACTIVATIONS),
        "losses": list(losses.LOSSES),
        "optimizers": list(optimizers.OPTIMIZERS),
        "features": list(features.FEATURES),
        "regularizations": list(regularizers.REGULARIZATIONS),
        "schedules": list(optimizers.SCHEDULES),
        "initialisers": list(inits.INITS),
        "binary_layouts": wire.BINARY_LAYOUTS,
        "run_states": [s.value for s in RunState],
        "surfaces": wire.SURFACES,
        "slices": wire.SLICES,
        **errors.tables(),
    }


def dataset(trainer) -> dict:
    t = trainer
    return {"type": "dataset", "kind": t.r.kind,
            "train": np.column_stack([t.P_train, t.y_train]).tolist(),
            "test": np.column_stack([t.P_test, t.y_test]).tolist()}


def status(state: RunState, trainer) -> dict:
    if state is RunState.DIVERGED:
        return {"type": "status", "state": state.value, "step": trainer.diverged_at or trainer.step_count,
                "hint": DIVERGED_HINT}
    return {"type": "status", "state": state.value, "step": trainer.step_count}


def config(trainer, applied: str) -> dict:
    return {"type": "config", "config": trainer.config.to_dict(), "applied": applied}


error = errors.error


def frame(rep: dict, net, steps_per_second: float, maps_seq: int | None) -> dict:
    return {
        "type": "frame",
        "step": rep["step"],
        "epoch": rep["epoch"],
        "loss_train": number(rep["loss_train"]),
        "loss_test": number(rep["loss_test"]),
        "accuracy_train": number(rep["accuracy_train"]),
        "accuracy_test": number(rep["accuracy_test"]),
        "learning_rate": rep["learning_rate"],
        "weights": [{"W": finite(W), "b": finite(b)} for W, b in zip(net.W, net.b)],
        "gradients": [{"W": finite(W), "b": finite(b)} for W, b in zip(net.dW, net.db)],
        "grad_norms": finite(rep["grad_norms"]),
        "weight_norms": finite(rep["weight_norms"]),
        "steps_per_second": round(steps_per_second, 1),
        "maps_seq": maps_seq,
    }


def landscape(mode: str, out: dict, path, step: int, seq: int) -> dict:
    """A live slice; its surface follows as a binary message with seq ``surface_seq``."""
    return {"type": "landscape", "mode": mode, "x": finite(out["x"]), "y": finite(out["y"]),
            "center": finite(out["center"]), "loss_center": number(out["loss_center"]),
            "path": finite(path) if len(path) else [],
            "explained": finite(out["explained"]) if out.get("explained") is not None else None,
            "params": out.get("params"), "step": step, "surface_seq": seq}


def exploration(mode: str, result, surface=None, grid=None, seq: int | None = None) -> dict:
    """The answer to explore; with a surface, its grid follows as a binary message."""
    msg = {"type": "exploration", "mode": mode, "surface": jsonable(surface), "surface_seq": seq,
           "result": jsonable(result)}
    if grid is not None:
        msg["x"], msg["y"] = finite(grid["x"]), finite(grid["y"])
    return msg


def surface(seq: int, grid, fill: float) -> bytes:
    """A loss grid (R, R) as a binary surface; what is not finite becomes `fill`."""
    body = np.asarray(grid, dtype=np.float64)[None]
    return wire.pack_grids(wire.KIND_SURFACE, seq, np.where(np.isfinite(body), body, fill))
