"""Loss landscapes for a session: the live slice through its network, refreshed while it trains,
and one-off explorations (exact two-parameter surfaces, optimiser races, crowds of walkers, crowds
of networks). Both answer with a JSON message and a float32 surface as a binary message."""
from __future__ import annotations

import time

import numpy as np

from engine.landscape import networks as crowd_engine
from engine import landscape as ls
from engine.landscape import surfaces, walkers

from . import protocol as wire
from .jsonsafe import finite, jsonable, number

MAX_SLICE_POINTS = 500          # a slice evaluates at most this many training points
MIN_INTERVAL = 0.2              # at most five live slices a second
TRAIL = 64                      # recent positions drawn on random / weights slices
CROWD_WORK = 3e8                # a crowd of networks trains at most models * batch * params * steps


class LiveSlice:
    """The slice through the live network: mode off, random, pca or weights."""

    def __init__(self):
        self.mode, self.pair, self.span, self.resolution = "off", None, 1.0, 41
        self.frozen, self.seed = False, 0
        self.trajectory = ls.Trajectory(256)
        self.dirty, self._next = True, 0.0

    def configure(self, msg, trainer) -> None:
        if msg.weights is not None:
            sizes = trainer.network.sizes
            try:
                self.pair = [ls.param_index(sizes, w.layer, w.to, w.from_) for w in msg.weights]
            except ValueError as e:
                raise ValueError(f"weights: {str(e).partition(': ')[2]}; allowed: layers 0 to "
                                 f"{len(sizes) - 2} of this {'-'.join(map(str, sizes))} network") from None
            if self.pair[0] == self.pair[1]:
                raise ValueError("weights: pick two different parameters")
        if msg.mode == "weights" and self.pair is None:
            raise ValueError("weights: the weights mode needs two weights; allowed: [{layer, to, from}, {...}]")
        self.mode = msg.mode
        for k in ("span", "resolution", "frozen", "seed"):
            if getattr(msg, k) is not None:
                setattr(self, k, getattr(msg, k))
        self.dirty, self._next = True, 0.0

    def restart(self) -> None:
        """The network was rebuilt or reset: the old trajectory and weight pair mean nothing now."""
        self.trajectory = ls.Trajectory(256)
        if self.mode == "weights":
            self.mode, self.pair = "off", None
        self.dirty = True

    def record(self, theta) -> None:
        self.trajectory.add(theta)
        self.dirty = True

    def due(self, now: float) -> bool:
        return self.mode != "off" and not self.frozen and self.dirty and now >= self._next

    def compute(self, trainer, seq: int) -> tuple[dict, bytes]:
        started = time.perf_counter()
        net = trainer.network
        X, Y = trainer.X_train[:MAX_SLICE_POINTS], trainer.Y_train[:MAX_SLICE_POINTS]
        loss, R = trainer.r.loss, self.resolution
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
        grid = out["loss"][None]
        msg = {"type": "landscape", "mode": self.mode if self.mode != "pca" or len(traj) >= 2 else "random",
               "x": out["x"], "y": out["y"], "center": out["center"], "loss_center": number(out["loss_center"]),
               "path": finite(path) if len(path) else [], "explained": out.get("explained"),
               "params": out.get("params"), "step": trainer.step_count, "surface_seq": seq}
        took = time.perf_counter() - started
        self._next = time.perf_counter() + max(MIN_INTERVAL, 4 * took)   # training keeps >= 80%
        self.dirty = False
        return msg, wire.pack_grids(wire.KIND_SURFACE, seq, np.nan_to_num(grid, nan=np.inf))


def _surface(msg, trainer):
    if msg.surface == "house":
        x, y = ls.house(points=100, noise=0.05, seed=msg.seed)
        return ls.linear_regression(x, y, loss="mse")
    if msg.surface == "neuron":
        P, y = ls.neuron_data(seed=msg.seed)
        return ls.neuron(P, y)
    params = {"condition": msg.condition} if msg.surface == "quadratic" else {}
    return surfaces.get(msg.surface, **params)


def explore(msg, trainer, seq: int) -> tuple[dict, bytes | None]:
    """One exploration; raises ValueError("field: ...") for what cannot be done."""
    if msg.mode == "networks":
        crowd = crowd_engine.Networks.from_trainer(trainer, models=msg.models)
        # about a second of work at most: fewer steps for big networks on many points
        # (an update costs models x batch x params, a recorded loss models x points x params)
        P, n = trainer.network.theta.size, len(trainer.X_train)
        steps = max(1, min(msg.steps, int(CROWD_WORK / (msg.models * min(trainer.r.batch_size, n) * P))))
        records = max(1, min(50, steps, int(CROWD_WORK / (msg.models * n * P))))
        rep = crowd.train(steps, record_every=max(1, steps // records))
        return {"type": "exploration", "mode": "networks", "surface": None, "surface_seq": None,
                "result": jsonable(rep)}, None
    s = _surface(msg, trainer)
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
    body = g["z"][None]
    out = {"type": "exploration", "mode": msg.mode, "surface": s.describe(), "x": g["x"], "y": g["y"],
           "surface_seq": seq, "result": jsonable(result)}
    return out, wire.pack_grids(wire.KIND_SURFACE, seq, np.where(np.isfinite(body), body, np.float32(3e38)))
