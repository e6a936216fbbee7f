"""The live slice: a plane through this session's network, its loss surface, and where the weights
are on it while they train.

The plane shown (the *view*) is held while the weights stay in it: the point and its trail move
over a surface that stays put, and the view is re-centred on the weights only when they leave it
(``recenter="leave"``, the default: out of the inner 80% of the plane's extent, or farther from the
plane than half its width). A held random or PCA plane is a fixed surface, so only the point is
sent (no new binary: the message names the surface it moves over); two chosen weights give a
surface that changes with the other weights, so it is recomputed each time over a held window.
``recenter="always"`` centres every slice on the weights (the surface moves under a fixed dot).
"""
from __future__ import annotations

import time

import numpy as np

from engine import landscape as ls

from . import budget, messages, protocol as wire
from .errors import ProtocolError, value_range

MAX_SLICE_POINTS = 500          # a slice evaluates at most this many training points
MIN_INTERVAL = 0.2              # at most five new surfaces a second
MOVE_INTERVAL = 1 / 15          # the point over a held surface: up to fifteen times a second
TRAIL = 64                      # recent positions drawn on random / weights slices
INNER = 0.8                     # the view holds while the point is in this middle share of it
OFF_PLANE = 0.5                 # ... and no farther from the plane than this share of its width


class LiveSlice:
    """The slice through the live network: mode off, random, pca or weights."""

    def __init__(self):
        self.mode, self.pair, self.span, self.resolution = "off", None, 1.0, 41
        self.frozen, self.seed, self.recenter = False, 0, "leave"
        self.trajectory = ls.Trajectory(256)
        self.view = None                # the plane shown, held until the weights leave it
        self.dirty, self._next = True, 0.0
        self.failed = False             # a slice that failed waits for the network to change
        self.told = None                # the scaled plan the page was last told about
        self.sharing = 1                # sessions busy on this worker's thread (set by the connection)

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
        for k in ("span", "resolution", "frozen", "seed", "recenter"):
            if getattr(msg, k) is not None:
                setattr(self, k, getattr(msg, k))
        self.view = None
        self.dirty, self._next, self.failed = True, 0.0, False

    def restart(self) -> None:
        """The network was rebuilt or reset: the old trajectory, view and weight pair mean nothing now."""
        self.trajectory = ls.Trajectory(256)
        if self.mode == "weights":
            self.mode, self.pair = "off", None
        self.view = None
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

    def compute(self, trainer, seq: int) -> tuple[dict, bytes | None, dict | None]:
        """The slice now: its message, its surface (None when the point moves over the one the page
        has) and a notice if the budget scaled it down."""
        if trainer.task.name != "points":            # the live slice is the points workspace's
            self.failed, self.dirty = True, False
            return None, None, None
        started = time.perf_counter()
        net = trainer.network
        R, n, notice = self.plan(trainer)
        X, Y, loss = trainer.X_train[:n], trainer.Y_train[:n], trainer.r.loss
        traj = self.trajectory.array()
        mode = self.mode if self.mode != "pca" or len(traj) >= 2 else "random"
        v = self.view
        held = (self.recenter == "leave" and v is not None and v["mode"] == mode and v["plan"] == (R, n)
                and _inside(v, net.theta))
        if mode == "weights":                        # a held window, a surface that follows the weights
            i, j = self.pair
            out = ls.slice_weights(net, X, Y, loss, i, j, span=self.span, resolution=R,
                                   center=v["middle"] if held else None)
            self.view = v = {"mode": mode, "plan": (R, n), "middle": v["middle"] if held else out["center"],
                             "x": out["x"], "y": out["y"], "params": out["params"], "seq": seq,
                             "origin": np.zeros(net.theta.size), "directions": _unit_pair(net.theta.size, i, j)}
            grid = out["loss"]
        elif held:
            grid = None
        else:
            v = self.view = _plane(mode, net, X, Y, loss, traj, self, R, n, seq)
            grid = v.pop("loss")
        path = (traj if mode == "pca" else traj[-TRAIL:]) if len(traj) else np.zeros((0, net.theta.size))
        (here,), _ = ls.project(net.theta, v["origin"], v["directions"])
        if not np.isfinite(here).all():             # weights too far out to place on the plane
            raise FloatingPointError("the weights lie too far from the plane to be placed on it")
        at = {"x": v["x"], "y": v["y"], "center": here, "explained": v.get("explained"),
              "params": v.get("params"),
              "loss_center": ls.stack_loss(net, net.theta[None], X, Y, loss)[0]}
        msg = messages.landscape(mode, at, ls.project(path, v["origin"], v["directions"])[0].tolist(),
                                 trainer.step_count, v["seq"])
        took = time.perf_counter() - started
        # new surfaces take at most a quarter of the thread, and of this session's share of it when
        # others share the thread: its training keeps the rest (a slice is the dearest thing it does)
        self._next = time.perf_counter() + (MOVE_INTERVAL if grid is None else
                                            max(MIN_INTERVAL, 4 * took * self.sharing))
        self.dirty = False
        return msg, None if grid is None else messages.surface(v["seq"], grid, np.inf), notice


def _plane(mode: str, net, X, Y, loss, traj, live: LiveSlice, R: int, n: int, seq: int) -> dict:
    """A new view through the weights now: its plane, axes and loss surface."""
    if mode == "pca":
        out = ls.slice_pca(net, X, Y, loss, np.vstack([traj, net.theta]), resolution=R)
    else:
        out = ls.slice_random(net, X, Y, loss, seed=live.seed, span=live.span, resolution=R)
    D = out["directions"]
    return {"mode": mode, "plan": (R, n), "seq": seq, "x": out["x"], "y": out["y"], "loss": out["loss"],
            "origin": out["origin"], "directions": D, "explained": out.get("explained"),
            "unit": float(np.linalg.norm(D, axis=1).mean())}


def _unit_pair(size: int, i: int, j: int) -> np.ndarray:
    D = np.zeros((2, size))
    D[0, i] = D[1, j] = 1.0
    return D


def _inside(view: dict, theta) -> bool:
    """Whether the weights are still in the view: in the middle of the plane's extent and, for a
    plane through them, near it."""
    (c,), (off,) = ls.project(theta, view["origin"], view["directions"])
    width = []
    for k, axis in enumerate((view["x"], view["y"])):
        lo, hi = axis[0], axis[-1]
        margin = (1 - INNER) / 2 * (hi - lo)
        if not lo + margin <= c[k] <= hi - margin:
            return False
        width.append(hi - lo)
    return "unit" not in view or off <= OFF_PLANE * min(width) * view["unit"]
