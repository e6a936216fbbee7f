"""A gated recurrent unit (Cho et al. 2014; recurrent.py has the shared parts):
    z_t = sigmoid(x_t Wxz + h_{t-1} Whz + bz)          update gate
    r_t = sigmoid(x_t Wxr + h_{t-1} Whr + br)          reset gate
    n_t = tanh(x_t Wxn + (r_t * h_{t-1}) Whn + bn)     candidate
    h_t = h_{t-1} + z_t * (n_t - h_{t-1})
Parameters: Wx (V, 3H) = [Wxz Wxr Wxn], Wh (H, 2H) = [Whz Whr], Whn (H, H), b (3H,) = [bz br bn],
Why (H, V), by (V,). About three times the RNN's work per step.
"""
from __future__ import annotations

import numpy as np

from .model import sigmoid_, times_sigmoid_slope
from .recurrent import Recurrent


class GRU(Recurrent):
    name, gates = "gru", 3

    def __init__(self, vocab_size: int, hidden: int = 128, seed: int = 0, dtype=np.float32, **_):
        H = int(hidden)
        super().__init__(vocab_size, H, [("Wh", (H, 2 * H)), ("Whn", (H, H))], seed, dtype)

    def _more_buffers(self, buf, B, T):
        buf.RH = np.empty((T, B, self.H), self.dtype)           # r_t * h_{t-1}

    def _steps(self, buf, T):
        H, A, Hs, RH, tmp = self.H, buf.A, buf.Hs, buf.RH, buf.tmp
        Wh, Whn = self.w["Wh"], self.w["Whn"]
        for t in range(T):
            h, a = Hs[t], A[t]
            zr = a[:, :2 * H]
            zr += h @ Wh
            sigmoid_(zr)
            z, r, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
            np.multiply(r, h, out=RH[t])
            n += RH[t] @ Whn
            np.tanh(n, out=n)
            np.subtract(n, h, out=tmp)
            tmp *= z
            np.add(h, tmp, out=Hs[t + 1])

    def _back_steps(self, buf, T):
        H, A, Hs, dH, dA, dh, tmp = self.H, buf.A, buf.Hs, buf.dH, buf.dA, buf.dh, buf.tmp
        WhT, WhnT = self.w["Wh"].T, self.w["Whn"].T
        dh[:] = 0.0
        for t in range(T - 1, -1, -1):
            h, a, d = Hs[t], A[t], dA[t]
            z, r, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
            daz, dar, dan = d[:, :H], d[:, H:2 * H], d[:, 2 * H:]
            dh += dH[t]                                  # dLoss/dh_t
            np.subtract(n, h, out=daz)                   # da_z = dh (n - h) z (1 - z)
            daz *= dh
            times_sigmoid_slope(daz, z, tmp)
            np.multiply(n, n, out=dan)                   # da_n = dh z (1 - n^2)
            np.subtract(1.0, dan, out=dan)
            dan *= z
            dan *= dh
            np.subtract(1.0, z, out=tmp)                 # dh_{t-1} = dh (1 - z) + ...
            dh *= tmp
            drh = dan @ WhnT                             # d(r h)
            np.multiply(drh, h, out=dar)                 # da_r = drh h r (1 - r)
            times_sigmoid_slope(dar, r, tmp)
            drh *= r
            dh += drh
            np.matmul(d[:, :2 * H], WhT, out=tmp)
            dh += tmp

    def _recurrent_grads(self, buf, dA):
        H = self.H
        np.matmul(buf.Hin.T, dA[:, :2 * H], out=self.g["Wh"])
        np.matmul(buf.RH.reshape(-1, H).T, dA[:, 2 * H:], out=self.g["Whn"])

    def _cell(self, state, a):
        H, w, h = self.H, self.w, state[0]
        zr = a[:2 * H] + h @ w["Wh"]
        zr = 0.5 * (1.0 + np.tanh(0.5 * zr))
        z, r = zr[:H], zr[H:]
        n = np.tanh(a[2 * H:] + (r * h) @ w["Whn"])
        return (h + z * (n - h),)
