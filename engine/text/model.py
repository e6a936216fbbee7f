"""What every text model shares: one flat float64 parameter vector, views shaped like the parameters,
a compute copy in the model's working dtype, and the softmax cross-entropy over integer targets.

The Model interface (TASKS.md, issue 8): ``theta``, ``grad``, ``weight_mask`` (P,) float64;
``params()``/``grads()`` name -> view; ``gradient(batch, rng=None, train=True) -> mean loss`` with
batch = (inputs (B, T) int, targets (B, T) int). Text models add ``feed(state, ids)`` for inference:
read the characters ``ids`` after ``state`` (None: nothing read yet) and return the new state and
the logits (V,) float64 of the next character.

Working dtype: theta stays float64 (the engine's optimisers and run files work in float64, and tiny
Adam steps on float32 weights would round away), but the forward and backward passes run in
``dtype``, float32 by default: the products dominate the cost and single-precision BLAS does them in
about half the time, while float32 rounding (1e-7 relative) is far below the noise of a mini-batch
gradient. ``dtype=np.float64`` makes the passes exact for the finite-difference checks; with it the
compute arrays are theta and grad themselves (no copies).
"""
from __future__ import annotations

import numpy as np


class TextModel:
    name = ""

    def __init__(self, vocab_size: int, shapes: list[tuple[str, tuple, bool]], dtype=np.float32):
        """shapes: (name, shape, is_weight) in layout order."""
        self.V = int(vocab_size)
        self.dtype = np.dtype(dtype)
        self.layout: dict[str, slice] = {}
        start = 0
        for pname, shape, _ in shapes:
            self.layout[pname] = slice(start, start + int(np.prod(shape)))
            start += int(np.prod(shape))
        self.shapes = {pname: tuple(shape) for pname, shape, _ in shapes}
        self.theta = np.zeros(start)
        self.grad = np.zeros(start)
        self.weight_mask = np.zeros(start)
        for pname, _, is_weight in shapes:
            self.weight_mask[self.layout[pname]] = 1.0 if is_weight else 0.0
        if self.dtype == np.float64:
            self._wflat, self._gflat = self.theta, self.grad
        else:
            self._wflat, self._gflat = np.zeros(start, self.dtype), np.zeros(start, self.dtype)
        self.w = self._views(self._wflat)          # compute copies of the parameters, in dtype
        self.g = self._views(self._gflat)          # compute gradients, in dtype
        self._buf: dict = {}                       # work arrays per batch shape (recurrent models)

    def _views(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        return {p: flat[sl].reshape(self.shapes[p]) for p, sl in self.layout.items()}

    def params(self) -> dict[str, np.ndarray]:
        return self._views(self.theta)

    def grads(self) -> dict[str, np.ndarray]:
        return self._views(self.grad)

    def layers(self) -> dict[str, list]:
        """The parameters as plain lists, name -> nested list (a run file's weights)."""
        return {name: v.tolist() for name, v in self.params().items()}

    def load_layers(self, layers: dict) -> None:
        if not isinstance(layers, dict) or set(layers) != set(self.layout):
            raise ValueError(f"weights: a text model's weights are an object with {', '.join(self.layout)}")
        for name, view in self.params().items():
            value = np.asarray(layers[name], dtype=np.float64)
            if value.shape != view.shape or not np.isfinite(value).all():
                raise ValueError(f"weights: {name} needs shape {view.shape} of finite numbers, got {value.shape}")
            view[...] = value

    @property
    def size(self) -> int:
        return self.theta.size

    def _pull(self) -> None:
        """theta -> the compute copy (a no-op in float64)."""
        if self._wflat is not self.theta:
            np.copyto(self._wflat, self.theta)

    def _push(self) -> None:
        """the compute gradient -> grad (a no-op in float64)."""
        if self._gflat is not self.grad:
            np.copyto(self.grad, self._gflat)

    def gradient(self, batch, rng=None, train=True) -> float:
        inputs, targets = batch
        self._pull()
        with np.errstate(all="ignore"):            # a diverged model gives a non-finite loss, no warnings
            loss = self._gradient(np.asarray(inputs), np.asarray(targets))
        self._push()
        return loss

    def loss(self, batch) -> float:
        """The mean loss of a batch, without touching grad."""
        inputs, targets = batch
        self._pull()
        with np.errstate(all="ignore"):
            return self._loss(np.asarray(inputs), np.asarray(targets))

    def _gradient(self, inputs, targets) -> float:
        raise NotImplementedError

    def _loss(self, inputs, targets) -> float:
        raise NotImplementedError

    def feed(self, state, ids):
        raise NotImplementedError


def softmax_xent(Y: np.ndarray, targets: np.ndarray, grad: bool = True) -> float:
    """Mean -log softmax(Y)[target] over the rows of logits Y (N, V), targets (N,) int.

    With grad, Y is overwritten by dLoss/dY = (softmax(Y) - onehot(target)) / N.
    """
    n = Y.shape[0]
    rows = np.arange(n)
    m = Y.max(axis=1, keepdims=True)
    Y -= m
    picked = Y[rows, targets]                           # z_target - max, before exp
    np.exp(Y, out=Y)
    s = Y.sum(axis=1)
    loss = float(np.log(s).sum(dtype=np.float64) - picked.sum(dtype=np.float64)) / n
    if grad:
        Y *= (1.0 / (s * n))[:, None]
        Y[rows, targets] -= 1.0 / n
    return loss


def embedding_grad(ids: np.ndarray, dZ: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out[v] = sum of the rows dZ[n] with ids[n] == v (the gradient of an embedding look-up)."""
    order = np.argsort(ids, kind="stable")
    sid = ids[order]
    starts = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]])
    out.fill(0.0)
    out[sid[starts]] = np.add.reduceat(dZ[order], starts, axis=0)
    return out


def sigmoid_(a: np.ndarray) -> np.ndarray:
    """In place: sigmoid(a) = (1 + tanh(a / 2)) / 2 (no overflow)."""
    a *= 0.5
    np.tanh(a, out=a)
    a += 1.0
    a *= 0.5
    return a



def times_sigmoid_slope(d: np.ndarray, s: np.ndarray, tmp: np.ndarray) -> None:
    """d *= s (1 - s) in place, the slope of the sigmoid whose value is s; tmp is scratch."""
    np.subtract(1.0, s, out=tmp)
    tmp *= s
    d *= tmp


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, np.float64)
    z = z - z.max()
    return z - np.log(np.exp(z).sum())
