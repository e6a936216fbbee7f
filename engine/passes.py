"""The cache of a Network's training pass: the buffers a forward pass over n examples fills and
hands to its backward pass (engine.network), allocated once per batch size and reused.

Every buffer is stored node-major (the transpose of a C-ordered (nodes, n) array), so that each
elementwise operation runs over contiguous memory. Every hidden layer's Z, [In 1] and f' sit in
one buffer each, layer after layer, so that one call gives f' of all of them; when the output's
activation is the hidden layers' (tanh and tanh by default) the output's rows follow in the same
buffers and that one call gives the output's f' too, which the loss then uses.
"""
from __future__ import annotations

import numpy as np


def node_major(n: int, s: int) -> np.ndarray:
    """An (n, s) buffer stored node by node (the transpose of a C-ordered (s, n) array), so that
    its first s - 1 columns are contiguous too."""
    return np.empty((s, n)).T


class Pass:
    """The cache a forward pass over n examples hands to its backward pass: its buffers (reused by
    the next pass over n examples), its input X, dropout's masks; and per hidden layer the tuple
    of arrays that the loops of forward and backward walk through."""

    def __init__(self, net, n: int):
        sizes, hidden, k = net.sizes, range(1, net.n_layers), net.sizes[-1]
        fused = net.out is net.activation               # the output's f' in the hidden layers' call
        # rows of Z beside the ones rows stay 0; the output's rows (when fused) end the buffers
        rows = sum(sizes[l] + 1 for l in hidden) + (k if fused else 0)
        ZB, HB, FB = np.zeros((rows, n)), np.ones((rows, n)), np.empty((rows, n))
        Zh, H, F, at = {}, {}, {}, 0
        for l in hidden:
            Zh[l], H[l], F[l] = ZB[at:at + sizes[l]].T, HB[at:at + sizes[l] + 1].T, FB[at:at + sizes[l]].T
            at += sizes[l] + 1
        if fused:                                       # F_out: None where f' = 1 (linear)
            Zo, Ao, self.F_out = ZB[at:].T, HB[at:].T, FB[at:].T if net.output != "linear" else None
            end = rows
        else:
            Zo, Ao, self.F_out = node_major(n, k), node_major(n, k), None
            end = at - 1
        # for f' of every hidden layer (and a fused output) in one call; None: nothing to compute
        self.all = (ZB[:end], HB[:end], FB[:end]) if end > 0 else None
        self.Z = [Zh[l] for l in hidden] + [Zo]                        # Z[l-1] (n, sizes[l])
        self.A = [None] + [node_major(n, sizes[l]) for l in hidden] + [Ao]  # A[l] = f(Z[l-1]); A[-1] output
        In = {l: H[l][:, :-1] for l in hidden}                         # A[l], masked under dropout
        dA = {l: node_major(n, sizes[l]) for l in hidden}              # dL/dA[l]
        self.D, self.T = np.empty((n, k)), np.empty((n, k))            # dL/dZ out, scratch
        self.inv_n = np.array(1.0 / n)                                 # 0-d: NumPy's fastest scalar
        self.X, self.masks, self.ones = None, (), False
        # what a step looks up, looked up once: the input's width without the ones column, the
        # network's functions, the output's Z and A
        self.d, self.Zo, self.Ao = sizes[0], self.Z[-1], self.A[-1]
        self.fn, self.out_fn, self.derivative = net.activation.fn, net.out.fn, net.activation.grad
        self.delta_and_value = net.loss.delta_and_value
        self.first = (net._P[0].T, net.W[0], net.b[0], self.Z[0], self.Z[0].T)
        # per hidden layer, what the loops walk through: with dropout (forward, backward), and
        # without (plain, plain_back)
        self.forward = [(self.Z[l - 1], self.A[l], In[l], net._P[l].T, H[l].T, self.Z[l].T)
                        for l in hidden]
        self.backward = [(l, H[l].T, net._dP[l], net.W[l].T, dA[l], dA[l].T, self.Z[l - 1],
                          self.A[l], In[l], F[l]) for l in reversed(hidden)]
        # (elementwise operations take C-ordered views of the node-major buffers: a little faster)
        self.plain = [(Zl.T, In_.T, PT, HT, ZnT) for Zl, _, In_, PT, HT, ZnT in self.forward]
        self.plain_back = [(HT, dP, WT, dA_, dAT, F_.T) for _, HT, dP, WT, dA_, dAT, _, _, _, F_ in self.backward]
        self.out_args = (self.Zo.T, self.Ao.T) if net.out.elementwise else (self.Zo, self.Ao)
