"""The training run: a task's model, the optimiser and the task's data together, stepped and reported.

``run(n)`` performs n parameter updates (one mini-batch each) as fast as it can; ``report()``
says what happened; ``step(n)`` is both. What differs between points, images and text lives in the
task (engine.tasks) and its model; the Trainer only knows the Model interface (docs/engine.md).
Divergence is a state: every few steps (and at the end of every ``run``) the weights are checked
against a snapshot, which comes back when they stop being finite; at the end of every epoch,
outside the Playground-compatible mode, an epoch whose mean batch loss is DIVERGENCE_FACTOR times
the best epoch's has diverged too. The trainer then reports ``status == "diverged"`` and does
nothing more until ``reset()``.
"""
from __future__ import annotations

import time
from math import isfinite

import numpy as np

from . import optimizers, regularizers, schedules, tasks
from .batches import Feed
from .config import DATA_FIELDS, LIVE_FIELDS, Config
from .tasks.points import resplit
from .text.clipping import clip_by_global_norm

DIVERGENCE_FACTOR = 1e6      # an epoch's mean loss this many times the best epoch's has diverged
CHECK_EVERY = 8              # steps between divergence checks (a power of two)
_TASK_DATA = {"X_train", "Y_train", "X_test", "Y_test", "P_train", "P_test", "y_train", "y_test", "grid"}


