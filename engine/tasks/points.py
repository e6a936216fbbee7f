"""The points task: 2-D points (engine.datasets) seen through input features (engine.features),
learned by the MLP (engine.network). Binary, multi-class and regression data alike."""
from __future__ import annotations

import numpy as np

from .. import datasets, features, losses
from ..grid import Grid
from ..network import Network


def targets(y: np.ndarray, kind: str, output: str, classes: int) -> np.ndarray:
    """Labels -> Y (n, k) in the output's convention (+-1 for tanh, 0/1 for sigmoid, one-hot)."""
    if kind == "multiclass":
        return np.eye(classes)[y.astype(int)]
    if kind == "classification" and output == "sigmoid":
        return ((y + 1.0) / 2.0)[:, None]
    return y[:, None].astype(np.float64)


def dropout_rate(r) -> float:
    return r.reg_rate if r.regularization == "dropout" else 0.0


def resplit(data: dict, seed: int, train_ratio: float) -> dict:
    """A learner's points (custom data) shuffled with seed and split anew at train_ratio: what
    "new data" means when the data cannot be generated again."""
    rows = np.asarray(list(data["train"]) + list(data.get("test", [])), dtype=np.float64).reshape(-1, 3)
    rows = rows[np.random.default_rng(seed).permutation(len(rows))]
    cut = int(np.floor(len(rows) * train_ratio))
    return {"train": rows[:cut].tolist(), "test": rows[cut:].tolist()}


class PointsTask:
    name = "points"

    def __init__(self, r, data=None):
        """data: {"train": [[x1, x2, label], ...], "test": [...]} used as given, or None: generated
        from the config's dataset, points, noise, seed and train_ratio."""
        self.kind, self.output, self.loss = r.kind, r.output, losses.get(r.loss)
        if data is not None:
            tr = np.asarray(data["train"], dtype=np.float64).reshape(-1, 3)
            te = np.asarray(data.get("test", []), dtype=np.float64).reshape(-1, 3)
            (self.P_train, self.y_train), (self.P_test, self.y_test) = (tr[:, :2], tr[:, 2]), (te[:, :2], te[:, 2])
        elif r.dataset == "custom":
            raise ValueError("dataset: custom data come only with a file (a shared link cannot carry it); "
                             "allowed: upload a CSV, open a run file, or pick a built-in dataset")
        else:
            P, y = datasets.generate(r.dataset, r.points, r.noise, r.seed, r.classes)
            (self.P_train, self.y_train), (self.P_test, self.y_test) = datasets.split(P, y, r.train_ratio)
        if len(self.P_train) == 0:
            raise ValueError("points: no training points; raise points or train_ratio")
        self.features = list(r.features)
        self.X_train = features.transform(self.P_train, r.features)
        self.X_test = features.transform(self.P_test, r.features)
        self.X1_train = np.column_stack([self.X_train, np.ones(len(self.X_train))])    # [X 1]
        self.Y_train = targets(self.y_train, self.kind, r.output, r.classes)
        self.Y_test = targets(self.y_test, self.kind, r.output, r.classes)
        self.n_train, self.n_test = len(self.X_train), len(self.X_test)
        self.grid = Grid()

    def model(self, r) -> Network:
        return Network(r.sizes(), r.activation, r.output, r.init, seed=r.seed, dropout=dropout_rate(r),
                       loss=r.loss)

    def batch(self, idx: np.ndarray, rng=None):
        """The training examples idx: ([X 1] (b, d + 1), Y (b, k))."""
        return self.X1_train.take(idx, 0), self.Y_train.take(idx, 0)

    def score(self, model, X, Y, y) -> tuple[float, float | None]:
        """(mean loss, accuracy or None) of model on the examples X, Y (labels y), dropout off."""
        if len(X) == 0:
            return float("nan"), None
        acts = model.activations_of(X)
        A = acts[-1]
        Z = acts[-2] @ model.W[-1].T + model.b[-1]
        loss = float(losses.per_example(self.loss, Z, A, Y, self.output).mean())
        if self.kind == "regression":
            return loss, None
        if self.kind == "multiclass":
            return loss, float((A.argmax(axis=1) == y.astype(int)).mean())
        threshold = 0.5 if self.output == "sigmoid" else 0.0
        return loss, float(((A[:, 0] >= threshold) == (y > 0)).mean())

    def evaluate(self, model) -> dict:
        """Mean loss and accuracy (None for regression) on each split, dropout off; a split with no
        examples has loss nan."""
        loss_train, acc_train = self.score(model, self.X_train, self.Y_train, self.y_train)
        loss_test, acc_test = self.score(model, self.X_test, self.Y_test, self.y_test)
        return {"loss_train": loss_train, "loss_test": loss_test, "accuracy_train": acc_train,
                "accuracy_test": acc_test}

    def extras(self, model, maps: bool = False, resolution: int = 50) -> dict:
        """With maps: every node's output over the input grid, float32 (nodes, R, R): the input
        features, then each hidden layer's neurons, then the outputs. Row i is x2 = grid[i],
        column j is x1."""
        if not maps:
            return {}
        X = self.grid.features(resolution, self.features)
        return {"maps": model.node_values(X, np.float32).reshape(-1, resolution, resolution)}

    def data_for_run(self) -> dict:
        """The points inline, raw (features are computed from them), in training order."""
        return {"train": np.column_stack([self.P_train, self.y_train]).tolist(),
                "test": np.column_stack([self.P_test, self.y_test]).tolist()}
