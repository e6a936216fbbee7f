"""The vanilla RNN of Karpathy's min-char-rnn (recurrent.py has the shared parts):
    h_t = tanh(x_t Wx + h_{t-1} Wh + b);  y_t = h_t Why + by;  loss = mean -log softmax(y_t)[target_t]
Parameters: Wx (V, H), Wh (H, H), b (H,), Why (H, V), by (V,).

Speed: each time step is three NumPy calls forward (product, add, tanh, all in place) and three
backward (add the carried gradient, multiply by 1 - h^2, product with Wh^T).
"""
from __future__ import annotations

import numpy as np

from .recurrent import Recurrent


class RNN(Recurrent):
    name, gates = "rnn", 1

    def __init__(self, vocab_size: int, hidden: int = 128, seed: int = 0, dtype=np.float32, **_):
        super().__init__(vocab_size, hidden, [("Wh", (int(hidden), int(hidden)))], seed, dtype)

    def _more_buffers(self, buf, B, T):
        buf.D = np.empty((T, B, self.H), self.dtype)            # 1 - h_t^2

    def _steps(self, buf, T):
        A, Hs, Wh = buf.A, buf.Hs, self.w["Wh"]
        for t in range(T):
            h = Hs[t + 1]
            np.matmul(Hs[t], Wh, out=h)
            h += A[t]
            np.tanh(h, out=h)

    def _back_steps(self, buf, T):
        dH, D, dA, dnext = buf.dH, buf.D, buf.dA, buf.dh
        np.multiply(buf.Hout, buf.Hout, out=D.reshape(buf.Hout.shape))
        np.subtract(1.0, D, out=D)
        WhT = self.w["Wh"].T
        for t in range(T - 1, -1, -1):
            if t < T - 1:
                dH[t] += dnext
            np.multiply(dH[t], D[t], out=dA[t])
            if t:
                np.matmul(dA[t], WhT, out=dnext)

    def _cell(self, state, a):
        return (np.tanh(a + state[0] @ self.w["Wh"]),)
