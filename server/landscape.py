"""Loss landscapes for a session: the live slice through its network, refreshed while it trains,
and one-off explorations (exact two-parameter surfaces, optimiser races, crowds of walkers, crowds
of networks). Both answer with a JSON message and a float32 surface as a binary message."""
from __future__ import annotations

import time

import numpy as np

from engine.landscape import networks as crowd_engine
from engine import landscape as ls
from engine.landscape import surfaces, walkers

from . import budget, messages, protocol as wire
from .errors import ProtocolError, from_engine, value_range

MAX_SLICE_POINTS = 500          # a slice evaluates at most this many training points
MIN_INTERVAL = 0.2              # at most five live slices a second
TRAIL = 64                      # recent positions drawn on random / weights slices


class LiveSlice:
    """The slice through the live network: mode off, random, pca or weights."""

    def __init__(self):
        self.mode, self.pair, self.span, self.resolution = "off", None, 1.0, 41
        self.frozen, self.seed = False, 0
        self.trajectory = ls.Trajectory(256)
        self.dirty, self._next = True, 0.0
        self.failed = False             # a slice that failed waits for the network to change
        self.told = None                # the scaled plan the page was last told about

    def configure(self, msg, trainer) -> None:
        if msg.weights is not None:
            sizes = trainer.network.sizes
            try:
                self.pair = [ls.param_index(sizes, w.layer, w.to, w.from_) for w in msg.weights]
            except ValueError as e:
                raise ProtocolError("not_in_network", "weights", got=str(e).partition(": ")[2],
                                    shape="-".join(map(str, sizes)),
                                    range="layer " + value_range(0, len(sizes) - 2)) from None
            if self.pair[0] == self.pair[1]:
                raise ProtocolError("same_parameter", "weights")
        if msg.mode == "weights" and self.pair is None:
            raise ProtocolError("weights_mode", "weights")
        self.mode = msg.mode
        for k in ("span", "resolution", "frozen", "seed"):
            if getattr(msg, k) is not None:
                setattr(self, k, getattr(msg, k))
        self.dirty, self._next, self.failed = True, 0.0, False

    def restart(self) -> None:
        """The network was rebuilt or reset: the old trajectory and weight pair mean nothing now."""
        self.trajectory = ls.Trajectory(256)
        if self.mode == "weights":
            self.mode, self.pair = "off", None
        self.dirty, self.failed = True, False

    def record(self, theta) -> None:
        self.trajectory.add(theta)
        self.dirty = True

    def due(self, now: float) -> bool:
        return self.mode != "off" and not self.frozen and self.dirty and not self.failed and now >= self._next

    def plan(self, trainer) -> tuple[int, int, dict | None]:
        """(resolution, points) within the slice budget, and a notice when that scaled it down."""
        asked_points = min(len(trainer.X_train), MAX_SLICE_POINTS)
        R, n = budget.slice_plan(self.resolution, asked_points, trainer.network.theta.size)
        notice = None
        if (R, n) != (self.resolution, asked_points) and self.told != (R, n, self.resolution):
            self.told = (R, n, self.resolution)
            notice = messages.error("scaled_down", "landscape.resolution", asked=self.resolution,
                                    limit=wire.LIMITS["max_slice_work"],
                                    unit="grid points × training points × parameters", used=R)
        return R, n, notice

    def fail(self) -> None:
        """This slice could not be computed: none again until the network changes."""
        self.failed, self.dirty = True, False

    def compute(self, trainer, seq: int) -> tuple[dict, bytes, dict | None]:
        if trainer.task.name != "points":            # the live slice is the points workspace's
            self.failed, self.dirty = True, False
            return None, None, None
        started = time.perf_counter()
        net = trainer.network
        R, n, notice = self.plan(trainer)
        X, Y = trainer.X_train[:n], trainer.Y_train[:n]
        loss = trainer.r.loss
        traj = self.trajectory.array()
        if self.mode == "pca" and len(traj) >= 2:
            out = ls.slice_pca(net, X, Y, loss, np.vstack([traj, net.theta]), resolution=R)
            path = out["path"]
        elif self.mode == "weights":
            i, j = self.pair
            out = ls.slice_weights(net, X, Y, loss, i, j, span=self.span, resolution=R)
            path = traj[-TRAIL:][:, [i, j]].tolist() if len(traj) else []
        else:
            out = ls.slice_random(net, X, Y, loss, seed=self.seed, span=self.span, resolution=R)
            D = out["directions"]
            E = traj[-TRAIL:] - out["origin"] if len(traj) else np.zeros((0, D.shape[1]))
            path = (E @ D.T @ np.linalg.pinv(D @ D.T)).tolist()
        mode = self.mode if self.mode != "pca" or len(traj) >= 2 else "random"
        msg = messages.landscape(mode, out, path, trainer.step_count, seq)
        took = time.perf_counter() - started
        self._next = time.perf_counter() + max(MIN_INTERVAL, 4 * took)   # training keeps >= 80%
        self.dirty = False
        return msg, messages.surface(seq, out["loss"], np.inf), notice


