"""A run the page offers back (``restore``): validated like any input, then a trainer that
continues from it at the same step, epoch and weights. The initial weights still come from the
config's init and seed, so ``reset`` goes back to the start of the same run."""
from __future__ import annotations

import numpy as np

from engine import Trainer
from engine.config import Config

from .budget import check_step
from .errors import ProtocolError, from_engine


def restored_trainer(msg) -> Trainer:
    """A Trainer at the run's step and weights; ProtocolError naming what does not fit."""
    run = msg.run
    try:
        config = Config.from_dict(run.config.model_dump(exclude_none=True))
        check_step(config, "run.config.batch_size")
        trainer = Trainer(config)
    except ValueError as e:
        raise from_engine(e, "run.config.") from None
    layers = [{"W": layer.W, "b": layer.b} for layer in run.weights]
    rows = [np.asarray(layer["W"], dtype=float) for layer in layers]
    if any(r.ndim != 2 for r in rows):
        raise ProtocolError("weights_shape", "run.weights", detail="every W must be a rectangle of rows")
    try:
        trainer.network.load_layers(layers)
    except ValueError as e:
        raise ProtocolError("weights_shape", "run.weights", detail=str(e).partition(": ")[2] or str(e)) from None
    trainer.step_count, trainer.epoch = msg.step, msg.epoch
    return trainer
