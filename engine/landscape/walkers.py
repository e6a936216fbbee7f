"""Many walkers descending a 2-D surface at once, by engine.optimizers' rules on the (N, 2) array
of their positions (each walker may have its own learning rate, lr of shape (N, 1)): one walker's
``descend``, a ``race`` of optimisers, a ``crowd`` from random starts and the ``basins`` it ends
in, and the ``measured_rate`` of a run (beside surfaces.predicted_rate)."""
from __future__ import annotations

import numpy as np

from .. import optimizers
from .surfaces import predicted_rate

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
    opt = optimizers.make(optimizer, X.shape, **hyper)
    path = np.empty((steps + 1, N, 2))
    path[0] = X
    dead = np.zeros((N, 1), dtype=bool)
    escaped_at = np.full(N, -1)
    prev = np.empty_like(X)
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            np.copyto(prev, X)
            opt.update(X, surface.gradient(X), rate)
            bad = ~(np.abs(X) <= escape).all(axis=1, keepdims=True)
            np.copyto(X, prev, where=dead | bad)
            new = bad[:, 0] & ~dead[:, 0]
            escaped_at[new] = k
            dead |= bad
            path[k] = X
        loss = surface.value(path)
    return {"path": path, "loss": loss, "escaped_at": escaped_at}


def measured_rate(errors: np.ndarray, start: float = 0.5, floor: float | None = None) -> float:
    """Per-step contraction of a run: errors (K, ...) are distances from the minimum per step
    (e.g. the state (w_k, w_k-1) - w*). Fits log ||e_k|| against k over the last (1 - start) of
    the part of the run above the rounding floor, and returns exp(slope).

    The floor is where rounding, not the optimiser, sets the error: a fast run reaches it and stays
    there, which a fit over its last half would read as a rate of 1. By default it is found: when
    the last quarter of the run is a millionth of its largest error and no longer shrinking (its
    second half at least a tenth of its first), the floor is ten times that quarter's largest error."""
    E = np.asarray(errors, dtype=np.float64).reshape(len(errors), -1)
    norms = np.linalg.norm(E, axis=1)
    finite = np.isfinite(norms)
    if floor is None:
        floor, tail = 0.0, norms[3 * len(norms) // 4:]
        if len(tail) >= 4 and finite.all():
            h = len(tail) // 2
            if tail.max() <= 1e-6 * norms.max() and tail[h:].max() >= 0.1 * tail[:h].max():
                floor = 10.0 * tail.max()
    below = np.flatnonzero(~finite | (norms <= max(floor, 1e-200)))
    end = int(below[0]) if len(below) else len(norms)                # the run before the floor
    k = np.arange(int(start * end), end)
    if len(k) < 2:
        return float("nan")
    slope = np.polyfit(k, np.log(norms[k]), 1)[0]
    return float(np.exp(slope))


def race(surface, names=None, rates: dict | None = None, start=None, steps: int = 300,
         **hyper) -> dict:
    """Each optimiser from the same start with its own learning rate (default: surface.rates).

    Returns {"start", "steps", "racers": {name: {"lr", "path" [[x, y], ...], "loss" [...],
    "final" [x, y], "escaped_at" step or None}}}; an escaped racer's path ends where it left.
    """
    names = list(names or optimizers.OPTIMIZERS)
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