def house_data(seed: int):
    """The house prices the exact "house" surface is drawn from (server/lessons.py reads its rates)."""
    return ls.house(points=100, noise=0.05, seed=seed)


def _surface(msg, trainer):
    if msg.surface == "house":
        x, y = house_data(msg.seed)
        return ls.linear_regression(x, y, loss="mse")
    if msg.surface == "neuron":
        P, y = ls.neuron_data(seed=msg.seed)
        return ls.neuron(P, y)
    params = {"condition": msg.condition} if msg.surface == "quadratic" else {}
    return surfaces.get(msg.surface, **params)


def explore(msg, trainer, seq: int) -> tuple[dict, bytes | None, dict | None]:
    """One exploration, its surface (or None) and a notice if the budget scaled it down; raises
    ProtocolError for what cannot be done."""
    if msg.mode == "networks":
        return _networks(msg, trainer)
    try:
        s = _surface(msg, trainer)
    except ValueError as e:
        raise ProtocolError("refused", "surface", detail=str(e).partition(": ")[2] or str(e)) from None
    g = surfaces.grid(s, resolution=msg.resolution)
    hyper = {"momentum": msg.momentum}
    if msg.mode == "path":
        lr = msg.learning_rate or s.rates.get(msg.optimizer, 0.01)
        result = ls.gd_path(s, start=msg.start, lr=lr, steps=msg.steps, optimizer=msg.optimizer, **hyper) \
            if s.hessian is not None else walkers.race(s, [msg.optimizer], {msg.optimizer: lr}, msg.start,
                                                      msg.steps, **hyper)["racers"][msg.optimizer]
        if s.hessian is not None:
            result["presets"] = ls.lr_presets(s)
    elif msg.mode == "race":
        result = walkers.race(s, list(msg.rates) if msg.rates else None, msg.rates, msg.start, msg.steps, **hyper)
        if s.hessian is not None:
            result["theory"] = surfaces.theory(np.linalg.eigvalsh(s.hessian), msg.momentum)
    else:
        result = walkers.crowd(s, walkers=msg.walkers, optimizer=msg.optimizer, lr=msg.learning_rate,
                               steps=msg.steps, seed=msg.seed, **hyper)
    out = messages.exploration(msg.mode, result, s.describe(), g, seq)
    return out, messages.surface(seq, g["z"], np.float32(3e38)), None


def _networks(msg, trainer) -> tuple[dict, None, dict | None]:
    """A crowd of networks like this one, trained together within the exploration budget."""
    try:
        crowd = crowd_engine.Networks.from_trainer(trainer, models=msg.models)
    except ValueError as e:
        raise from_engine(e) from None
    P, n = trainer.network.theta.size, len(trainer.X_train)
    steps, records, least = budget.crowd_plan(msg.models, msg.steps, min(trainer.r.batch_size, n), n, P)
    if steps == 0:
        raise ProtocolError("over_budget", "explore.models", cost=least, limit=wire.LIMITS["max_explore_work"],
                            unit="networks × (batch + points) × parameters")
    notice = None
    if steps < msg.steps:
        notice = messages.error("scaled_down", "explore.steps", asked=msg.steps, used=steps,
                                limit=wire.LIMITS["max_explore_work"], unit="networks × steps × batch × parameters")
    rep = crowd.train(steps, record_every=max(1, steps // records))
    return messages.exploration("networks", rep), None, notice
