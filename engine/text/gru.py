"""A gated recurrent unit (Cho et al. 2014), batched over sequences, hand-written BPTT truncated at
the window length, like rnn.py (row-vector convention, one-hot input = embedding look-up):
    z_t = sigmoid(x_t Wxz + h_{t-1} Whz + bz)          update gate
    r_t = sigmoid(x_t Wxr + h_{t-1} Whr + br)          reset gate
    n_t = tanh(x_t Wxn + (r_t * h_{t-1}) Whn + bn)     candidate
    h_t = h_{t-1} + z_t * (n_t - h_{t-1});   y_t = h_t Why + by
Parameters: Wx (V, 3H) = [Wxz Wxr Wxn], Wh (H, 2H) = [Whz Whr], Whn (H, H), b (3H,) = [bz br bn],
Why (H, V), by (V,). About three times the RNN's work per step.
"""
from __future__ import annotations

import numpy as np

from .model import TextModel, embedding_grad, softmax_xent


def _sigmoid(a: np.ndarray) -> np.ndarray:
    """In place: sigmoid(a) = (1 + tanh(a / 2)) / 2 (no overflow)."""
    a *= 0.5
    np.tanh(a, out=a)
    a += 1.0
    a *= 0.5
    return a


class _Buffers:
    def __init__(self, B, T, H, V, dtype):
        N = T * B
        self.U = np.empty((T, B, 3 * H), dtype)      # x_t Wx + b, then the gates' activations
        self.Hs = np.zeros((T + 1, B, H), dtype)
        self.RH = np.empty((T, B, H), dtype)         # r_t * h_{t-1}
        self.Y = np.empty((N, V), dtype)
        self.dH = np.empty((T, B, H), dtype)
        self.dA = np.empty((T, B, 3 * H), dtype)     # dLoss/d(pre-activations z, r, n)
        self.dh = np.empty((B, H), dtype)
        self.tmp = np.empty((B, H), dtype)
        self.tmp2 = np.empty((B, 2 * H), dtype)
        self.Hout = self.Hs[1:].reshape(N, H)
        self.Hin = self.Hs[:-1].reshape(N, H)


class GRU(TextModel):
    name, Buffers = "gru", _Buffers

    def __init__(self, vocab_size: int, hidden: int = 128, seed: int = 0, dtype=np.float32, **_):
        V, H = int(vocab_size), int(hidden)
        super().__init__(V, [("Wx", (V, 3 * H), True), ("Wh", (H, 2 * H), True), ("Whn", (H, H), True),
                             ("b", (3 * H,), False), ("Why", (H, V), True), ("by", (V,), False)], dtype)
        self.H = H
        rng = np.random.default_rng(seed)
        p = self.params()
        p["Wx"][:] = rng.normal(0.0, 0.1, p["Wx"].shape)
        for name in ("Wh", "Whn", "Why"):
            p[name][:] = rng.normal(0.0, 1.0 / np.sqrt(H), p[name].shape)

    def _forward(self, inputs):
        B, T = inputs.shape
        H, w, buf = self.H, self.w, self._buffers(B, T)
        U, Hs, RH, tmp = buf.U, buf.Hs, buf.RH, buf.tmp
        Wh, Whn = w["Wh"], w["Whn"]
        np.take(w["Wx"], inputs.T, axis=0, out=U)
        U += w["b"]
        for t in range(T):
            h, u = Hs[t], U[t]
            zr = u[:, :2 * H]
            zr += h @ Wh
            _sigmoid(zr)
            z, r, n = u[:, :H], u[:, H:2 * H], u[:, 2 * H:]
            np.multiply(r, h, out=RH[t])
            n += RH[t] @ Whn
            np.tanh(n, out=n)
            hn = Hs[t + 1]
            np.subtract(n, h, out=tmp)
            tmp *= z
            np.add(h, tmp, out=hn)
        np.matmul(buf.Hout, w["Why"], out=buf.Y)
        buf.Y += w["by"]
        return buf

    def _loss(self, inputs, targets) -> float:
        return softmax_xent(self._forward(inputs).Y, targets.T.reshape(-1), grad=False)

    def _gradient(self, inputs, targets) -> float:
        B, T = inputs.shape
        H, N, w, g = self.H, T * B, self.w, self.g
        buf = self._forward(inputs)
        loss = softmax_xent(buf.Y, targets.T.reshape(-1))
        dY, U, Hs, dH, dA, dh, tmp = buf.Y, buf.U, buf.Hs, buf.dH, buf.dA, buf.dh, buf.tmp
        np.matmul(buf.Hout.T, dY, out=g["Why"])
        dY.sum(axis=0, out=g["by"])
        np.matmul(dY, w["Why"].T, out=dH.reshape(N, H))
        WhT, WhnT = w["Wh"].T, w["Whn"].T
        dh[:] = 0.0
        for t in range(T - 1, -1, -1):
            h, u, a = Hs[t], U[t], dA[t]
            z, r, n = u[:, :H], u[:, H:2 * H], u[:, 2 * H:]
            daz, dar, dan = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
            dh += dH[t]                                  # dLoss/dh_t
            np.subtract(n, h, out=daz)                   # dz = dh (n - h); da_z = dz z (1 - z)
            daz *= dh
            np.subtract(1.0, z, out=tmp)
            tmp *= z
            daz *= tmp
            np.multiply(n, n, out=dan)                   # da_n = dh z (1 - n^2)
            np.subtract(1.0, dan, out=dan)
            dan *= z
            dan *= dh
            np.subtract(1.0, z, out=tmp)                 # dh_{t-1} = dh (1 - z) + ...
            dh *= tmp
            drh = dan @ WhnT                             # d(r h)
            np.multiply(drh, h, out=dar)                 # da_r = drh h r (1 - r)
            np.subtract(1.0, r, out=tmp)
            tmp *= r
            dar *= tmp
            drh *= r
            dh += drh
            np.matmul(a[:, :2 * H], WhT, out=tmp)
            dh += tmp
        dAf = dA.reshape(N, 3 * H)
        np.matmul(buf.Hin.T, dAf[:, :2 * H], out=g["Wh"])
        np.matmul(buf.RH.reshape(N, H).T, dAf[:, 2 * H:], out=g["Whn"])
        dAf.sum(axis=0, out=g["b"])
        embedding_grad(inputs.T.reshape(-1), dAf, g["Wx"])
        return loss

    def feed(self, state, ids):
        self._pull()
        w, H = self.w, self.H
        h = np.zeros(H, self.dtype) if state is None else state
        for i in ids:
            u = w["Wx"][i] + w["b"]
            zr = u[:2 * H] + h @ w["Wh"]
            zr = 0.5 * (1.0 + np.tanh(0.5 * zr))
            z, r = zr[:H], zr[H:]
            n = np.tanh(u[2 * H:] + (r * h) @ w["Whn"])
            h = h + z * (n - h)
        return h, (h @ w["Why"] + w["by"]).astype(np.float64)
