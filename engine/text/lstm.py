"""A long short-term memory network (Hochreiter & Schmidhuber 1997, with a forget gate;
recurrent.py has the shared parts):
    [i f o] = sigmoid(a_t[:3H]),  g = tanh(a_t[3H:]),  a_t = x_t Wx + h_{t-1} Wh + b
    c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
Parameters: Wx (V, 4H), Wh (H, 4H), b (4H,) (the forget gate's starts at 1), Why (H, V), by (V,).
"""
from __future__ import annotations

import numpy as np

from .model import sigmoid_, times_sigmoid_slope
from .recurrent import Recurrent


class LSTM(Recurrent):
    name, gates = "lstm", 4

    def __init__(self, vocab_size: int, hidden: int = 128, seed: int = 0, dtype=np.float32, **_):
        H = int(hidden)
        super().__init__(vocab_size, H, [("Wh", (H, 4 * H))], seed, dtype)
        self.params()["b"][H:2 * H] = 1.0                      # remember by default

    def _more_buffers(self, buf, B, T):
        buf.Cs = np.zeros((T + 1, B, self.H), self.dtype)       # c_t, Cs[0] = c_0 = 0
        buf.TC = np.empty((T, B, self.H), self.dtype)           # tanh(c_t)
        buf.dc = np.empty((B, self.H), self.dtype)

    def _steps(self, buf, T):
        H, A, Hs, Cs, TC, tmp, Wh = self.H, buf.A, buf.Hs, buf.Cs, buf.TC, buf.tmp, self.w["Wh"]
        for t in range(T):
            a = A[t]
            a += Hs[t] @ Wh
            sigmoid_(a[:, :3 * H])
            np.tanh(a[:, 3 * H:], out=a[:, 3 * H:])
            i, f, o, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
            c = Cs[t + 1]
            np.multiply(f, Cs[t], out=c)
            np.multiply(i, g, out=tmp)
            c += tmp
            np.tanh(c, out=TC[t])
            np.multiply(o, TC[t], out=Hs[t + 1])

    def _back_steps(self, buf, T):
        H, A, Cs, TC, dH, dA, dh, dc, tmp = self.H, buf.A, buf.Cs, buf.TC, buf.dH, buf.dA, buf.dh, buf.dc, buf.tmp
        WhT = self.w["Wh"].T
        dh[:] = 0.0
        dc[:] = 0.0
        for t in range(T - 1, -1, -1):
            a, d, tc = A[t], dA[t], TC[t]
            i, f, o, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
            di, df, do, dg = d[:, :H], d[:, H:2 * H], d[:, 2 * H:3 * H], d[:, 3 * H:]
            dh += dH[t]                                   # dLoss/dh_t
            np.multiply(dh, tc, out=do)                   # da_o = dh tanh(c) o (1 - o)
            times_sigmoid_slope(do, o, tmp)
            np.multiply(tc, tc, out=tmp)                  # dc += dh o (1 - tanh(c)^2)
            np.subtract(1.0, tmp, out=tmp)
            tmp *= o
            tmp *= dh
            dc += tmp
            np.multiply(dc, g, out=di)                    # da_i = dc g i (1 - i)
            times_sigmoid_slope(di, i, tmp)
            np.multiply(dc, Cs[t], out=df)                # da_f = dc c_{t-1} f (1 - f)
            times_sigmoid_slope(df, f, tmp)
            np.multiply(g, g, out=dg)                     # da_g = dc i (1 - g^2)
            np.subtract(1.0, dg, out=dg)
            dg *= i
            dg *= dc
            dc *= f                                       # dLoss/dc_{t-1}
            np.matmul(d, WhT, out=dh)                     # dLoss/dh_{t-1} through Wh

    def _zero_state(self):
        return (np.zeros(self.H, self.dtype), np.zeros(self.H, self.dtype))

    def _cell(self, state, a):
        H, (h, c) = self.H, state
        a = a + h @ self.w["Wh"]
        ifo = 0.5 * (1.0 + np.tanh(0.5 * a[:3 * H]))
        c = ifo[H:2 * H] * c + ifo[:H] * np.tanh(a[3 * H:])
        return (ifo[2 * H:] * np.tanh(c), c)
