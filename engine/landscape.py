"""Loss landscapes: exact surfaces of two-parameter models, and 2-D slices through a live network.

Exact: ``linear_regression`` (price = w distance + b, MSE over (w, b)) and ``neuron`` (a = f(w1 x1 +
w2 x2)) are surfaces.Surface objects, so gradient descent paths, races and crowds run on them too.
Slices: every slice is the plane theta(a, b) = origin + a d1 + b d2 through parameter space, sampled
on an R x R grid and evaluated by ``stack_loss`` in one batched float32 forward pass over a
leading grid axis. Grids come back as float32 (R, R) with row i at y[i] and column j at x[j].
"""
from __future__ import annotations

import numpy as np

from . import activations, datasets, losses
from .surfaces import Surface, predicted_rate
from .walkers import descend


# -- exact surfaces of two-parameter models -------------------------------------------------------
def _two_param(name, U, V, y, output, loss, extent, start, hessian=None, minimum=None) -> Surface:
    """The surface of L(p) = mean loss(f(p1 u + p2 v), y) over p (..., 2); U, V, y (n,)."""
    L, act = losses.get(loss), activations.get(output)
    Y = y.reshape(-1, 1)

    def forward(P):
        P = np.asarray(P, dtype=np.float64)
        Z = P[..., 0, None] * U + P[..., 1, None] * V                       # (..., n)
        return Z.reshape(-1, 1), act(Z).reshape(-1, 1), P.shape[:-1]

    def value(P):
        Z, A, shape = forward(P)
        per = losses.per_example(L, Z, A, np.broadcast_to(Y, (len(Z) // len(y), len(y), 1)).reshape(-1, 1), output)
        return per.reshape(*shape, len(y)).mean(axis=-1)

    def gradient(P):
        Z, A, shape = forward(P)
        D = L.delta(Z, A, np.tile(y, len(Z) // len(y)).reshape(-1, 1), output).reshape(*shape, len(y))
        return np.stack([(D * U).mean(axis=-1), (D * V).mean(axis=-1)], axis=-1)

    lam = np.linalg.eigvalsh(hessian) if hessian is not None else None
    limit = 2.0 / lam[-1] if lam is not None else 0.1
    rates = {"sgd": 0.5 * limit, "momentum": 0.1 * limit, "nesterov": 0.1 * limit, "rmsprop": 0.02, "adam": 0.05}
    minima = np.zeros((0, 2)) if minimum is None else np.asarray(minimum, dtype=np.float64).reshape(1, 2)
    best = float(value(minima[0])) if minimum is not None else None
    return Surface(name, value, gradient, extent, minima, best, start, rates, hessian)


def house(points: int = 100, noise: float = 0.0, seed: int = 1):
    """The house-price data: distance (n,) and price (n,)."""
    P, y = datasets.generate("house", points, noise, seed)
    return P[:, 0], y


def linear_regression(x, y, loss: str = "mse", extent=None, start=None) -> Surface:
    """price = w x + b over (w, b). Its Hessian is constant: 2 c [[E x^2, E x], [E x, 1]], with c = 1
    for mse and 1/2 for half_mse; the minimum is the least-squares line."""
    if loss not in ("mse", "half_mse"):
        raise ValueError(f"loss: linear regression uses mse or half_mse; got {loss!r}")
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    c = losses.get(loss).factor
    H = 2.0 * c * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    w, b = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    extent = extent or (w - 3.0, w + 3.0, b - 3.0, b + 3.0)
    start = start or (w + 2.5, b - 2.5)
    return _two_param("linear", x, np.ones_like(x), y, "linear", loss, tuple(extent), tuple(start), H, (w, b))


def neuron_data(dataset: str = "gauss", points: int = 200, noise: float = 0.1, seed: int = 1):
    """Points (n, 2) and +-1 labels from an engine dataset, for neuron(); gauss is separable by
    a line through the origin, so a neuron without bias can learn it."""
    return datasets.generate(dataset, points, noise, seed)


def neuron(P, y, output: str = "tanh", loss: str = "half_mse", extent=(-3.0, 3.0, -3.0, 3.0),
           start=(-2.0, 2.5)) -> Surface:
    """One neuron without bias, a = f(w1 x1 + w2 x2), over (w1, w2); P (n, 2) points, y (n,) targets
    in the output's convention (+-1 for tanh)."""
    P, y = np.asarray(P, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return _two_param("neuron", P[:, 0], P[:, 1], y, output, loss, tuple(extent), tuple(start))


def lr_presets(surface: Surface) -> dict:
    """Learning rates that show the lessons on a constant-Hessian surface: a slow crawl, a smooth
    descent, a zig-zag and divergence, with the limit 2 / lam_max between the last two."""
    lam = np.linalg.eigvalsh(surface.hessian)
    limit = 2.0 / lam[-1]
    return {"crawl": 0.03 * limit, "smooth": 0.4 * limit, "zigzag": 0.9 * limit,
            "diverge": 1.05 * limit, "limit": limit, "eigenvalues": lam.tolist()}


def regime(lr: float, eigenvalues) -> str:
    """What gradient descent does at `lr`: diverges (lr lam_max > 2), zigzag (> 1: overshoots along
    the steepest direction), crawl (< 0.1), else smooth."""
    top = float(np.max(eigenvalues)) * lr
    return "diverges" if top > 2.0 else "zigzag" if top > 1.0 else "crawl" if top < 0.1 else "smooth"


def gd_path(surface: Surface, start=None, lr: float = 0.05, steps: int = 100, optimizer: str = "sgd",
            **hyper) -> dict:
    """One walker's descent: {"path" [[p1, p2], ...], "loss" [...], "escaped_at"}; with a constant
    Hessian also "regime", "limit" (2 / lam_max) and "predicted_rate" (for sgd and momentum)."""
    run = descend(surface, [surface.start if start is None else start], optimizer, lr, steps, **hyper)
    stop = int(run["escaped_at"][0])
    end = steps + 1 if stop < 0 else stop
    out = {"path": run["path"][:end, 0].tolist(), "loss": run["loss"][:end, 0].tolist(),
           "escaped_at": None if stop < 0 else stop, "lr": lr}
    if surface.hessian is not None:
        lam = np.linalg.eigvalsh(surface.hessian)
        out.update(regime=regime(lr, lam), limit=2.0 / lam[-1])
        if optimizer in ("sgd", "momentum", "nesterov"):
            out["predicted_rate"] = predicted_rate(optimizer, lr, lam, hyper.get("momentum", 0.9))
    return out


# -- slices through a live network ----------------------------------------------------------------
def param_index(sizes, layer: int, to: int, frm: int | None = None) -> int:
    """The index in Network.theta of W[layer][to, frm], or of b[layer][to] when frm is None."""
    at = 0
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if l == layer:
            if not 0 <= to < n_out or (frm is not None and not 0 <= frm < n_in):
                raise ValueError(f"weight: layer {layer} has {n_out} x {n_in} weights; got to={to}, from={frm}")
            return at + (n_out * n_in + to if frm is None else to * n_in + frm)
        at += n_out * (n_in + 1)
    raise ValueError(f"layer: {layer} is out of range; allowed: 0 to {len(sizes) - 2}")


def stack_loss(net, Theta, X, Y, loss: str, chunk: int | None = None, dtype=np.float32) -> np.ndarray:
    """Mean loss over (X (n, d), Y (n, k)) of every parameter vector in Theta (G, P) (net's layout,
    shape and activations): one batched forward over the leading grid axis, `chunk` rows at a time
    (default: about 256 kB of activations, which stay in cache).
    Activations are columns, H (g, width, n), so a layer is Z = W @ H + b for all g at once."""
    L, sizes, last = losses.get(loss), net.sizes, net.n_layers - 1
    Theta = np.asarray(Theta, dtype=dtype)
    XT, YT = np.asarray(X, dtype=dtype).T.copy(), np.asarray(Y, dtype=dtype).T.copy()     # (d, n), (k, n)
    k, n = YT.shape
    chunk = chunk or max(1, (1 << 16) // (n * max(sizes[1:])))
    spans, at = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        spans.append((slice(at, at + n_out * n_in), slice(at + n_out * n_in, at + n_out * (n_in + 1)), n_out, n_in))
        at += n_out * (n_in + 1)
    out, G = np.empty(len(Theta)), len(Theta)
    chunk = min(chunk, G)
    Zs = [np.empty((chunk, o, n), dtype) for o in sizes[1:]]
    Hs = [np.empty((chunk, o, n), dtype) for o in sizes[1:]]
    with np.errstate(all="ignore"):
        for s in range(0, G, chunk):
            T = Theta[s:s + chunk]
            g, H = len(T), XT
            for l, (ws, bs, n_out, n_in) in enumerate(spans):
                Z = np.matmul(T[:, ws].reshape(g, n_out, n_in), H, out=Zs[l][:g])    # (g, out, n)
                np.add(Z, T[:, bs, None], out=Z)
                if l < last:
                    H = net.activation.fn(Z, Hs[l][:g])
            if net.output == "softmax":
                A = np.exp(Z - Z.max(axis=1, keepdims=True))
                A /= A.sum(axis=1, keepdims=True)
            else:
                A = activations.ACTIVATIONS[net.output].fn(Z, Hs[-1][:g])
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


def slice_weights(net, X, Y, loss: str, i: int, j: int, span: float = 2.0, resolution: int = 61) -> dict:
    """Two parameters (flat indices i, j; see param_index) swept by +-span around their current
    values, the rest held: axes are the parameters' own values."""
    if i == j:
        raise ValueError("weights: pick two different parameters")
    origin = net.theta.copy()                  # training may go on meanwhile
    d1, d2 = np.zeros(origin.size), np.zeros(origin.size)
    d1[i], d2[j] = 1.0, 1.0
    out = plane(net, X, Y, loss, d1, d2, (-span, span), (-span, span), resolution, origin)
    wi, wj = float(origin[i]), float(origin[j])
    out.update(kind="weights", x=[wi + v for v in out["x"]], y=[wj + v for v in out["y"]],
               center=[wi, wj], params=[int(i), int(j)])
    return out


def filter_normalized(net, seed: int = 0) -> np.ndarray:
    """A random direction (P,) in net's layout (Li et al. 2018): Gaussian, then each row of a
    layer's weight block rescaled to the norm of the matching row of W[l]; biases 0."""
    rng = np.random.default_rng(seed)
    d, at = np.zeros(net.theta.size), 0
    for W in net.W:
        n_out, n_in = W.shape
        D = rng.standard_normal((n_out, n_in))
        D *= (np.linalg.norm(W, axis=1) / np.maximum(np.linalg.norm(D, axis=1), 1e-12))[:, None]
        d[at:at + n_out * n_in] = D.ravel()
        at += n_out * (n_in + 1)
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
    """Coordinates (K, 2) of trajectory (K, P) in the plane origin + span(directions (2, P), orthonormal)
    and each point's distance from the plane (K,)."""
    E = np.asarray(trajectory, dtype=np.float64) - origin
    C = E @ directions.T
    return C, np.linalg.norm(E - C @ directions, axis=1)


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
