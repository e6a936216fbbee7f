"""Slices through a live network's loss: every slice is the plane theta(a, b) = origin + a d1 + b d2
through parameter space, sampled on an R x R grid and evaluated by ``stack_loss`` in one batched
float32 forward pass over a leading grid axis. Grids come back as float32 (R, R) with row i at y[i]
and column j at x[j]. Directions: two chosen parameters, two filter-normalised random directions,
or the top two principal directions of the weights' trajectory.
"""
from __future__ import annotations

import numpy as np

from .. import losses
from ..network import forward_columns, layer_views, param_index  # noqa: F401  (param_index: the slice's parameters)

def stack_loss(net, Theta, X, Y, loss: str, chunk: int | None = None, dtype=np.float32) -> np.ndarray:
    """Mean loss over (X (n, d), Y (n, k)) of every parameter vector in Theta (G, P) (net's layout,
    shape and activations): one batched forward over the leading grid axis, `chunk` rows at a time
    (default: about 256 kB of activations, which stay in cache).
    Activations are columns, H (g, width, n), so a layer is Z = W @ H + b for all g at once."""
    L, sizes = losses.get(loss), net.sizes
    Theta = np.asarray(Theta, dtype=dtype)
    XT, YT = np.asarray(X, dtype=dtype).T.copy(), np.asarray(Y, dtype=dtype).T.copy()     # (d, n), (k, n)
    k, n = YT.shape
    chunk = chunk or max(1, (1 << 16) // (n * max(sizes[1:])))
    out, G = np.empty(len(Theta)), len(Theta)
    chunk = min(chunk, G)
    Zs = [np.empty((chunk, o, n), dtype) for o in sizes[1:]]
    Hs = [np.empty((chunk, o, n), dtype) for o in sizes[1:]]
    with np.errstate(all="ignore"):
        for s in range(0, G, chunk):
            T = Theta[s:s + chunk]
            g = len(T)
            acts, Z = forward_columns(layer_views(T, sizes), XT, net.activation, net.out,
                                      [H[:g] for H in Hs], [Z[:g] for Z in Zs])      # (g, out, n)
            A = acts[-1]
            if isinstance(L, losses.MSE):
                A -= YT
                out[s:s + g] = np.einsum("gkn,gkn->g", A, A) * (L.factor / n)
            else:
                per = losses.per_example(L, Z.transpose(0, 2, 1).reshape(-1, k), A.transpose(0, 2, 1).reshape(-1, k),
                                         np.broadcast_to(YT.T, (g, n, k)).reshape(-1, k), net.output)
                out[s:s + g] = per.reshape(g, n).mean(axis=1)
    return out


def plane(net, X, Y, loss: str, d1, d2, a=(-1.0, 1.0), b=(-1.0, 1.0), resolution: int = 61,
          origin=None) -> dict:
    """The loss over origin + a d1 + b d2 (origin: the current weights) for a, b on an R x R grid:
    {"x" (a values), "y" (b values), "loss" float32 (R, R), "center" [0, 0], "loss_center"}."""
    origin = net.theta.copy() if origin is None else np.asarray(origin, dtype=np.float64)
    xs, ys = np.linspace(*a, resolution), np.linspace(*b, resolution)
    A, B = np.meshgrid(xs, ys)                                               # row i: b = ys[i]
    Theta = origin + A.reshape(-1, 1) * d1 + B.reshape(-1, 1) * d2            # (R * R, P)
    Ls = stack_loss(net, Theta, X, Y, loss)
    centre = stack_loss(net, origin[None], X, Y, loss)[0]
    return {"x": xs.tolist(), "y": ys.tolist(), "loss": Ls.reshape(resolution, resolution).astype(np.float32),
            "center": [0.0, 0.0], "loss_center": float(centre)}


def slice_weights(net, X, Y, loss: str, i: int, j: int, span: float = 2.0, resolution: int = 61,
                  center=None) -> dict:
    """Two parameters (flat indices i, j; see param_index) swept by +-span around `center` (default:
    their current values), the rest held: axes are the parameters' own values; "center" is where
    the two are now."""
    if i == j:
        raise ValueError("weights: pick two different parameters")
    origin = net.theta.copy()                  # training may go on meanwhile
    d1, d2 = np.zeros(origin.size), np.zeros(origin.size)
    d1[i], d2[j] = 1.0, 1.0
    wi, wj = float(origin[i]), float(origin[j])
    ci, cj = (wi, wj) if center is None else map(float, center)
    out = plane(net, X, Y, loss, d1, d2, (ci - wi - span, ci - wi + span), (cj - wj - span, cj - wj + span),
                resolution, origin)
    out.update(kind="weights", x=[wi + v for v in out["x"]], y=[wj + v for v in out["y"]],
               center=[wi, wj], params=[int(i), int(j)])
    return out


def filter_normalized(net, seed: int = 0) -> np.ndarray:
    """A random direction (P,) in net's layout (Li et al. 2018): Gaussian, then each row of a
    layer's weight block rescaled to the norm of the matching row of W[l]; biases 0."""
    rng = np.random.default_rng(seed)
    d = np.zeros(net.theta.size)
    for W, (Dv, _) in zip(net.W, layer_views(d, net.sizes)):
        D = rng.standard_normal(W.shape)
        D *= (np.linalg.norm(W, axis=1) / np.maximum(np.linalg.norm(D, axis=1), 1e-12))[:, None]
        Dv[...] = D
    return d


def slice_random(net, X, Y, loss: str, seed: int = 0, span: float = 1.0, resolution: int = 61) -> dict:
    """The plane of two filter-normalised random directions through the current weights."""
    origin = net.theta.copy()
    d1, d2 = filter_normalized(net, seed), filter_normalized(net, seed + 1_000_003)
    out = plane(net, X, Y, loss, d1, d2, (-span, span), (-span, span), resolution, origin)
    out.update(kind="random", directions=np.stack([d1, d2]), origin=origin)
    return out


def pca_directions(trajectory, origin=None):
    """The top two principal directions (orthonormal, (2, P)) of trajectory (K, P) about origin
    (default its last point), and the share of the spread each explains."""
    T = np.asarray(trajectory, dtype=np.float64)
    if len(T) < 2:
        raise ValueError("trajectory: needs at least 2 points")
    origin = T[-1] if origin is None else np.asarray(origin, dtype=np.float64)
    _, s, Vt = np.linalg.svd(T - origin, full_matrices=False)
    D = np.zeros((2, T.shape[1]))
    D[:min(2, len(Vt))] = Vt[:2]
    if len(Vt) < 2 or s[1] <= 1e-12 * max(s[0], 1e-300):          # a straight path: any normal will do
        v = np.random.default_rng(0).standard_normal(T.shape[1])
        v -= (v @ D[0]) * D[0]
        D[1] = v / np.linalg.norm(v)
    var = s ** 2
    explained = (var[:2] / var.sum()).tolist() if var.sum() > 0 else [0.0, 0.0]
    return D, explained + [0.0] * (2 - len(explained))


def project(trajectory, origin, directions):
    """Coordinates (K, 2) of trajectory (K, P) in the plane origin + a d1 + b d2 (directions (2, P),
    independent; orthonormal ones, as PCA's, make this a dot product) and each point's distance
    from the plane (K,)."""
    D = np.asarray(directions, dtype=np.float64)
    E = np.atleast_2d(np.asarray(trajectory, dtype=np.float64) - origin)
    C = np.linalg.solve(D @ D.T, D @ E.T).T if len(E) else np.zeros((0, 2))
    return C, np.linalg.norm(E - C @ D, axis=1)


def slice_pca(net, X, Y, loss: str, trajectory, resolution: int = 61, margin: float = 0.3) -> dict:
    """The plane of the trajectory's top two principal directions through the current weights, with
    the path projected on it: adds "path" [[a, b], ...], "residual" (largest distance of a point
    from the plane) and "explained" (share of variance of each direction)."""
    origin = net.theta.copy()
    D, explained = pca_directions(trajectory, origin)
    C, res = project(trajectory, origin, D)
    lo, hi = np.minimum(C.min(axis=0), 0.0), np.maximum(C.max(axis=0), 0.0)
    pad = np.maximum(margin * (hi - lo), 1e-3)
    out = plane(net, X, Y, loss, D[0], D[1], (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]),
                resolution, origin)
    out.update(kind="pca", path=C.tolist(), residual=float(res.max()), explained=explained,
               directions=D, origin=origin)
    return out


