"""A multilayer perceptron with hand-written backpropagation.

All parameters live in one flat float64 vector ``theta``; ``W[l]`` (out, in) and ``b[l]`` (out,)
are views into it, and ``grad`` / ``dW[l]`` / ``db[l]`` mirror them. So the optimiser updates every
parameter in one vectorised operation while gradients stay shaped like the parameters.
The layout of theta: for each layer, W[l] row by row, then b[l].
Layer l maps layer l's activations A[l] (n, sizes[l]) to A[l+1]: Z = A @ W.T + b.
``W[l][i, j]`` is the weight from node j of layer l into node i of layer l+1.
"""
from __future__ import annotations

import numpy as np

from . import activations
from .inits import INITS
from .registry import lookup

# the old name of inits.INITS, kept for server/ (which reads it here) until it reads engine.inits
INITIALISERS = list(INITS)
_F64 = np.dtype(np.float64)
_add, _mul, _dot, _sum0 = np.add, np.multiply, np.dot, np.add.reduce


def param_count(sizes: list[int]) -> int:
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def _node_major(n: int, s: int, fill: float | None = None) -> np.ndarray:
    """An (n, s) buffer stored node by node (the transpose of a C-ordered (s, n) array), so that
    its first s - 1 columns are contiguous too."""
    return (np.empty((s, n)) if fill is None else np.full((s, n), fill)).T


class _Pass:
    """The buffers of a forward and backward pass over n examples, and per hidden layer the
    tuple of arrays that the loops of forward and backward walk through. Every buffer is stored
    node-major, so that each elementwise operation runs over contiguous memory."""

    def __init__(self, net: "Network", n: int):
        sizes, hidden = net.sizes, range(1, net.n_layers)
        self.Z = [_node_major(n, s) for s in sizes[1:]]                # Z[l-1] (n, sizes[l])
        self.A = [None] + [_node_major(n, s) for s in sizes[1:]]       # A[l] = f(Z[l-1]); A[-1] output
        H = {l: _node_major(n, sizes[l] + 1, 1.0) for l in hidden}     # H[l] = [In[l] 1]
        In = {l: H[l][:, :-1] for l in hidden}                         # A[l], masked under dropout
        F = {l: _node_major(n, sizes[l]) for l in hidden}              # f'(Z[l-1])
        dA = {l: _node_major(n, sizes[l]) for l in hidden}             # dL/dA[l]
        self.inputs = [None, *In.values()]                             # what each W multiplies
        self.forward = [(self.Z[l - 1], self.A[l], In[l], net._P[l].T, H[l].T, self.Z[l].T)
                        for l in hidden]
        self.backward = [(l, H[l].T, net._dP[l], net.W[l].T, dA[l], dA[l].T, self.Z[l - 1],
                          self.A[l], In[l], F[l]) for l in reversed(hidden)]


