"""Measurements several lessons share: a trained run per seed, its accuracy, the exact house surface."""
from __future__ import annotations

import numpy as np

from ._engine import Config, Trainer, house, linear_regression


def trainer(config: dict, seed: int, **changes) -> Trainer:
    return Trainer(Config.from_dict({**config, **changes, "seed": seed}))


def trained(config: dict, seed: int, epochs: int, **changes) -> Trainer:
    t = trainer(config, seed, **changes)
    with np.errstate(all="ignore"):
        t.run_epochs(epochs)
    return t


def test_accuracy(t: Trainer) -> float:
    return t.task.evaluate(t.model)["accuracy_test"]


def test_loss(t: Trainer) -> float:
    return t.task.evaluate(t.model)["loss_test"]


def train_loss(t: Trainer) -> float:
    return t.task.evaluate(t.model)["loss_train"]


def house_surface(config: dict, seed: int):
    """The exact (w, b) cost surface of the house prices the lesson's config describes (the data
    the page's house view draws: engine landscape.house with the config's points and noise)."""
    x, y = house(points=config["points"], noise=config["noise"], seed=seed)
    return linear_regression(x, y, loss=config["loss"])


def eigen_errors(surface, path) -> tuple[np.ndarray, np.ndarray]:
    """A descent path's error from the minimum along each eigenvector of the constant Hessian:
    (eigenvalues (2,), errors (K, 2))."""
    lam, V = np.linalg.eigh(surface.hessian)
    return lam, (np.asarray(path) - surface.minima[0]) @ V