class Trajectory:
    """Snapshots of the weights (K, P) for the PCA slice: keeps at most `capacity`, dropping every
    other one when full, so the whole run stays covered at a coarser step."""

    def __init__(self, capacity: int = 256):
        self.capacity, self.items, self.every, self._seen = capacity, [], 1, 0

    def add(self, theta) -> None:
        if self._seen % self.every == 0:
            self.items.append(np.array(theta, dtype=np.float64))
            if len(self.items) > self.capacity:
                self.items, self.every = self.items[::2], self.every * 2
        self._seen += 1

    def array(self) -> np.ndarray:
        return np.array(self.items)


def slice_trainer(trainer, kind: str = "random", trajectory=None, **params) -> dict:
    """A slice of a Trainer's network over its training points: kind "weights" (i, j, span),
    "random" (seed, span) or "pca" (trajectory (K, P) required), plus resolution."""
    net, X, Y, loss = trainer.network, trainer.X_train, trainer.Y_train, trainer.r.loss
    if kind == "weights":
        return slice_weights(net, X, Y, loss, **params)
    if kind == "random":
        return slice_random(net, X, Y, loss, **params)
    if kind == "pca":
        if trajectory is None:
            raise ValueError("trajectory: the pca slice needs the weights' history")
        return slice_pca(net, X, Y, loss, trajectory, **params)
    raise ValueError(f"kind: unknown {kind!r}; allowed: weights, random, pca")
