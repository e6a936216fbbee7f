"""Many walkers descending at once: the update rules of engine.optimizers, vectorised over rows.

A walker is one row of a parameter matrix X (N, D): a point on a 2-D surface (D = 2) or a whole
network's parameters (engine.crowd). Every rule is elementwise, so N walkers cost one array
operation per step, and each walker may have its own learning rate (lr of shape (N, 1)).
"""
from __future__ import annotations

import numpy as np

from .surfaces import predicted_rate

OPTIMIZERS = ["sgd", "momentum", "nesterov", "rmsprop", "adam"]


class Walkers:
    """Optimiser state for X (N, D). Same rules and defaults as engine.optimizers:

    sgd d = g; momentum z <- beta z + g, d = z; nesterov z <- beta z + g, d = g + beta z;
    rmsprop s <- rho s + (1 - rho) g^2, d = g / (sqrt(s) + eps) (rho = beta2, default 0.9);
    adam with bias correction. Then X -= lr * d.
    """

    def __init__(self, name: str, shape, momentum=0.9, beta1=0.9, beta2=None, eps=1e-8):
        if name not in OPTIMIZERS:
            raise ValueError(f"optimizer: unknown {name!r}; allowed: {', '.join(OPTIMIZERS)}")
        self.name, self.shape = name, tuple(shape)
        self.momentum, self.beta1, self.eps = momentum, beta1, eps
        self.beta2 = (0.9 if name == "rmsprop" else 0.999) if beta2 is None else beta2
        self.t = 0
        slots = {"momentum": 1, "nesterov": 1, "rmsprop": 1, "adam": 2}.get(name, 0)
        self.slots = [np.zeros(self.shape) for _ in range(slots)]
        self._d = np.empty(self.shape)
        self._tmp = np.empty(self.shape) if name in ("rmsprop", "adam") else None

    def reset(self) -> None:
        self.t = 0
        for s in self.slots:
            s.fill(0.0)

    def direction(self, G: np.ndarray) -> np.ndarray:
        """The step direction d (N, D) for gradients G (N, D); updates the state."""
        d, name = self._d, self.name
        if name == "sgd":
            return G
        if name in ("momentum", "nesterov"):
            z = self.slots[0]
            z *= self.momentum
            z += G
            if name == "momentum":
                return z
            np.multiply(z, self.momentum, out=d)
            d += G
            return d
        tmp = self._tmp
        if name == "rmsprop":
            s = self.slots[0]
            s *= self.beta2
            np.multiply(G, G, out=tmp)
            tmp *= 1.0 - self.beta2
            s += tmp
            np.sqrt(s, out=tmp)
            tmp += self.eps
            return np.divide(G, tmp, out=d)
        m, v = self.slots
        m *= self.beta1
        np.multiply(G, 1.0 - self.beta1, out=tmp)
        m += tmp
        v *= self.beta2
        np.multiply(G, G, out=tmp)
        tmp *= 1.0 - self.beta2
        v += tmp
        np.multiply(v, 1.0 / (1.0 - self.beta2 ** self.t), out=tmp)
        np.sqrt(tmp, out=tmp)
        tmp += self.eps
        np.divide(m, tmp, out=d)
        d *= 1.0 / (1.0 - self.beta1 ** self.t)
        return d

    def step(self, X: np.ndarray, G: np.ndarray, lr) -> None:
        """X -= lr * direction(G), in place; lr is a number or an array like (N, 1)."""
        self.t += 1
        np.subtract(X, np.multiply(self.direction(G), lr, out=self._d), out=X)


def descend(surface, starts, optimizer: str = "sgd", lr=0.01, steps: int = 200,
            escape: float | None = None, **hyper) -> dict:
    """Walkers from `starts` (N, 2) descending `surface` together.

    Returns {"path": (steps + 1, N, 2), "loss": (steps + 1, N), "escaped_at": (N,) step or -1}.
    A walker whose position stops being finite or leaves the box |x| <= escape stays where it was.
    """
    X = np.array(starts, dtype=np.float64).reshape(-1, 2)
    N = len(X)
    if escape is None:
        x0, x1, y0, y1 = surface.extent
        escape = 50.0 * max(x1 - x0, y1 - y0)
    rate = np.broadcast_to(np.asarray(lr, dtype=np.float64).reshape(-1, 1), (N, 1))
    opt = Walkers(optimizer, X.shape, **hyper)
    path = np.empty((steps + 1, N, 2))
    path[0] = X
    dead = np.zeros((N, 1), dtype=bool)
    escaped_at = np.full(N, -1)
    prev = np.empty_like(X)
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            np.copyto(prev, X)
            opt.step(X, surface.gradient(X), rate)
            bad = ~(np.abs(X) <= escape).all(axis=1, keepdims=True)
            np.copyto(X, prev, where=dead | bad)
            new = bad[:, 0] & ~dead[:, 0]
            escaped_at[new] = k
            dead |= bad
            path[k] = X
        loss = surface.value(path)
    return {"path": path, "loss": loss, "escaped_at": escaped_at}