class Network:
    def __init__(self, sizes, activation="tanh", output="tanh", init="playground", seed=0,
                 dropout=0.0):
        if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
            raise ValueError(f"hidden: every layer needs at least 1 neuron, got {list(sizes)}")
        self.out = activations.output(output)
        lookup("init", init, INITS)
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
        self._blocks()
        self._buffers: dict[int, _Pass] = {}
        self._masks: list = []
        self.initialise(init, seed)

    def _blocks(self) -> None:
        """P[l] = [W[l].T; b[l]] (in+1, out) and dP[l] alike, in flat vectors whose layer blocks sit
        where theta's do; perm gathers theta into P, iperm scatters dP into grad."""
        self._Pflat, self._dPflat = np.empty_like(self.theta), np.empty_like(self.theta)
        self._P, self._dP, perm = [], [], []
        index = np.arange(self.theta.size)
        at = 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            block = slice(at, at + (n_in + 1) * n_out)
            W = index[at:at + n_in * n_out].reshape(n_out, n_in)
            perm += [W.T.ravel(), index[at + n_in * n_out:block.stop]]
            self._P.append(self._Pflat[block].reshape(n_in + 1, n_out))
            self._dP.append(self._dPflat[block].reshape(n_in + 1, n_out))
            at = block.stop
        self._perm = np.concatenate(perm)
        self._iperm = np.argsort(self._perm)
        rest = slice((self.sizes[0] + 1) * self.sizes[1], None)     # every layer but the first
        self._perm_rest, self._iperm_rest = self._perm[rest], self._iperm[rest]
        self._Pflat_rest, self._grad_rest = self._Pflat[rest], self.grad[rest]

    # -- parameters -------------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        return len(self.W)

    def params(self) -> dict[str, np.ndarray]:
        return dict(zip(self.names, [p for pair in zip(self.W, self.b) for p in pair]))

    def grads(self) -> dict[str, np.ndarray]:
        return dict(zip(self.names, [p for pair in zip(self.dW, self.db) for p in pair]))

    def initialise(self, init: str, seed: int) -> None:
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
    # Speed: a step of a small net is ~30 NumPy calls, each costing more than its arithmetic, so
    # there are as few as can be. Each pass gathers P[l] = [W[l].T; b[l]] (in+1, out) from theta
    # (one take for all layers) and keeps a column of ones after each hidden layer's output,
    # H[l] = [A[l] 1]: one product Z = H @ P[l] then adds the bias too, and one product H.T @ dZ
    # gives dW.T and db together, which one take scatters into grad. Buffers are allocated once
    # per batch size and stored node-major (see _Pass); the products are written transposed.
    def _buffers_for(self, n: int) -> "_Pass":
        buf = self._buffers.get(n)
        if buf is None:
            buf = self._buffers[n] = _Pass(self, n)
            if len(self._buffers) > 8:                      # a few batch sizes, not unbounded
                self._buffers.pop(next(iter(self._buffers)))
        return buf

    def forward(self, X: np.ndarray, train: bool = False, rng=None, ones: bool = False) -> np.ndarray:
        """X (n, d) -> output A (n, k). Keeps Z and A for backward; the result is a buffer.

        ones=True: X is (n, d + 1) whose last column is all ones (how the trainer keeps its data,
        which saves a bias addition and a sum per step)."""
        if X.dtype != _F64:
            X = X.astype(_F64)
        p = self._buffers.get(X.shape[0]) or self._buffers_for(X.shape[0])
        Z = p.Z
        if ones:
            self.theta.take(self._perm, 0, self._Pflat, "clip")
            _dot(self._P[0].T, X.T, Z[0].T)
        else:
            self.theta.take(self._perm_rest, 0, self._Pflat_rest, "clip")
            _dot(self.W[0], X.T, Z[0].T)
            _add(Z[0], self.b[0], Z[0])
        fn = self.activation.fn
        drop = self.dropout if train else 0.0
        masks = []
        for Zl, A, In, PT, HT, ZnextT in p.forward:
            if drop > 0.0:                                   # inverted dropout, off at evaluation
                fn(Zl, A)
                keep = (rng.random(A.shape) >= drop) / (1.0 - drop)
                masks.append(keep)
                _mul(A, keep, In)
            else:
                fn(Zl, In)
            _dot(PT, HT, ZnextT)                             # Z = [In 1] @ [W.T; b], transposed
        self.out.fn(Z[-1], p.A[-1])
        p.inputs[0] = X
        self._inputs, self._masks, self._ones = p.inputs, masks, ones
        return p.A[-1]

    def output_z(self, n: int) -> np.ndarray:
        """The output pre-activation of the last forward pass over n examples."""
        return self._buffers[n].Z[-1]

    def backward(self, dZ: np.ndarray) -> np.ndarray:
        """dZ (n, k): dL/dZ of the output layer, already scaled (e.g. by 1/n for a mean).

        Fills ``grad`` (so dW[l], db[l]) and returns it.
        """
        if dZ.dtype != _F64:
            dZ = dZ.astype(_F64)
        p = self._buffers.get(dZ.shape[0]) or self._buffers_for(dZ.shape[0])
        masks = self._masks
        derivative = self.activation.grad
        dZT = dZ.T
        for l, HT, dP, WT, dA, dAT, Zl, A, In, F in p.backward:
            _dot(HT, dZ, dP)                                 # [dW.T; db] = [In 1].T @ dZ
            _dot(WT, dZT, dAT)                               # dA = dZ @ W, transposed
            if masks:
                dA *= masks[l - 1]
                derivative(Zl, A, F)
            else:
                derivative(Zl, In, F)
            _mul(dA, F, dA)
            dZ, dZT = dA, dAT
        X = self._inputs[0]
        if self._ones:
            _dot(X.T, dZ, self._dP[0])
            self._dPflat.take(self._iperm, 0, self.grad, "clip")
        else:
            _dot(dZT, X, self.dW[0])
            _sum0(dZ, 0, None, self.db[0])
            self._dPflat.take(self._iperm_rest, 0, self._grad_rest, "clip")
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
            out.append((self.activation if l < last else self.out).fn(Z, np.empty_like(Z)))
        return out

    def node_values(self, X: np.ndarray, dtype=np.float32) -> np.ndarray:
        """activations_of(X) node-major, in one array: V (nodes, n), the inputs' rows first, then
        each layer's. Each layer is Z.T = W @ A.T + b written straight into its rows, so nothing
        is concatenated or transposed afterwards (what the maps over a grid want)."""
        V = np.empty((sum(self.sizes), X.shape[0]), dtype)
        V[:self.sizes[0]] = X.T
        Z = np.empty((max(self.sizes[1:]), X.shape[0]), dtype)
        at, last = 0, self.n_layers - 1
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            n_out, n_in = W.shape
            A, out, z = V[at:at + n_in], V[at + n_in:at + n_in + n_out], Z[:n_out]
            _dot(W.astype(dtype), A, z)
            z += b.astype(dtype)[:, None]
            (self.activation if l < last else self.out).fn(z.T, out.T)          # softmax: along outputs
            at += n_in
        return V

    def __repr__(self) -> str:
        return (f"Network({'-'.join(map(str, self.sizes))}, {self.activation.name}, "
                f"output={self.output}, params={self.theta.size})")
