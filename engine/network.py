"""A multilayer perceptron with hand-written backpropagation: the model of the points and digits tasks.

All parameters live in one flat float64 vector ``theta``, stored in the layout the arithmetic uses:
per layer l a block P[l] = [W[l].T; b[l]] of shape (in + 1, out), row by row. ``W[l]`` (out, in)
and ``b[l]`` (out,) are views into it (``layer_views`` makes them for any vector of that layout,
with leading axes too), and ``grad`` / ``dW[l]`` / ``db[l]`` mirror them. So the optimiser updates
every parameter in one vectorised operation, gradients stay shaped like the parameters, and a step
gathers and scatters nothing. ``W[l][i, j]`` is the weight from node j of layer l into node i of
layer l+1; with the activations A[l] (n, sizes[l]) as rows, Z = [A 1] @ P[l] = A @ W.T + b.
"""
from __future__ import annotations

import numpy as np

from . import activations, losses
from .inits import INITS
from .passes import Pass
from .registry import lookup

_F64 = np.dtype(np.float64)
_add, _mul, _dot, _sum0 = np.add, np.multiply, np.dot, np.add.reduce


def param_count(sizes: list[int]) -> int:
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def layer_views(theta: np.ndarray, sizes) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(W (..., out, in), b (..., out)), ...]: views into theta (..., P) of the Network layout."""
    out, at = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        block = theta[..., at:at + (n_in + 1) * n_out].reshape(*theta.shape[:-1], n_in + 1, n_out)
        out.append((block[..., :-1, :].swapaxes(-1, -2), block[..., -1, :]))
        at += (n_in + 1) * n_out
    return out


def param_index(sizes, layer: int, to: int, from_: int | None = None) -> int:
    """The index in theta of W[layer][to, from_], or of b[layer][to] when from_ is None."""
    if not 0 <= layer < len(sizes) - 1:
        raise ValueError(f"layer: {layer} is out of range; allowed: 0 to {len(sizes) - 2}")
    n_in, n_out = sizes[layer], sizes[layer + 1]
    if not 0 <= to < n_out or (from_ is not None and not 0 <= from_ < n_in):
        raise ValueError(f"weight: layer {layer} has {n_out} x {n_in} weights; got to={to}, from={from_}")
    return param_count(sizes[:layer + 1]) + (n_in if from_ is None else from_) * n_out + to


def forward_columns(views, H, hidden, output, outs=None, Zs=None):
    """The forward pass with activations as columns, over any leading axes (a grid of parameter
    vectors, a crowd of models): views [(W (..., out, in), b (..., out)), ...] (see layer_views),
    H (..., in, n) the inputs as columns; hidden, output: Activations (softmax runs along the
    outputs). outs / Zs: optional buffers per layer (..., out, n) for each layer's output and
    pre-activation. Returns (every layer's output [H, A1, ..., A_out], the output's Z)."""
    acts, last = [H], len(views) - 1
    for l, (W, b) in enumerate(views):
        Z = (_dot if W.ndim == 2 else np.matmul)(W, acts[-1], out=None if Zs is None else Zs[l])
        np.add(Z, b[..., None], out=Z)
        A = np.empty_like(Z) if outs is None else outs[l]
        f = hidden if l < last else output
        if f.elementwise:
            f.fn(Z, A)
        else:                                        # softmax: along the outputs
            f.fn(Z.swapaxes(-1, -2), A.swapaxes(-1, -2))
        acts.append(A)
    return acts, Z


class Network:
    """The Model interface (see docs/engine.md): theta, grad, weight_mask, params(), grads(),
    gradient(batch, rng, train); plus forward/backward for callers that bring their own loss."""

    def __init__(self, sizes, activation="tanh", output="tanh", init="playground", seed=0,
                 dropout=0.0, loss=None):
        if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
            raise ValueError(f"hidden: every layer needs at least 1 neuron, got {list(sizes)}")
        self.sizes = [int(s) for s in sizes]
        self.activation = activations.get(activation)
        self.out = activations.output(output)
        self.output = output
        self.loss = losses.get(loss or ("softmax_ce" if output == "softmax" else "half_mse"))
        losses.check_pair(self.loss.name, output)
        lookup("init", init, INITS)
        self.dropout = float(dropout)
        self.theta = np.zeros(param_count(self.sizes))
        self.grad = np.zeros_like(self.theta)
        self.weight_mask = np.zeros_like(self.theta)      # 1 on weights, 0 on biases
        views, gviews = layer_views(self.theta, self.sizes), layer_views(self.grad, self.sizes)
        self.W, self.b = [W for W, _ in views], [b for _, b in views]
        self.dW, self.db = [W for W, _ in gviews], [b for _, b in gviews]
        self._P, self._dP, at = [], [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            block = slice(at, at + (n_in + 1) * n_out)
            self._P.append(self.theta[block].reshape(n_in + 1, n_out))
            self._dP.append(self.grad[block].reshape(n_in + 1, n_out))
            self.weight_mask[block.start:block.stop - n_out] = 1.0
            at = block.stop
        self.names = [f"{k}{l}" for l in range(len(self.W)) for k in ("W", "b")]
        self._buffers: dict[int, Pass] = {}
        self._cache: Pass | None = None
        self.init(init, seed)

    # -- parameters -------------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        return len(self.W)

    def params(self) -> dict[str, np.ndarray]:
        return dict(zip(self.names, [p for pair in zip(self.W, self.b) for p in pair]))

    def grads(self) -> dict[str, np.ndarray]:
        return dict(zip(self.names, [p for pair in zip(self.dW, self.db) for p in pair]))

    def init(self, init: str, seed: int) -> None:
        """Fresh weights by the registered init `init` (engine.inits), drawn from `seed`."""
        fill, rng = lookup("init", init, INITS), np.random.default_rng(seed)
        for W, b in zip(self.W, self.b):
            fill(rng, W, b)

    def layers(self) -> list[dict]:
        """Weights per layer as plain lists: [{"W": [[...]], "b": [...]}, ...]."""
        return [{"W": W.tolist(), "b": b.tolist()} for W, b in zip(self.W, self.b)]

    def load_layers(self, layers: list[dict]) -> None:
        if len(layers) != self.n_layers:
            raise ValueError(f"weights: expected {self.n_layers} layers, got {len(layers)}")
        for l, (layer, W, b) in enumerate(zip(layers, self.W, self.b)):
            Wn, bn = np.asarray(layer["W"], dtype=float), np.asarray(layer["b"], dtype=float)
            if Wn.shape != W.shape or bn.shape != b.shape:
                raise ValueError(
                    f"weights: layer {l} needs W {W.shape} and b {b.shape}, got {Wn.shape} and {bn.shape}")
            W[...], b[...] = Wn, bn

    def set_weight(self, layer: int, to: int, from_: int | None, value: float) -> None:
        """One parameter: W[layer][to, from_], or the bias b[layer][to] when from_ is None."""
        if not 0 <= layer < self.n_layers:
            raise ValueError(f"layer: {layer} is out of range; allowed: 0 to {self.n_layers - 1}")
        n_out, n_in = self.W[layer].shape
        if not 0 <= to < n_out:
            raise ValueError(f"to: {to} is out of range; allowed: 0 to {n_out - 1}")
        if from_ is not None and not 0 <= from_ < n_in:
            raise ValueError(f"from: {from_} is out of range; allowed: 0 to {n_in - 1}")
        if not np.isfinite(value):
            raise ValueError("value: must be a finite number")
        if from_ is None:
            self.b[layer][to] = value
        else:
            self.W[layer][to, from_] = value

    # -- forward and backward ---------------------------------------------------------------
    # Speed: a step of a small net is ~30 NumPy calls, each costing more than its arithmetic, so
    # there are as few as can be. Each hidden layer's output sits in a buffer with a column of
    # ones, H[l] = [A[l] 1], so one product Z = H @ P[l] adds the bias too, and one product
    # H.T @ dZ gives dW.T and db together, written straight into grad. A batch given as [X 1]
    # (n, d + 1) does the same for the first layer. Buffers are allocated once per batch size and
    # stored node-major (see Pass); the products are written transposed, with the array method
    # a.dot(b, out), which skips the Python-level dispatch np.dot goes through (NumPy 2).
    def _buffers_for(self, n: int) -> "Pass":
        buf = self._buffers.get(n)
        if buf is None:
            buf = self._buffers[n] = Pass(self, n)
            if len(self._buffers) > 8:                      # a few batch sizes, not unbounded
                self._buffers.pop(next(iter(self._buffers)))
        return buf

    def forward_pass(self, X: np.ndarray, train: bool = False, rng=None) -> tuple[np.ndarray, Pass]:
        """X (n, d), or [X 1] (n, d + 1) -> (output A (n, k), the cache backward needs). A is a
        buffer of the cache, valid until the next pass over n examples."""
        if X.dtype != _F64:
            X = X.astype(_F64)
        n, d = X.shape
        p = self._buffers.get(n) or self._buffers_for(n)
        P0T, W0, b0, Z0, Z0T = p.first
        ones = d != p.d
        if ones:
            P0T.dot(X.T, Z0T)
        else:
            W0.dot(X.T, Z0T)
            _add(Z0, b0, Z0)
        if train and self.dropout > 0.0:                     # inverted dropout, off at evaluation
            drop, masks, fn = self.dropout, [], p.fn
            for Zl, A, In, PT, HT, ZnextT in p.forward:
                fn(Zl, A)
                keep = (rng.random(A.shape) >= drop) / (1.0 - drop)
                masks.append(keep)
                _mul(A, keep, In)
                PT.dot(HT, ZnextT)
        else:
            masks, fn = (), p.fn
            for Zl, In, PT, HT, ZnextT in p.plain:
                fn(Zl, In)
                PT.dot(HT, ZnextT)                           # Z = [In 1] @ [W.T; b], transposed
        p.out_fn(*p.out_args)
        p.X, p.masks, p.ones = X, masks, ones
        return p.Ao, p

    def forward(self, X: np.ndarray, train: bool = False, rng=None) -> np.ndarray:
        """forward_pass, keeping its cache for backward(dZ) and output_z(n)."""
        A, self._cache = self.forward_pass(X, train, rng)
        return A

    def output_z(self, n: int) -> np.ndarray:
        """The output pre-activation of the last forward pass over n examples."""
        return self._buffers[n].Zo

    def backward(self, dZ: np.ndarray, cache: Pass | None = None) -> np.ndarray:
        """dZ (n, k): dL/dZ of the output layer, already scaled (e.g. by 1/n for a mean); cache:
        its forward pass's (default: the last forward's). Fills ``grad`` (so dW[l], db[l])."""
        c = cache or self._cache
        if dZ.dtype != _F64:
            dZ = dZ.astype(_F64)
        if not c.masks and c.all is not None:
            c.derivative(*c.all)                             # f' of every hidden layer at once
        return self._backward(dZ, c)

    def _backward(self, dZ: np.ndarray, c: Pass) -> np.ndarray:
        """backward once f' is known (without dropout: c.all's, computed by the caller)."""
        dZT, masks = dZ.T, c.masks
        if masks:
            for l, HT, dP, WT, dA, dAT, Zl, A, In, F in c.backward:
                HT.dot(dZ, dP)
                WT.dot(dZT, dAT)
                dA *= masks[l - 1]
                c.derivative(Zl, A, F)
                _mul(dA, F, dA)
                dZ, dZT = dA, dAT
        else:
            for HT, dP, WT, dA, dAT, F in c.plain_back:
                HT.dot(dZ, dP)                               # [dW.T; db] = [In 1].T @ dZ
                WT.dot(dZT, dAT)                             # dA = dZ @ W, transposed
                _mul(dAT, F, dAT)
                dZ, dZT = dA, dAT
        X, dP0 = c.X, self._dP[0]
        if c.ones:
            X.T.dot(dZ, dP0)
        else:
            X.T.dot(dZ, dP0[:-1])
            _sum0(dZ, 0, None, dP0[-1])
        return self.grad

    def gradient(self, batch, rng=None, train: bool = True) -> float:
        """The Model interface: batch (X (n, d) or [X 1] (n, d + 1), Y (n, k) targets) -> fills
        grad with the mean gradient of the loss over the batch; returns the batch's mean loss.
        Without dropout, f' of every layer comes first, in one call (see engine.passes)."""
        X, Y = batch
        A, p = self.forward_pass(X, train and self.dropout > 0.0, rng)
        if p.masks or p.all is None:
            fprime = None
        else:
            p.derivative(*p.all)
            fprime = p.F_out
        loss = p.delta_and_value(p.Zo, A, Y, self.output, p.inv_n, p.D, p.T, fprime)
        self._backward(p.D, p)
        return loss

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Output for X without touching the training buffers (a fresh copy)."""
        return self.activations_of(X)[-1]

    def activations_of(self, X: np.ndarray, dtype=np.float64) -> list[np.ndarray]:
        """Every layer's output for X (n, d): [X, A1, ..., A_out], each (n, width), in `dtype`."""
        acts, _ = forward_columns(self.views(dtype), np.asarray(X, dtype=dtype).T, self.activation, self.out)
        return [A.T for A in acts]

    def views(self, dtype=np.float64) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(W[l], b[l]), ...] in `dtype`, W row-major (small copies: BLAS is fastest on those)."""
        return [(np.ascontiguousarray(W, dtype), b.astype(dtype, copy=False)) for W, b in zip(self.W, self.b)]

    def node_values(self, X: np.ndarray, dtype=np.float32) -> np.ndarray:
        """activations_of(X) node-major, in one array: V (nodes, n), the inputs' rows first, then
        each layer's, written straight into its rows (what the maps over a grid want)."""
        V = np.empty((sum(self.sizes), X.shape[0]), dtype)
        V[:self.sizes[0]] = X.T
        rows, Z = np.cumsum(self.sizes), np.empty((max(self.sizes[1:]), X.shape[0]), dtype)
        forward_columns(self.views(dtype), V[:rows[0]], self.activation, self.out,
                        [V[a:b] for a, b in zip(rows[:-1], rows[1:])], [Z[:s] for s in self.sizes[1:]])
        return V

    def __repr__(self) -> str:
        return (f"Network({'-'.join(map(str, self.sizes))}, {self.activation.name}, "
                f"output={self.output}, params={self.theta.size})")
