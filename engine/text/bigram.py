"""The bigram table: the next character's logits are a row of W picked by the current character,
    y_t = W[x_t];  loss = mean -log softmax(y_t)[target_t].
The simplest language model, and one whose best loss can be computed by counting: at the optimum
softmax(W[a]) is the frequency of each character after a, and the loss is the conditional entropy
H(next | current) of the training text (``fit_counts`` writes that closed form into theta).
"""
from __future__ import annotations

import numpy as np

from .model import TextModel, embedding_grad, softmax_xent

FLOOR = -30.0      # the logit of a pair never seen (probability ~1e-13 instead of exactly 0)


class Bigram(TextModel):
    name = "bigram"

    def __init__(self, vocab_size: int, seed: int = 0, dtype=np.float32, **_):
        V = int(vocab_size)
        super().__init__(V, [("W", (V, V), True)], dtype)
        self.theta[:] = np.random.default_rng(seed).normal(0.0, 0.01, self.size)

    def _logits(self, inputs):
        return np.take(self.w["W"], inputs.reshape(-1), axis=0)

    def _loss(self, inputs, targets) -> float:
        return softmax_xent(self._logits(inputs), targets.reshape(-1), grad=False)

    def _gradient(self, inputs, targets) -> float:
        Y = self._logits(inputs)
        loss = softmax_xent(Y, targets.reshape(-1))
        embedding_grad(inputs.reshape(-1), Y, self.g["W"])
        return loss

    def feed(self, state, ids):
        self._pull()
        last = state if not len(ids) else int(ids[-1])
        if last is None:
            raise ValueError("prompt: the bigram model needs at least one character")
        return last, self.w["W"][last].astype(np.float64)

    def fit_counts(self, ids: np.ndarray) -> None:
        """theta <- log of the transition frequencies of ids (the loss minimum on ids)."""
        counts = np.zeros((self.V, self.V))
        np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
        with np.errstate(divide="ignore"):
            logp = np.log(counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0))
        self.params()["W"][:] = np.maximum(logp, FLOOR)
