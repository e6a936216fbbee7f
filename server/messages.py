"""Every message the server sends is built here (their shapes are declared in nouns.py); the
connection encodes them all through jsonsafe.encode, so none can carry NaN or infinity."""
from __future__ import annotations

import math

import numpy as np

from engine import activations, datasets, features, inits, losses, optimizers, regularizers
from engine import text as text_models

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
        "datasets": [{"name": d.name, "kind": d.kind, "task": d.task, "source": d.source,
                      "points": d.n_default, "dims": d.dims}
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
        "models": list(text_models.MODELS),
    }


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


# -- the text task (issue 10; server/text.py decides when) -------------------------------------
def text_dataset(trainer) -> dict:
    """A text data set described, never sent: vocabulary, sizes, the two reference losses."""
    c, bits = trainer.task.corpus, 1.0 / math.log(2.0)
    return {"type": "dataset", "kind": "language", "train": [], "test": [],
            "text": {"name": c.name, "chars": list(c.chars), "vocab_size": c.V, "size": len(c.ids),
                     "train_size": len(c.train), "val_size": len(c.val), "uniform": c.uniform,
                     "unigram": c.unigram, "uniform_bits": c.uniform * bits, "unigram_bits": c.unigram * bits,
                     "sha256": c.sha256}}


def text_frame(trainer, ev: dict | None, eval_step: int | None, refs: dict, steps_per_second: float) -> dict:
    """A text run's frame: the losses measured at eval_step (nats; bits in ``text``), the reference
    lines (TextTask.references()), no weights."""
    ev = ev or {}
    return {"type": "frame", "step": trainer.step_count, "epoch": trainer.epoch,
            "loss_train": number(ev.get("loss_train")), "loss_test": number(ev.get("loss_test")),
            "accuracy_train": None, "accuracy_test": None, "learning_rate": trainer.learning_rate,
            "weights": [], "gradients": [], "grad_norms": [], "weight_norms": [],
            "steps_per_second": round(steps_per_second, 1), "maps_seq": None,
            "text": {"bits_train": number(ev.get("bits_train")), "bits_test": number(ev.get("bits_test")),
                     "uniform": refs["uniform"], "unigram": refs["unigram"], "eval_step": eval_step}}


def sample(step: int, ev: dict, text: str, temperature: float) -> dict:
    """One entry of the samples' timeline: the iteration, the losses there, the generated text."""
    return {"type": "sample", "step": step, "loss_train": number(ev["loss_train"]),
            "loss_test": number(ev["loss_test"]), "bits_test": number(ev["bits_test"]),
            "temperature": temperature, "text": text}


def next_char(prompt: str, dist: dict, temperature: float, step: int) -> dict:
    """The answer to predict_next: every character's probability after the prompt and the cost
    -log p (nats, at temperature 1) of the character that really follows it in the corpus."""
    follows = dist["follows"]
    return {"type": "next_char", "prompt": prompt[-200:], "read": dist["read"][-200:], "step": step,
            "temperature": temperature, "chars": dist["chars"], "probs": finite(dist["probs"]),
            "top": dist["top"], "top_char": dist["top_char"], "unknown": dist["unknown"][:20],
            "costs": finite(dist["costs"][-200:]),
            "follows": None if follows is None else {**follows, "cost": number(follows["cost"])}}
def sweep(sweep_id: int, event: str, axes: dict, seeds: int, epochs: int, cells: int, done: int,
          elapsed: float, left, cell: dict | None = None, summary: dict | None = None) -> dict:
    """A sweep's progress: started, a finished cell, done (server/sweep.py)."""
    return {"type": "sweep", "id": sweep_id, "event": event, "axes": jsonable(axes), "seeds": seeds,
            "epochs": epochs, "cells": cells, "done": done, "elapsed_s": round(elapsed, 3),
            "left_s": number(left), "cell": jsonable(cell), "summary": jsonable(summary)}
