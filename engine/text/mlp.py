"""The fixed-context MLP over character embeddings (Bengio et al. 2003, without the direct
input-output connections): the k characters before the next one, each looked up in C, are
concatenated and go through one tanh layer:
    e_t = [C[x_{t-k+1}], ..., C[x_t]];  a_t = tanh(e_t W1 + b1);  y_t = a_t W2 + b2.
Positions before the window's first character read the extra row C[V] ("nothing before"), as the
RNN starts each window from h = 0. Parameters: C (V+1, E), W1 (k E, H), b1 (H,), W2 (H, V), b2 (V,).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .model import TextModel, embedding_grad, softmax_xent


class ContextMLP(TextModel):
    name = "mlp"

    def __init__(self, vocab_size: int, hidden: int = 128, context: int = 8, embed: int = 16, seed: int = 0,
                 dtype=np.float32, **_):
        V, H, k, E = int(vocab_size), int(hidden), int(context), int(embed)
        super().__init__(V, [("C", (V + 1, E), True), ("W1", (k * E, H), True), ("b1", (H,), False),
                             ("W2", (H, V), True), ("b2", (V,), False)], dtype)
        self.H, self.k, self.E = H, k, E
        rng = np.random.default_rng(seed)
        p = self.params()
        p["C"][:] = rng.normal(0.0, 1.0, p["C"].shape)
        p["W1"][:] = rng.normal(0.0, 1.0 / np.sqrt(k * E), p["W1"].shape)
        p["W2"][:] = rng.normal(0.0, 1.0 / np.sqrt(H), p["W2"].shape)

    def _contexts(self, inputs: np.ndarray) -> np.ndarray:
        """(B*T, k) ids of the k characters up to and including each position."""
        B = inputs.shape[0]
        padded = np.concatenate([np.full((B, self.k - 1), self.V, inputs.dtype), inputs], axis=1)
        return sliding_window_view(padded, self.k, axis=1).reshape(-1, self.k)

    def _forward(self, ctx: np.ndarray):
        w = self.w
        emb = np.take(w["C"], ctx, axis=0).reshape(len(ctx), self.k * self.E)
        A = emb @ w["W1"]
        A += w["b1"]
        np.tanh(A, out=A)
        Y = A @ w["W2"]
        Y += w["b2"]
        return emb, A, Y

    def _loss(self, inputs, targets) -> float:
        return softmax_xent(self._forward(self._contexts(inputs))[2], targets.reshape(-1), grad=False)

    def _gradient(self, inputs, targets) -> float:
        w, g = self.w, self.g
        ctx = self._contexts(inputs)
        emb, A, dY = self._forward(ctx)
        loss = softmax_xent(dY, targets.reshape(-1))
        np.matmul(A.T, dY, out=g["W2"])
        dY.sum(axis=0, out=g["b2"])
        dZ = dY @ w["W2"].T
        dZ *= 1.0 - A * A
        np.matmul(emb.T, dZ, out=g["W1"])
        dZ.sum(axis=0, out=g["b1"])
        dE = (dZ @ w["W1"].T).reshape(-1, self.E)
        embedding_grad(ctx.reshape(-1), dE, g["C"])
        return loss

    def feed(self, state, ids):
        self._pull()
        ctx = list(state) if state is not None else [self.V] * self.k
        ctx = (ctx + [int(i) for i in ids])[-self.k:]
        Y = self._forward(np.array([ctx]))[2][0]
        return tuple(ctx), Y.astype(np.float64)
