"""The server's nouns that describe a trainer: hello, dataset, status (see protocol.py)."""
from __future__ import annotations

import numpy as np

from engine import activations, datasets, features, losses, network, optimizers, regularizers

from . import protocol as wire

DIVERGED_HINT = "hint_lower_learning_rate"      # an i18n key: the page says it in the learner's language


def hello(trainer) -> dict:
    return {
        "type": "hello",
        "protocol_version": wire.PROTOCOL_VERSION,
        "config": trainer.config.to_dict(),
        "limits": wire.LIMITS,
        "datasets": [{"name": d.name, "kind": d.kind, "points": d.n_default, "dims": d.dims}
                     for d in datasets.DATASETS.values()],
        "activations": list(activations.ACTIVATIONS),
        "outputs": list(activations.OUTPUT_ACTIVATIONS),
        "losses": list(losses.LOSSES),
        "optimizers": list(optimizers.OPTIMIZERS),
        "features": list(features.FEATURES),
        "regularizations": list(regularizers.REGULARIZATIONS),
        "schedules": list(optimizers.SCHEDULES),
        "initialisers": list(network.INITIALISERS),
        "binary_layouts": wire.BINARY_LAYOUTS,
    }


def dataset(trainer) -> dict:
    t = trainer
    return {"type": "dataset", "kind": t.r.kind,
            "train": np.column_stack([t.P_train, t.y_train]).tolist(),
            "test": np.column_stack([t.P_test, t.y_test]).tolist()}


def status(trainer, playing: bool) -> dict:
    t = trainer
    if t.status == "diverged":
        return {"type": "status", "state": "diverged", "step": t.diverged_at, "hint": DIVERGED_HINT}
    return {"type": "status", "state": "running" if playing else "paused", "step": t.step_count}