def measured_rate(errors: np.ndarray, start: float = 0.5) -> float:
    """Per-step contraction of a run: errors (K, ...) are distances from the minimum per step
    (e.g. the state (w_k, w_k-1) - w*). Fits log ||e_k|| against k over the last (1 - start) of
    the run and returns exp(slope)."""
    E = np.asarray(errors, dtype=np.float64).reshape(len(errors), -1)
    norms = np.linalg.norm(E, axis=1)
    k = np.arange(len(norms))[int(start * len(norms)):]
    k = k[(norms[k] > 1e-200) & np.isfinite(norms[k])]          # underflow and blow-up say nothing
    if len(k) < 2:
        return float("nan")
    slope = np.polyfit(k, np.log(norms[k]), 1)[0]
    return float(np.exp(slope))


def race(surface, optimizers=None, rates: dict | None = None, start=None, steps: int = 300,
         **hyper) -> dict:
    """Each optimiser from the same start with its own learning rate (default: surface.rates).

    Returns {"start", "steps", "racers": {name: {"lr", "path" [[x, y], ...], "loss" [...],
    "final" [x, y], "escaped_at" step or None}}}; an escaped racer's path ends where it left.
    """
    names = list(optimizers or OPTIMIZERS)
    start = list(surface.start if start is None else start)
    racers = {}
    for name in names:
        lr = (rates or {}).get(name, surface.rates.get(name, 0.01))
        run = descend(surface, [start], name, lr, steps, **hyper)
        stop = int(run["escaped_at"][0])
        end = steps + 1 if stop < 0 else stop
        path = run["path"][:end, 0]
        racers[name] = r = {"lr": float(lr), "path": path.tolist(), "loss": run["loss"][:end, 0].tolist(),
                            "final": path[-1].tolist(), "escaped_at": None if stop < 0 else stop}
        if surface.hessian is not None and len(surface.minima) and name in ("sgd", "momentum", "nesterov"):
            r["predicted_rate"] = predicted_rate(name, lr, np.linalg.eigvalsh(surface.hessian),
                                                 hyper.get("momentum", 0.9))
            e = path - surface.minima[0]
            r["measured_rate"] = measured_rate(np.concatenate([e[1:], e[:-1]], axis=1)) if len(e) > 2 else None
    return {"surface": surface.name, "start": start, "steps": steps, "racers": racers}


def basins(finals: np.ndarray, known: np.ndarray, tol: float = 1e-2):
    """Label each final point (N, 2): the index of the known minimum within tol, else a new
    cluster of finals within tol of each other. Returns (labels (N,), centres (C, 2)); known
    minima come first among the centres, in their order; non-finite finals get -1."""
    centres = [np.asarray(m, dtype=np.float64) for m in np.asarray(known, dtype=np.float64).reshape(-1, 2)]
    labels = np.full(len(finals), -1)
    for i, p in enumerate(np.asarray(finals, dtype=np.float64)):
        if not np.isfinite(p).all():
            continue
        if centres:
            d = np.linalg.norm(np.array(centres) - p, axis=1)
            j = int(d.argmin())
            if d[j] <= tol:
                labels[i] = j
                continue
        centres.append(p)
        labels[i] = len(centres) - 1
    return labels, np.array(centres).reshape(-1, 2)


def crowd(surface, walkers: int = 200, optimizer: str = "sgd", lr=None, steps: int = 500,
          seed: int = 0, tol: float = 1e-2, gtol: float = 1e-2, path_every: int = 5, **hyper) -> dict:
    """Up to a few hundred walkers from uniform random starts in the surface's extent.

    A walker settles where its gradient norm is <= gtol; settled walkers within tol of each other
    (or of a known minimum) share a label. Returns {"starts", "finals", "labels" (index into
    "minima"; -1 escaped, -2 still moving), "minima" [[x, y], ...], "minima_value", "is_global",
    "counts", "share_global" (of all walkers), "paths" (walkers, steps / path_every + 1, 2)}.
    """
    rng = np.random.default_rng(seed)
    x0, x1, y0, y1 = surface.extent
    starts = np.column_stack([rng.uniform(x0, x1, walkers), rng.uniform(y0, y1, walkers)])
    lr = surface.rates.get(optimizer, 0.01) if lr is None else lr
    run = descend(surface, starts, optimizer, lr, steps, **hyper)
    finals = run["path"][-1]
    escaped = run["escaped_at"] >= 0
    moving = ~escaped & ~(np.linalg.norm(surface.gradient(finals), axis=1) <= gtol)
    settled = finals.copy()
    settled[escaped | moving] = np.nan
    labels, centres = basins(settled, surface.minima, tol)
    labels[moving] = -2
    values = surface.value(centres) if len(centres) else np.zeros(0)
    is_global = np.zeros(len(centres), dtype=bool)
    if surface.global_value is not None:
        is_global = np.abs(values - surface.global_value) <= max(tol, 1e-6) * (1.0 + abs(surface.global_value))
    counts = np.bincount(labels[labels >= 0], minlength=len(centres))
    found = int(is_global[labels[labels >= 0]].sum()) if len(centres) else 0
    sub = run["path"][::path_every].transpose(1, 0, 2)
    return {
        "surface": surface.name, "optimizer": optimizer, "lr": float(np.mean(lr)), "steps": steps,
        "starts": starts.tolist(), "finals": finals.tolist(),
        "labels": labels.tolist(), "minima": centres.tolist(), "minima_value": values.tolist(),
        "is_global": is_global.tolist(), "counts": counts.tolist(),
        "share_global": found / walkers, "paths": sub.tolist(),
    }
