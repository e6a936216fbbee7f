"""A multilayer perceptron with hand-written backpropagation.

All parameters live in one flat float64 vector ``theta``; ``W[l]`` (out, in) and ``b[l]`` (out,)
are views into it, and ``grad`` / ``dW[l]`` / ``db[l]`` mirror them. So the optimiser updates every
parameter in one vectorised operation while gradients stay shaped like the parameters.
Layer l maps layer l's activations A[l] (n, sizes[l]) to A[l+1]: Z = A @ W.T + b.
``W[l][i, j]`` is the weight from node j of layer l into node i of layer l+1.
"""
from __future__ import annotations

import numpy as np

from . import activations

INITIALISERS = ["playground", "xavier", "he", "zeros"]


def param_count(sizes: list[int]) -> int:
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


class Network:
    def __init__(self, sizes, activation="tanh", output="tanh", init="playground", seed=0,
                 dropout=0.0):
        if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
            raise ValueError(f"hidden: every layer needs at least 1 neuron, got {list(sizes)}")
        if output not in activations.OUTPUT_ACTIVATIONS:
            raise ValueError(
                f"output: unknown {output!r}; allowed: {', '.join(activations.OUTPUT_ACTIVATIONS)}")
        if init not in INITIALISERS:
            raise ValueError(f"init: unknown {init!r}; allowed: {', '.join(INITIALISERS)}")
        self.sizes = [int(s) for s in sizes]
        self.activation = activations.get(activation)
        self.output = output
        self.dropout = float(dropout)
        self.theta = np.zeros(param_count(self.sizes))
        self.grad = np.zeros_like(self.theta)
        self.weight_mask = np.zeros_like(self.theta)      # 1 on weights, 0 on biases
        self.W, self.b, self.dW, self.db, self.names = [], [], [], [], []
        at = 0
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            w = slice(at, at + n_out * n_in)
            bb = slice(w.stop, w.stop + n_out)
            self.W.append(self.theta[w].reshape(n_out, n_in))
            self.dW.append(self.grad[w].reshape(n_out, n_in))
            self.b.append(self.theta[bb])
            self.db.append(self.grad[bb])
            self.weight_mask[w] = 1.0
            self.names += [f"W{l}", f"b{l}"]
            at = bb.stop
        self._buffers: dict[int, tuple] = {}
        self._masks: list = []
        self.initialise(init, seed)

    # -- parameters -------------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        return len(self.W)

    def params(self) -> dict[str, np.ndarray]:
        return dict(zip(self.names, [p for pair in zip(self.W, self.b) for p in pair]))

    def grads(self) -> dict[str, np.ndarray]:
        return dict(zip(self.names, [p for pair in zip(self.dW, self.db) for p in pair]))

    def initialise(self, init: str, seed: int) -> None:
        rng = np.random.default_rng(seed)
        for W, b in zip(self.W, self.b):
            n_out, n_in = W.shape
            if init == "playground":
                W[...] = rng.uniform(-0.5, 0.5, W.shape)
                b.fill(0.1)
            elif init == "xavier":
                a = np.sqrt(6.0 / (n_in + n_out))
                W[...] = rng.uniform(-a, a, W.shape)
                b.fill(0.0)
            elif init == "he":
                W[...] = rng.normal(0.0, np.sqrt(2.0 / n_in), W.shape)
                b.fill(0.0)
            else:
                W.fill(0.0)
                b.fill(0.0)

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

    def set_weight(self, layer: int, to: int, frm: int | None, value: float) -> None:
        """One parameter: W[layer][to, frm], or the bias b[layer][to] when frm is None."""
        if not 0 <= layer < self.n_layers:
            raise ValueError(f"layer: {layer} is out of range; allowed: 0 to {self.n_layers - 1}")
        n_out, n_in = self.W[layer].shape
        if not 0 <= to < n_out:
            raise ValueError(f"to: {to} is out of range; allowed: 0 to {n_out - 1}")
        if frm is not None and not 0 <= frm < n_in:
            raise ValueError(f"from: {frm} is out of range; allowed: 0 to {n_in - 1}")
        if not np.isfinite(value):
            raise ValueError("value: must be a finite number")
        if frm is None:
            self.b[layer][to] = value
        else:
            self.W[layer][to, frm] = value

    # -- forward and backward ---------------------------------------------------------------
    def _buffers_for(self, n: int):
        buf = self._buffers.get(n)
        if buf is None:
            Z = [np.empty((n, s)) for s in self.sizes[1:]]
            A = [None] + [np.empty((n, s)) for s in self.sizes[1:]]
            T = [(np.empty((n, s)), np.empty((n, s))) for s in self.sizes[1:]]
            buf = self._buffers[n] = (Z, A, T)
            if len(self._buffers) > 8:                      # a few batch sizes, not unbounded
                self._buffers.pop(next(iter(self._buffers)))
        return buf

    def forward(self, X: np.ndarray, train: bool = False, rng=None) -> np.ndarray:
        """X (n, d) -> output A (n, k). Keeps Z and A for backward; the result is a buffer."""
        Z, A, _ = self._buffers_for(X.shape[0])
        A[0] = X
        last = self.n_layers - 1
        self._masks = []
        self._inputs = inputs = [X]                        # what each layer multiplies by W
        for l in range(self.n_layers):
            np.matmul(inputs[l], self.W[l].T, out=Z[l])
            Z[l] += self.b[l]
            if l < last:
                self.activation.fn(Z[l], A[l + 1])
                if train and self.dropout > 0.0:         # inverted dropout, off at evaluation
                    keep = (rng.random(A[l + 1].shape) >= self.dropout) / (1.0 - self.dropout)
                    self._masks.append(keep)
                    inputs.append(A[l + 1] * keep)
                else:
                    inputs.append(A[l + 1])
            elif self.output == "softmax":
                activations.softmax(Z[l], A[l + 1])
            else:
                activations.ACTIVATIONS[self.output].fn(Z[l], A[l + 1])
        return A[-1]

    def output_z(self, n: int) -> np.ndarray:
        """The output pre-activation of the last forward pass over n examples."""
        return self._buffers[n][0][-1]

    def backward(self, dZ: np.ndarray) -> np.ndarray:
        """dZ (n, k): dL/dZ of the output layer, already scaled (e.g. by 1/n for a mean).

        Fills ``grad`` (so dW[l], db[l]) and returns it.
        """
        Zs, A, T = self._buffers_for(dZ.shape[0])
        inputs = self._inputs
        for l in range(self.n_layers - 1, -1, -1):
            np.matmul(dZ.T, inputs[l], out=self.dW[l])
            np.sum(dZ, axis=0, out=self.db[l])
            if l == 0:
                break
            dA, fprime = T[l - 1]
            np.matmul(dZ, self.W[l], out=dA)
            if self._masks:
                dA *= self._masks[l - 1]
            self.activation.grad(Zs[l - 1], A[l], fprime)
            dA *= fprime
            dZ = dA
        return self.grad

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Output for X without touching the training buffers (a fresh copy)."""
        return self.activations_of(X)[-1]

    def activations_of(self, X: np.ndarray, dtype=np.float64) -> list[np.ndarray]:
        """Every layer's output for X: [X, A1, ..., A_out], computed in `dtype`."""
        out = [np.asarray(X, dtype=dtype)]
        last = self.n_layers - 1
        for l in range(self.n_layers):
            Z = out[-1] @ self.W[l].T.astype(dtype, copy=False)
            Z += self.b[l].astype(dtype, copy=False)
            if l < last:
                out.append(self.activation.fn(Z, np.empty_like(Z)))
            elif self.output == "softmax":
                out.append(activations.softmax(Z, np.empty_like(Z)))
            else:
                out.append(activations.ACTIVATIONS[self.output].fn(Z, np.empty_like(Z)))
        return out

    def __repr__(self) -> str:
        return (f"Network({'-'.join(map(str, self.sizes))}, {self.activation.name}, "
                f"output={self.output}, params={self.theta.size})")
