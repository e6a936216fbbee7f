"""The vanilla RNN of Karpathy's min-char-rnn, batched over sequences, with hand-written
backpropagation through time (truncated at the window length T of the batch).

Row-vector convention, one-hot input x_t (so x_t Wxh is row x_t of Wxh, an embedding look-up):
    h_0 = 0;  h_t = tanh(x_t Wxh + h_{t-1} Whh + bh);  y_t = h_t Why + by;  loss = mean -log softmax(y_t)[target_t]
Parameters: Wxh (V, H), Whh (H, H), bh (H,), Why (H, V), by (V,).

Speed: everything runs over preallocated time-major buffers (T, B, H), so each time step is three
NumPy calls forward (product, add, tanh) and three backward (add, multiply, product); every
product that does not have to be inside the time loop (output layer, its gradients, dWhh, dbh)
is one large product over all T*B rows. The embedding gradient is a sorted segment sum, not a
one-hot product.
"""
from __future__ import annotations

import numpy as np

from .model import TextModel, embedding_grad, softmax_xent


class _Buffers:
    def __init__(self, B: int, T: int, H: int, V: int, dtype):
        N = T * B
        self.U = np.empty((T, B, H), dtype)           # x_t Wxh + bh
        self.Hs = np.zeros((T + 1, B, H), dtype)      # Hs[0] = h_0 = 0, Hs[t] = h_t
        self.Y = np.empty((N, V), dtype)              # logits, then dLoss/dlogits
        self.dH = np.empty((T, B, H), dtype)          # dLoss/dh_t
        self.D = np.empty((T, B, H), dtype)           # 1 - h_t^2
        self.dnext = np.empty((B, H), dtype)          # dLoss/dh_{t-1} through Whh
        self.Hout = self.Hs[1:].reshape(N, H)
        self.Hin = self.Hs[:-1].reshape(N, H)


class RNN(TextModel):
    name, Buffers = "rnn", _Buffers

    def __init__(self, vocab_size: int, hidden: int = 128, seed: int = 0, dtype=np.float32, **_):
        V, H = int(vocab_size), int(hidden)
        super().__init__(V, [("Wxh", (V, H), True), ("Whh", (H, H), True), ("bh", (H,), False),
                             ("Why", (H, V), True), ("by", (V,), False)], dtype)
        self.H = H
        self.initialise(seed)

    def initialise(self, seed: int) -> None:
        """Wxh ~ N(0, 0.1^2), Whh and Why ~ N(0, 1/H), biases 0: pre-activations of order one at the start."""
        rng = np.random.default_rng(seed)
        p = self.params()
        p["Wxh"][:] = rng.normal(0.0, 0.1, p["Wxh"].shape)
        p["Whh"][:] = rng.normal(0.0, 1.0 / np.sqrt(self.H), p["Whh"].shape)
        p["Why"][:] = rng.normal(0.0, 1.0 / np.sqrt(self.H), p["Why"].shape)
        p["bh"][:] = 0.0
        p["by"][:] = 0.0

    def _forward(self, inputs: np.ndarray) -> _Buffers:
        B, T = inputs.shape
        w, buf = self.w, self._buffers(B, T)
        U, Hs, Whh = buf.U, buf.Hs, w["Whh"]
        np.take(w["Wxh"], inputs.T, axis=0, out=U)
        U += w["bh"]
        for t in range(T):
            h = Hs[t + 1]
            np.matmul(Hs[t], Whh, out=h)
            h += U[t]
            np.tanh(h, out=h)
        np.matmul(buf.Hout, w["Why"], out=buf.Y)
        buf.Y += w["by"]
        return buf

    def _loss(self, inputs, targets) -> float:
        buf = self._forward(inputs)
        return softmax_xent(buf.Y, targets.T.reshape(-1), grad=False)

    def _gradient(self, inputs, targets) -> float:
        B, T = inputs.shape
        buf = self._forward(inputs)
        w, g = self.w, self.g
        loss = softmax_xent(buf.Y, targets.T.reshape(-1))      # buf.Y is now dLoss/dlogits
        N, H = T * B, self.H
        dY, Hout, dH, D, dnext = buf.Y, buf.Hout, buf.dH, buf.D, buf.dnext
        np.matmul(Hout.T, dY, out=g["Why"])
        dY.sum(axis=0, out=g["by"])
        np.matmul(dY, w["Why"].T, out=dH.reshape(N, H))
        np.multiply(Hout, Hout, out=D.reshape(N, H))
        np.subtract(1.0, D, out=D)
        WhhT = w["Whh"].T
        dZ = dH                                              # dLoss/d(pre-activation), in place of dH
        for t in range(T - 1, -1, -1):
            if t < T - 1:
                dH[t] += dnext
            np.multiply(dH[t], D[t], out=dZ[t])
            if t:
                np.matmul(dZ[t], WhhT, out=dnext)
        dZf = dZ.reshape(N, H)
        np.matmul(buf.Hin.T, dZf, out=g["Whh"])
        dZf.sum(axis=0, out=g["bh"])
        embedding_grad(inputs.T.reshape(-1), dZf, g["Wxh"])
        return loss

    def feed(self, state, ids):
        self._pull()
        w = self.w
        h = np.zeros(self.H, self.dtype) if state is None else state
        for i in ids:
            h = np.tanh(w["Wxh"][i] + h @ w["Whh"] + w["bh"])
        return h, (h @ w["Why"] + w["by"]).astype(np.float64)

