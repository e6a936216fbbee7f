"""The training run: network, optimiser and data together, stepped and reported.

``run(n)`` performs n parameter updates (one mini-batch each) as fast as it can; ``report()``
says what happened; ``step(n)`` is both. Divergence is a state: when the weights stop being
finite the trainer keeps the last finite ones, reports ``status == "diverged"`` and does nothing
more until ``reset()``.
"""
from __future__ import annotations

import time
from math import isfinite

import numpy as np

from . import datasets, features, losses, optimizers, regularizers, schedules
from .batches import Batches
from .config import DATA_FIELDS, LIVE_FIELDS, Config
from .grid import Grid
from .network import Network


def targets(y: np.ndarray, kind: str, output: str, classes: int) -> np.ndarray:
    """Labels -> Y (n, k) in the output's convention (+-1 for tanh, 0/1 for sigmoid, one-hot)."""
    if kind == "multiclass":
        return np.eye(classes)[y.astype(int)]
    if kind == "classification" and output == "sigmoid":
        return ((y + 1.0) / 2.0)[:, None]
    return y[:, None].astype(np.float64)


class Trainer:
    def __init__(self, config: Config | dict | None = None, data=None, weights=None):
        """data: optional {"train": [[x1, x2, label], ...], "test": [...]} used as given;
        weights: optional [{"W": [[...]], "b": [...]}, ...] used as the initial weights."""
        if config is None or isinstance(config, dict):
            config = Config.from_dict(config or {})
        self.config = config
        self._data_given = data
        self._weights_given = weights
        self.grid = Grid()
        self.build()

    # -- building ---------------------------------------------------------------------------
    def build(self) -> None:
        r = self.r = self.config.resolved()
        self._load_data()
        self.network = Network(r.sizes(), r.activation, r.output, r.init, seed=r.seed,
                               dropout=r.reg_rate if r.regularization == "dropout" else 0.0)
        if self._weights_given is not None:
            self.network.load_layers(self._weights_given)
        self._theta0 = self.network.theta.copy()
        self.loss = losses.get(r.loss)
        self._new_optimizer()
        self._prev = np.empty_like(self.network.theta)
        self.reset()

    def _load_data(self) -> None:
        r = self.r
        if self._data_given is not None:
            tr = np.asarray(self._data_given["train"], dtype=np.float64).reshape(-1, 3)
            te = np.asarray(self._data_given.get("test", []), dtype=np.float64).reshape(-1, 3)
            (self.P_train, self.y_train), (self.P_test, self.y_test) = (tr[:, :2], tr[:, 2]), (te[:, :2], te[:, 2])
        else:
            P, y = datasets.generate(r.dataset, r.points, r.noise, r.seed, r.classes)
            (self.P_train, self.y_train), (self.P_test, self.y_test) = datasets.split(P, y, r.train_ratio)
        if len(self.P_train) == 0:
            raise ValueError("points: no training points; raise points or train_ratio")
        kind = r.kind
        self.X_train = features.transform(self.P_train, r.features)
        self.X_test = features.transform(self.P_test, r.features)
        self._X1_train = np.column_stack([self.X_train, np.ones(len(self.X_train))])   # [X 1]
        self.Y_train = targets(self.y_train, kind, r.output, r.classes)
        self.Y_test = targets(self.y_test, kind, r.output, r.classes)

    def _new_optimizer(self) -> None:
        self.optimizer = optimizers.make(self.r.optimizer, self.network.theta.size,
                                         **optimizers.hyperparameters(self.r))

    def reset(self) -> None:
        """Initial weights back, optimiser state cleared, counters to zero, divergence cleared."""
        np.copyto(self.network.theta, self._theta0)
        self.network.grad.fill(0.0)
        self.optimizer.reset()
        self.alive = np.ones_like(self.network.theta)
        self.frozen = False
        self.step_count = 0
        self.epoch = 0
        self.status = "ok"
        self.diverged_at = None
        self.rng = np.random.default_rng([self.r.seed, 7])
        self._batches = Batches(len(self.X_train), self.r.playground)
        self._order_data(first=True)

    def _order_data(self, first=False) -> None:
        """This epoch's order: fixed (Playground), or reshuffled every epoch."""
        if self.r.shuffle and not first:
            perm = self.rng.permutation(len(self.X_train))
            self._X1, self._Y = self._X1_train[perm], self.Y_train[perm]
        else:
            self._X1, self._Y = self._X1_train, self.Y_train
        self._X = self._X1[:, :-1]

    def configure(self, changes: dict) -> str:
        """Apply a partial config. Returns "live" (kept the run), "rebuild" or "none".
        All or nothing: a change refused half-way (a rebuild with no training points, say) raises
        ValueError and leaves the trainer exactly as it was."""
        kept = dict(vars(self))
        try:
            return self._configure(changes)
        except ValueError:
            vars(self).clear()
            vars(self).update(kept)
            raise

    def _configure(self, changes: dict) -> str:
        new = self.config.updated(changes)
        changed = {k for k in changes if getattr(new, k) != getattr(self.config, k)}
        if not changed:
            return "none"
        old_optimizer = self.r.optimizer
        self.config = new
        if changed <= LIVE_FIELDS | {"optimizer"}:
            self.r = new.resolved()
            self.network.dropout = self.r.reg_rate if self.r.regularization == "dropout" else 0.0
            if self.r.optimizer != old_optimizer:
                self._new_optimizer()
            for h, value in optimizers.hyperparameters(self.r).items():
                if value is not None:
                    setattr(self.optimizer, h, value)
            return "live"
        if changed & DATA_FIELDS:
            self._data_given = None
        self._weights_given = None
        self.build()
        return "rebuild"

    def regenerate(self, seed: int | None = None) -> None:
        """New data (a new seed if given, else seed + 1) and a fresh run."""
        self.configure({"seed": self.config.seed + 1 if seed is None else seed})

    # -- training ---------------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        r = self.r
        return schedules.rate(r.schedule, r.learning_rate, self.epoch)

    def _next_batch(self):
        """The next mini-batch (Xb [X 1] (b, d+1), Yb (b, k)); moves on to the next epoch."""
        runs, ended = self._batches.next(self.r.batch_size)
        X, Y = self._X1, self._Y
        if len(runs) == 1:
            (s, e), = runs
            Xb, Yb = X[s:e], Y[s:e]
        else:                                         # Playground: the leftover joins this batch
            Xb, Yb = np.concatenate([X[s:e] for s, e in runs]), np.concatenate([Y[s:e] for s, e in runs])
        if ended:
            self.epoch += 1
            self._order_data()
        return Xb, Yb

    def run(self, steps: int, deadline: float | None = None) -> int:
        """Up to `steps` updates (stopping early at `deadline`, a perf_counter time). Returns done."""
        net, r = self.network, self.r
        theta, grad, prev = net.theta, net.grad, self._prev
        forward, backward, output_z = net.forward, net.backward, net.output_z
        next_batch, delta, update = self._next_batch, self.loss.delta_into, self.optimizer.update
        train_mode, rng, output = net.dropout > 0.0, self.rng, r.output
        reg = r.regularization if r.regularization in ("l1", "l2") and r.reg_rate > 0 else None
        add_reg, freeze = reg and not r.l1_freeze, reg and r.l1_freeze
        D = F = np.empty((0, 0))                      # dL/dZ of the output, and scratch
        epoch = lr = inv_n = None                     # 0-d arrays: NumPy takes them fastest
        done = 0
        while done < steps and self.status == "ok":
            Xb, Yb = next_batch()
            n = len(Xb)
            A = forward(Xb, train_mode, rng, True)
            if D.shape[0] != n:
                D, F, inv_n = np.empty_like(A), np.empty_like(A), np.array(1.0 / n)
            backward(delta(output_z(n), A, Yb, output, inv_n, D, F))
            if epoch != self.epoch:                   # the rate in force changes only by epoch
                epoch, lr = self.epoch, np.array(self.learning_rate)
            np.copyto(prev, theta)
            if add_reg:
                regularizers.add_gradient(reg, r.reg_rate, theta, net.weight_mask, grad)
            update(theta, grad, lr, self.alive if self.frozen else None)
            if freeze:
                regularizers.playground_step(reg, r.reg_rate, lr, theta, prev, net.weight_mask, self.alive)
                self.frozen = self.frozen or bool(self.alive.min() == 0.0)
            self.step_count += 1
            done += 1
            if not isfinite(np.add.reduce(theta)):    # theta.sum(), without the method's overhead
                np.copyto(theta, prev)                # keep the last finite weights
                self.status, self.diverged_at = "diverged", self.step_count
            if deadline is not None and (done & 7) == 0 and time.perf_counter() > deadline:
                break
        return done

    def run_epochs(self, epochs: int) -> None:
        target = self.epoch + epochs
        while self.epoch < target and self.status == "ok":
            self.run(1)

    # -- reporting --------------------------------------------------------------------------
    def evaluate(self, X, Y, y) -> tuple[float, float | None]:
        """(mean loss, accuracy or None) of the current weights on one split, without dropout."""
        if len(X) == 0:
            return float("nan"), None
        acts = self.network.activations_of(X)
        A = acts[-1]
        Z = acts[-2] @ self.network.W[-1].T + self.network.b[-1]
        loss = float(losses.per_example(self.loss, Z, A, Y, self.r.output).mean())
        kind = self.r.kind
        if kind == "regression":
            return loss, None
        if kind == "multiclass":
            return loss, float((A.argmax(axis=1) == y.astype(int)).mean())
        threshold = 0.5 if self.r.output == "sigmoid" else 0.0
        return loss, float(((A[:, 0] >= threshold) == (y > 0)).mean())

    def report(self, maps: bool = False, resolution: int = 50) -> dict:
        net = self.network
        loss_train, acc_train = self.evaluate(self.X_train, self.Y_train, self.y_train)
        loss_test, acc_test = self.evaluate(self.X_test, self.Y_test, self.y_test)
        if self.status == "ok" and not (np.isfinite(loss_train) and np.isfinite(loss_test or 0.0)):
            if len(self.X_test) or not np.isfinite(loss_train):
                self.status, self.diverged_at = "diverged", self.step_count
        out = {
            "step": self.step_count,
            "epoch": self.epoch,
            "loss_train": loss_train,
            "loss_test": loss_test,
            "accuracy_train": acc_train,
            "accuracy_test": acc_test,
            "learning_rate": self.learning_rate,
            "status": self.status,
            "diverged_at": self.diverged_at,
            "weights": net.params(),
            "gradients": net.grads(),
            "grad_norms": [float(np.linalg.norm(g)) for g in net.dW],
            "weight_norms": [float(np.linalg.norm(W)) for W in net.W],
        }
        if maps:
            out["maps"] = self.maps(resolution)
        return out

    def step(self, n: int = 1, maps: bool = False, resolution: int = 50) -> dict:
        self.run(n)
        return self.report(maps=maps, resolution=resolution)

    def maps(self, resolution: int = 50) -> np.ndarray:
        """Every node's output over the input grid, float32 (nodes, R, R): the input features,
        then each hidden layer's neurons, then the outputs. Row i is x2 = grid[i], column j x1."""
        X = self.grid.features(resolution, self.r.features)
        return self.network.node_values(X, np.float32).reshape(-1, resolution, resolution)

    # -- run files --------------------------------------------------------------------------
    def to_run(self, data: bool = True, weights: bool = True, initial: bool = True) -> dict:
        """The run file: config, the data in training order, and the initial (or current) weights."""
        doc = {"version": 1, "config": self.config.to_dict()}
        if data:
            doc["data"] = {
                "train": np.column_stack([self.P_train, self.y_train]).tolist(),
                "test": np.column_stack([self.P_test, self.y_test]).tolist(),
            }
        if weights:
            net = self.network
            if initial:
                keep = net.theta.copy()
                np.copyto(net.theta, self._theta0)
                doc["weights"] = net.layers()
                np.copyto(net.theta, keep)
            else:
                doc["weights"] = net.layers()
        return doc

    @classmethod
    def from_run(cls, doc: dict, overrides: dict | None = None) -> "Trainer":
        if not isinstance(doc, dict) or not isinstance(doc.get("config", {}), dict):
            raise ValueError("run file: must be a JSON object with a 'config' object")
        config = Config.from_dict(doc.get("config", {})).updated(overrides or {})
        return cls(config, data=doc.get("data"), weights=doc.get("weights"))