class Trainer:
    def __init__(self, config: Config | dict | None = None, data=None, weights=None):
        """data: the run file's data, used as given (points: {"train": [[x1, x2, label], ...],
        "test": [...]}); weights: optional [{"W": [[...]], "b": [...]}, ...], the initial weights."""
        if config is None or isinstance(config, dict):
            config = Config.from_dict(config or {})
        self.config = config
        self._data_given = data
        self._weights_given = weights
        self.build()

    def __getattr__(self, name):
        """The task's data under their old names (trainer.X_train is trainer.task.X_train)."""
        if name in _TASK_DATA and "task" in vars(self):
            return getattr(self.task, name)
        raise AttributeError(name)

    # -- building ---------------------------------------------------------------------------
    def build(self) -> None:
        r = self.r = self.config.resolved()
        self.task = tasks.for_config(r)(r, self._data_given)
        self.model = self.network = self.task.model(r)
        if self._weights_given is not None:
            self.model.load_layers(self._weights_given)
        self._theta0 = self.model.theta.copy()
        self._new_optimizer()
        self._prev = np.empty_like(self.model.theta)
        self._snapshot = np.empty_like(self.model.theta)
        self.reset()

    def _new_optimizer(self) -> None:
        self.optimizer = optimizers.make(self.r.optimizer, self.model.theta.size,
                                         **optimizers.hyperparameters(self.r))

    def reset(self) -> None:
        """Initial weights back, optimiser state cleared, counters to zero, divergence cleared."""
        np.copyto(self.model.theta, self._theta0)
        np.copyto(self._snapshot, self._theta0)
        self.model.grad.fill(0.0)
        self.optimizer.reset()
        self.alive = np.ones_like(self.model.theta)
        self.frozen = False
        self.step_count = 0
        self.epoch = 0
        self.status = "ok"
        self.diverged_at = None
        self.history: list[dict] = []          # per epoch: epoch, step, loss (mean over its batches)
        self._best = float("inf")
        self._losses, self._checked = [], 0    # this epoch's batch losses; how many were checked
        self.rng = np.random.default_rng([self.r.seed, 7])
        self.feed = Feed(self.task, self.rng, self.r.playground)

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
        old_optimizer, old_dataset = self.r.optimizer, self.config.dataset
        self.config = new
        if changed <= LIVE_FIELDS | {"optimizer"}:
            self.r = new.resolved()
            self.model.dropout = self.r.reg_rate if self.r.regularization == "dropout" else 0.0
            self.feed.replan()
            if self.r.optimizer != old_optimizer:
                self._new_optimizer()
            for h, value in optimizers.hyperparameters(self.r).items():
                if value is not None:
                    setattr(self.optimizer, h, value)
            return "live"
        if changed & DATA_FIELDS:               # custom data cannot be generated again: re-shuffled
            keep = self._data_given is not None and old_dataset == new.dataset == "custom"
            self._data_given = resplit(self._data_given, new.seed, new.train_ratio) if keep else None
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

    def run(self, steps: int, deadline: float | None = None) -> int:
        """Up to `steps` updates (stopping early at `deadline`, a perf_counter time). Returns done.
        The loop keeps the step counter in a local (written back before every check) and the
        status can change only in a check or at an epoch's end, so it is read only after those."""
        if self.status != "ok":
            return 0
        model, r, feed = self.model, self.r, self.feed
        theta, grad, gradient, update = model.theta, model.grad, model.gradient, self.optimizer.update
        train, rng = model.dropout > 0.0 if hasattr(model, "dropout") else True, self.rng
        reg = regularizers.get(r.regularization).dR is not None and r.reg_rate > 0
        extra = reg or r.clip                         # anything besides gradient and update
        lr = np.array(self.learning_rate)             # a 0-d array: NumPy takes it fastest
        losses, ahead = self._losses, feed.ahead      # this epoch's batch losses; prepared batches
        append, mask = losses.append, CHECK_EVERY - 1
        count = start = self.step_count
        stop = start + steps
        while count < stop:
            if not ahead:
                feed.prepare(r.batch_size)
                ahead = feed.ahead
            batch, ended, _ = ahead.pop()
            if ended:                                 # the rate in force changes only by epoch
                self.epoch += 1
                feed.new_epoch(r.shuffle)
                ahead, lr = feed.ahead, np.array(self.learning_rate)
            append(gradient(batch, rng, train))
            if extra:
                self._update_with_extras(reg, lr)
            else:
                update(theta, grad, lr)
            count += 1
            if ended:
                self.step_count = count
                self._end_epoch()
                losses = self._losses
                append = losses.append
                if self.status != "ok":
                    break
            elif not count & mask:
                self.step_count = count
                self._check()
                if self.status != "ok" or deadline is not None and time.perf_counter() > deadline:
                    break
        self.step_count = count
        if len(losses) > self._checked:
            self._check()
        return count - start

    def _update_with_extras(self, reg: bool, lr) -> None:
        """The update when a penalty or clipping takes part: the penalty's gradient added (or the
        Playground's L1 freezing rule applied after the update), the gradient clipped."""
        model, r, theta, grad = self.model, self.r, self.model.theta, self.model.grad
        freeze = reg and r.l1_freeze
        if reg and not freeze:
            regularizers.add_gradient(r.regularization, r.reg_rate, theta, model.weight_mask, grad)
        if r.clip:
            clip_by_global_norm(grad, r.clip)
        if freeze:
            np.copyto(self._prev, theta)
            self.optimizer.update(theta, grad, lr, self.alive if self.frozen else None)
            regularizers.playground_step(r.regularization, r.reg_rate, lr, theta, self._prev,
                                         model.weight_mask, self.alive)
            self.frozen = self.frozen or bool(self.alive.min() == 0.0)
        else:
            self.optimizer.update(theta, grad, lr)

    def _end_epoch(self) -> None:
        """The epoch's history entry and divergence checks: non-finite weights, and (outside
        Playground mode) an epoch whose mean batch loss is DIVERGENCE_FACTOR times the best epoch's."""
        losses = self._losses
        mean = sum(losses) / len(losses)
        self._check()
        if self.status == "ok" and not self.r.playground:
            if mean > DIVERGENCE_FACTOR * max(self._best, 1e-12):
                self.status, self.diverged_at = "diverged", self.step_count
            self._best = min(self._best, mean)
        self.history.append({"epoch": self.epoch, "step": self.step_count, "loss": mean})
        self._losses, self._checked = [], 0

    def _check(self) -> None:
        """Divergence against the snapshot of the last check: when a weight or the mean batch loss
        since then is not finite, the snapshot (the last checked weights) comes back."""
        window = self._losses[self._checked:]
        if not window:
            return
        self._checked = len(self._losses)
        theta = self.model.theta
        if isfinite(np.add.reduce(theta)) and isfinite(sum(window)):
            np.copyto(self._snapshot, theta)
        else:
            np.copyto(theta, self._snapshot)
            self.status, self.diverged_at = "diverged", self.step_count

    def run_epochs(self, epochs: int, evaluate: bool = False) -> None:
        """Updates until the epoch counter has advanced by `epochs`; with evaluate, each epoch's
        history entry also carries the task's evaluation (loss_train, loss_test, accuracies)."""
        target = self.epoch + epochs
        while self.epoch < target and self.status == "ok":
            e0 = self.epoch
            self.run(1)
            if evaluate and self.epoch != e0 and self.history:
                self.history[-1].update(self.task.evaluate(self.model))

    # -- reporting --------------------------------------------------------------------------
    def evaluate(self, X, Y, y) -> tuple[float, float | None]:
        """(mean loss, accuracy or None) of the current weights on points X, Y, y (the points
        task's score; e.g. trainer.evaluate(trainer.X_test, trainer.Y_test, trainer.y_test))."""
        return self.task.score(self.model, X, Y, y)

    def report(self, maps: bool = False, resolution: int = 50) -> dict:
        model, ev = self.model, self.task.evaluate(self.model)
        lt, ls = ev["loss_train"], ev["loss_test"]
        if self.status == "ok" and not (isfinite(lt) and isfinite(ls if ls is not None else 0.0)):
            if getattr(self.task, "n_test", 1) or not isfinite(lt):
                self.status, self.diverged_at = "diverged", self.step_count
        params, grads = model.params(), model.grads()
        out = {"step": self.step_count, "epoch": self.epoch, **ev,
               "learning_rate": self.learning_rate, "status": self.status, "diverged_at": self.diverged_at,
               "weights": params, "gradients": grads,
               "grad_norms": [float(np.linalg.norm(g)) for k, g in grads.items() if k.startswith("W")],
               "weight_norms": [float(np.linalg.norm(w)) for k, w in params.items() if k.startswith("W")]}
        out.update(self.task.extras(model, maps=maps, resolution=resolution))
        return out

    def step(self, n: int = 1, maps: bool = False, resolution: int = 50) -> dict:
        """run(n), then report(...)."""
        self.run(n)
        return self.report(maps=maps, resolution=resolution)

    def maps(self, resolution: int = 50) -> np.ndarray:
        """The points task's node maps (see PointsTask.extras)."""
        return self.task.extras(self.model, maps=True, resolution=resolution)["maps"]

    # -- run files --------------------------------------------------------------------------
    def to_run(self, data: bool = True, weights: bool = True, initial: bool = True) -> dict:
        """The run file: config, the task's data (points inline, in training order), and the
        initial (or current) weights."""
        doc = {"version": 1, "config": self.config.to_dict()}
        if data:
            doc["data"] = self.task.data_for_run()
        if weights:
            model = self.model
            if initial:
                keep = model.theta.copy()
                np.copyto(model.theta, self._theta0)
                doc["weights"] = model.layers()
                np.copyto(model.theta, keep)
            else:
                doc["weights"] = model.layers()
        return doc

    @classmethod
    def from_run(cls, doc: dict, overrides: dict | None = None) -> "Trainer":
        if not isinstance(doc, dict) or not isinstance(doc.get("config", {}), dict):
            raise ValueError("run file: must be a JSON object with a 'config' object")
        config = Config.from_dict(doc.get("config", {})).updated(overrides or {})
        return cls(config, data=doc.get("data"), weights=doc.get("weights"))
