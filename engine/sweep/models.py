"""The sweep's one door into the engine: ``models_for`` builds the models of one group of cells,
batched as one engine Networks crowd over the model axis, or (``batched=False``, or a configuration the
crowd cannot train: l1/l2/dropout with a rate > 0) as one engine Trainer per model.

Both return the same small interface: ``run_epoch()`` (one epoch for every model),
``scores()`` ((M, 4) train loss, train accuracy, test loss, test accuracy; NaN for accuracy in
regression) and ``diverged()`` ((M,) bool). Models alone are scored by their task's evaluate; a crowd
is scored for all its models at once by ``batched_scores`` (the same rules: mean per-example
loss, the output's threshold or arg-max), and the tests hold the two to 1e-10 of each other.
Nothing else in engine/sweep/ imports the crowd or the trainer.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import activations, losses
from ..batches import Batches
from ..config import Config
from ..landscape.networks import Networks
from ..network import Network, forward_columns, layer_views
from ..trainer import Trainer


def batchable(config: Config) -> bool:
    """Whether the crowd can train this configuration (it has no regularisation step)."""
    return config.regularization == "none" or config.reg_rate == 0


def models_for(config: Config, init_seeds: list[int], learning_rates: list[float], batched: bool = True):
    """M = len(init_seeds) models of `config`'s shape and data; model m starts from
    Network(..., seed=init_seeds[m]) and learns at learning_rates[m]."""
    if batched and batchable(config):
        return _Batched(config, init_seeds, learning_rates)
    return _Alone(config, init_seeds, learning_rates)


def _score(trainer: Trainer) -> list[float]:
    ev = trainer.task.evaluate(trainer.model)
    return [ev[k] if ev[k] is not None else np.nan for k in ("loss_train", "accuracy_train", "loss_test", "accuracy_test")]


class _Batched:
    def __init__(self, config, init_seeds, learning_rates):
        self.judge = Trainer(config)                  # the data, and the scorer of every model
        self.crowd = Networks.from_trainer(self.judge, models=len(init_seeds), seeds=init_seeds,
                                        learning_rates=np.asarray(learning_rates, dtype=np.float64))
        r = self.judge.r
        self._mirror, self._batch = Batches(len(self.judge.X_train), r.playground), r.batch_size

    def run_epoch(self) -> None:
        steps, ended = 0, False
        while not ended:                               # the crowd's batches, counted to the epoch's end
            _, ended = self._mirror.next(self._batch)
            steps += 1
        self.crowd.run(steps)

    def scores(self) -> np.ndarray:
        t, thetas = self.judge, self.crowd.thetas()
        return np.hstack([batched_scores(t.r, thetas, t.X_train, t.Y_train, t.y_train),
                          batched_scores(t.r, thetas, t.X_test, t.Y_test, t.y_test)])

    def diverged(self) -> np.ndarray:
        return np.asarray(self.crowd.diverged_at) >= 0


class _Alone:
    def __init__(self, config, init_seeds, learning_rates):
        r = config.resolved()
        self.trainers = [Trainer(replace(config, learning_rate=float(lr)),
                                 weights=Network(r.sizes(), r.activation, r.output, r.init, seed=s).layers())
                         for s, lr in zip(init_seeds, learning_rates)]

    def run_epoch(self) -> None:
        for t in self.trainers:
            t.run_epochs(1)

    def scores(self) -> np.ndarray:
        return np.array([_score(t) for t in self.trainers], dtype=np.float64)

    def diverged(self) -> np.ndarray:
        return np.array([t.status == "diverged" for t in self.trainers])


def batched_scores(r: Config, thetas: np.ndarray, X, Y, y) -> np.ndarray:
    """(M, 2): mean loss and accuracy (NaN in regression) on (X, Y, y) of the M models whose
    Network.theta are the rows of thetas, for the resolved config r; one forward pass for all."""
    M, n, k = len(thetas), len(X), Y.shape[1]
    if n == 0:
        return np.full((M, 2), np.nan)
    with np.errstate(all="ignore"):
        acts, Z = forward_columns(layer_views(thetas, r.sizes()), np.asarray(X, dtype=np.float64).T,
                                  activations.get(r.activation), activations.output(r.output))
        out = acts[-1].transpose(0, 2, 1)                                   # (M, n, k)
        loss = losses.per_example(losses.get(r.loss), Z.transpose(0, 2, 1).reshape(-1, k), out.reshape(-1, k),
                                  np.tile(Y, (M, 1)), r.output).reshape(M, n).mean(axis=1)
    if r.kind == "regression":
        acc = np.full(M, np.nan)
    elif r.kind == "multiclass":
        acc = (out.argmax(axis=2) == y.astype(int)).mean(axis=1)
    else:
        acc = ((out[:, :, 0] >= (0.5 if r.output == "sigmoid" else 0.0)) == (y > 0)).mean(axis=1)
    return np.column_stack([loss, acc])
