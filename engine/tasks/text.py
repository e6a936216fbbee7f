"""The text task: character windows of a corpus (the bundled Shakespeare, or a learner's upload),
a text model (engine.text), and what a report says about it: the losses in nats and bits per
character on the training text and on the held-out last 10% (``loss_test``, ``bits_test``),
samples, the next-character distribution and the two reference losses.

An example is a window start in the training part; the epoch is every start. Windows overlap in
corpus order, so the task asks the Trainer to shuffle its first epoch too (``shuffle_first``) and
prepares BLOCK windows at a time. The fields read from the resolved Config (dataset, model, hidden,
seq_len, context, embed, batch_size, seed) are checked there (engine.config.text_check).
"""
from __future__ import annotations

import numpy as np

from ..text import MODELS
from ..text import corpus as corpora
from ..text.corpus import bits
from ..text.sampling import next_distribution, sample

EVAL_CHARS = 32_768          # characters of each part the losses are measured on (fixed windows)
EVAL_BATCH = 256             # windows per forward pass while evaluating
BLOCK = 8192                 # windows prepared at a time


def corpus_for(r, data=None) -> corpora.Corpus:
    """The corpus a config and run-file data name: the bundled Shakespeare or an uploaded text."""
    if data is not None and not isinstance(data, dict):
        raise ValueError("data: text data must be an object like {'text': '...'} or {'dataset': 'shakespeare'}")
    data = data or {"dataset": r.dataset}
    if "text" in data:
        return corpora.from_upload(data["text"], data.get("name", "upload"))
    if data.get("dataset") == "text":
        raise ValueError("data: the text data set needs an uploaded text; allowed: a UTF-8 file, or "
                         "dataset shakespeare")
    if data.get("dataset") != "shakespeare":
        raise ValueError(f"dataset: unknown text {data.get('dataset')!r}; allowed: shakespeare, or an uploaded text")
    c = corpora.shakespeare()
    if data.get("sha256", c.sha256) != c.sha256:
        raise ValueError("dataset: the run was recorded on a different shakespeare.txt (sha256 differs); "
                         "allowed: the bundled file")
    return c


def _windows(ids: np.ndarray, T: int, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Non-overlapping windows of T inputs and their T targets, evenly spread over ids, at most
    limit characters in all."""
    n = (len(ids) - 1) // T
    if n < 1:
        return np.empty((0, T), ids.dtype), np.empty((0, T), ids.dtype)
    starts = np.linspace(0, n - 1, min(n, max(limit // T, 1))).astype(int) * T
    cols = starts[:, None] + np.arange(T)
    return ids[cols], ids[cols + 1]


class TextTask:
    name = "text"
    kind = "language"

    shuffle_first = True
    block = BLOCK

    def __init__(self, r, data=None):
        self.corpus = corpus_for(r, data)
        self.T = r.seq_len
        if len(self.corpus.train) < self.T + 2 or len(self.corpus.val) < 2:
            raise ValueError(f"seq_len: {self.T} is longer than the text allows; allowed: 1 to "
                             f"{max(len(self.corpus.train) - 2, 1)} for this text")
        self.n_train = len(self.corpus.train) - self.T        # window starts
        self._offsets = np.arange(self.T + 1)
        self._eval = {part: _windows(ids, self.T, EVAL_CHARS)
                      for part, ids in (("train", self.corpus.train), ("val", self.corpus.val))}

    def model(self, r):
        return MODELS[r.model](self.corpus.V, seed=r.seed, hidden=r.hidden[0], context=r.context, embed=r.embed)

    def batch(self, idx: np.ndarray, rng=None) -> tuple[np.ndarray, np.ndarray]:
        """Windows starting at the training positions idx: inputs (B, T) and targets (B, T), the
        same characters one later."""
        w = self.corpus.train[np.asarray(idx)[:, None] + self._offsets]
        return w[:, :-1], w[:, 1:]

    def loss_on(self, model, part: str) -> float:
        """Mean loss, nats per character, over the fixed evaluation windows of part ("train", or
        "val": the held-out last 10%)."""
        X, Y = self._eval[part]
        total = 0.0
        for i in range(0, len(X), EVAL_BATCH):
            total += model.loss((X[i:i + EVAL_BATCH], Y[i:i + EVAL_BATCH])) * len(X[i:i + EVAL_BATCH])
        return total / len(X)

    def evaluate(self, model) -> dict:
        """loss_test is the loss on the held-out last 10% of the text (the validation part)."""
        lt, lv = self.loss_on(model, "train"), self.loss_on(model, "val")
        return {"loss_train": lt, "loss_test": lv, "bits_train": bits(lt), "bits_test": bits(lv),
                "accuracy_train": None, "accuracy_test": None}

    def references(self) -> dict:
        """The two reference lines of the loss chart, nats per character."""
        return {"uniform": self.corpus.uniform, "unigram": self.corpus.unigram}

    def extras(self, model, prompt: str = "", temperature: float = 1.0, length: int = 200, seed: int = 0,
               **view) -> dict:
        """sample: `length` characters after prompt; next_char: the next-character distribution;
        uniform, unigram: the reference losses."""
        return {"sample": sample(model, self.corpus, prompt, length, temperature, seed),
                "next_char": next_distribution(model, self.corpus, prompt, temperature),
                **self.references()}

    def data_for_run(self) -> dict:
        c = self.corpus
        if c.name == "shakespeare":
            return {"dataset": "shakespeare", "file": "engine/text/shakespeare.txt", "sha256": c.sha256}
        return {"dataset": "upload", "name": c.name, "text": c.text, "sha256": c.sha256}
