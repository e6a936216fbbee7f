"""What the recurrent models (rnn, gru, lstm) share: an input embedding, a recurrence over
preallocated time-major buffers, and a softmax output layer, with backpropagation through time
truncated at the window length T of the batch. Row-vector convention, one-hot inputs, so x_t Wx is
row x_t of Wx (a look-up):
    a_t = x_t Wx + b  (+ the recurrent part, in the model's step);  y_t = h_t Why + by
Parameters of every recurrent model: Wx (V, kH), its recurrent weights, b (kH,), Why (H, V), by (V,),
where k is the number of gates (rnn 1, gru 3, lstm 4). Each window starts from h_0 = 0 (and c_0 = 0).

A model supplies ``_steps(buf, T)`` (forward through time: buf.A holds the input part of a_t on
entry), ``_back_steps(buf, T)`` (backward through time: buf.dH holds dLoss/dh_t from the output on
entry; it leaves dLoss/da_t in buf.dA) and ``_cell(state, a)`` for inference; everything outside
the time loop is one large product over all T*B positions, here.
"""
from __future__ import annotations

import numpy as np

from .model import TextModel, embedding_grad, softmax_xent


class Buffers:
    """Work arrays for batches of B windows of T characters (made once per shape)."""

    def __init__(self, B: int, T: int, H: int, V: int, dtype, gates: int):
        N = T * B
        self.A = np.empty((T, B, gates * H), dtype)    # pre-activations, then the gates' values
        self.Hs = np.zeros((T + 1, B, H), dtype)       # Hs[0] = h_0 = 0, Hs[t] = h_t
        self.Y = np.empty((N, V), dtype)               # logits, then dLoss/dlogits
        self.dH = np.empty((T, B, H), dtype)           # dLoss/dh_t from the output layer
        self.dA = np.empty((T, B, gates * H), dtype)   # dLoss/da_t
        self.dh = np.empty((B, H), dtype)              # dLoss/dh_t in the backward loop
        self.tmp = np.empty((B, H), dtype)
        self.Hout = self.Hs[1:].reshape(N, H)
        self.Hin = self.Hs[:-1].reshape(N, H)


class Recurrent(TextModel):
    gates = 1

    def __init__(self, vocab_size: int, hidden: int, recurrent: list[tuple[str, tuple]], seed: int, dtype):
        V, H, k = int(vocab_size), int(hidden), self.gates
        super().__init__(V, [("Wx", (V, k * H), True), *[(n, s, True) for n, s in recurrent],
                             ("b", (k * H,), False), ("Why", (H, V), True), ("by", (V,), False)], dtype)
        self.H = H
        rng = np.random.default_rng(seed)       # pre-activations of order one at the start
        for name, p in self.params().items():
            if name == "Wx":
                p[:] = rng.normal(0.0, 0.1, p.shape)
            elif name.startswith("W"):
                p[:] = rng.normal(0.0, 1.0 / np.sqrt(H), p.shape)

    def _buffers(self, B: int, T: int) -> Buffers:
        buf = self._buf.get((B, T))
        if buf is None:
            if len(self._buf) > 4:
                self._buf.clear()
            buf = self._buf[(B, T)] = Buffers(B, T, self.H, self.V, self.dtype, self.gates)
            self._more_buffers(buf, B, T)
        return buf

    def _more_buffers(self, buf: Buffers, B: int, T: int) -> None:
        """A model's own work arrays, added to buf."""

    def _forward(self, inputs: np.ndarray) -> Buffers:
        B, T = inputs.shape
        w, buf = self.w, self._buffers(B, T)
        np.take(w["Wx"], inputs.T, axis=0, out=buf.A)
        buf.A += w["b"]
        self._steps(buf, T)
        np.matmul(buf.Hout, w["Why"], out=buf.Y)
        buf.Y += w["by"]
        return buf

    def _loss(self, inputs, targets) -> float:
        return softmax_xent(self._forward(inputs).Y, targets.T.reshape(-1), grad=False)

    def _gradient(self, inputs, targets) -> float:
        B, T = inputs.shape
        N, w, g = T * B, self.w, self.g
        buf = self._forward(inputs)
        loss = softmax_xent(buf.Y, targets.T.reshape(-1))       # buf.Y is now dLoss/dlogits
        np.matmul(buf.Hout.T, buf.Y, out=g["Why"])
        buf.Y.sum(axis=0, out=g["by"])
        np.matmul(buf.Y, w["Why"].T, out=buf.dH.reshape(N, self.H))
        self._back_steps(buf, T)
        dA = buf.dA.reshape(N, -1)
        self._recurrent_grads(buf, dA)
        dA.sum(axis=0, out=g["b"])
        embedding_grad(inputs.T.reshape(-1), dA, g["Wx"])
        return loss

    def _recurrent_grads(self, buf: Buffers, dA: np.ndarray) -> None:
        """dLoss/dWh = sum over t of h_{t-1}^T da_t (one product over all positions)."""
        np.matmul(buf.Hin.T, dA, out=self.g["Wh"])

    def feed(self, state, ids):
        self._pull()
        w = self.w
        if state is None:
            state = self._zero_state()
        for i in ids:
            state = self._cell(state, w["Wx"][i] + w["b"])
        return state, (state[0] @ w["Why"] + w["by"]).astype(np.float64)

    def _zero_state(self) -> tuple:
        return (np.zeros(self.H, self.dtype),)

    def _steps(self, buf: Buffers, T: int) -> None:
        raise NotImplementedError

    def _back_steps(self, buf: Buffers, T: int) -> None:
        raise NotImplementedError

    def _cell(self, state: tuple, a: np.ndarray) -> tuple:
        raise NotImplementedError
