"""The text task (TASKS.md): character windows of a corpus, a text model, and what a report says
about it (losses in nats and bits per character, samples, the next-character distribution).

The lead moves this into engine/tasks/ once the task registry exists (issue 8). Config fields read
(with these defaults where the Config has no such field yet): dataset "shakespeare", model "rnn",
hidden 128 (an int, or the first of a list), seq_len 32, batch_size 32, seed, context 8 and embed 16
(the MLP's), each checked against a range (a ValueError "field: ...; allowed: 1 to N").
"""
from __future__ import annotations

import numpy as np

from . import corpus as corpora
from .corpus import bits
from .sampling import next_distribution, sample

MAX_SEQ_LEN = 512
MAX_HIDDEN = 1024
MAX_CONTEXT = 64             # the MLP's characters of context
MAX_EMBED = 256              # the MLP's embedding size
MAX_BATCH = 4096
EVAL_CHARS = 32_768          # characters of each part the losses are measured on (fixed windows)
EVAL_BATCH = 256             # windows per forward pass while evaluating


def _field(r, name, default):
    value = getattr(r, name, default) if r is not None else default
    return default if value is None else value


def corpus_for(r, data=None) -> corpora.Corpus:
    """The corpus a config and run-file data name: the bundled Shakespeare or an uploaded text."""
    data = data or {"dataset": _field(r, "dataset", "shakespeare")}
    if "text" in data:
        return corpora.from_upload(data["text"], data.get("name", "upload"))
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

    def __init__(self, r=None, data=None):
        self.corpus = corpus_for(r, data)
        self.T = int(_field(r, "seq_len", 32))
        if not 1 <= self.T <= MAX_SEQ_LEN:
            raise ValueError(f"seq_len: {self.T} is out of range; allowed: 1 to {MAX_SEQ_LEN}")
        if len(self.corpus.train) < self.T + 2 or len(self.corpus.val) < 2:
            raise ValueError(f"seq_len: {self.T} is longer than the text allows; allowed: 1 to "
                             f"{max(len(self.corpus.train) - 2, 1)} for this text")
        self.batch_size = int(_field(r, "batch_size", 32))
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size: {self.batch_size} is out of range; allowed: 1 to {MAX_BATCH}")
        self.n_train = len(self.corpus.train) - self.T        # window starts
        self._offsets = np.arange(self.T + 1)
        self._eval = {part: _windows(ids, self.T, EVAL_CHARS)
                      for part, ids in (("train", self.corpus.train), ("val", self.corpus.val))}

    def model(self, r=None):
        from . import MODELS
        name = _field(r, "model", "rnn")
        if name not in MODELS:
            raise ValueError(f"model: unknown {name!r}; allowed: {', '.join(MODELS)}")
        hidden = _field(r, "hidden", 128)
        if isinstance(hidden, (list, tuple)):
            hidden = hidden[0] if hidden else 128
        sizes = {"hidden": int(hidden), "context": int(_field(r, "context", 8)), "embed": int(_field(r, "embed", 16))}
        for field, top in (("hidden", MAX_HIDDEN), ("context", MAX_CONTEXT), ("embed", MAX_EMBED)):
            if not 1 <= sizes[field] <= top:
                raise ValueError(f"{field}: {sizes[field]} is out of range; allowed: 1 to {top}")
        return MODELS[name](self.corpus.V, seed=int(_field(r, "seed", 0)), **sizes)

    def batch(self, idx: np.ndarray, rng=None) -> tuple[np.ndarray, np.ndarray]:
        """Windows starting at the training positions idx: inputs (B, T) and targets (B, T), the
        same characters one later."""
        w = self.corpus.train[np.asarray(idx)[:, None] + self._offsets]
        return w[:, :-1], w[:, 1:]

    def random_batch(self, rng: np.random.Generator, size: int | None = None):
        return self.batch(rng.integers(0, self.n_train, size or self.batch_size))

    def loss_on(self, model, part: str) -> float:
        """Mean loss, nats per character, over the fixed evaluation windows of part ("train"/"val")."""
        X, Y = self._eval[part]
        total = 0.0
        for i in range(0, len(X), EVAL_BATCH):
            total += model.loss((X[i:i + EVAL_BATCH], Y[i:i + EVAL_BATCH])) * len(X[i:i + EVAL_BATCH])
        return total / len(X)

    def evaluate(self, model) -> dict:
        lt, lv = self.loss_on(model, "train"), self.loss_on(model, "val")
        return {"loss_train": lt, "loss_val": lv, "bits_train": bits(lt), "bits_val": bits(lv),
                "accuracy_train": None, "accuracy_test": None}

    def references(self) -> dict:
        """The two reference lines of the loss chart, nats per character."""
        return {"uniform": self.corpus.uniform, "unigram": self.corpus.unigram}

    def extras(self, model, prompt: str = "", temperature: float = 1.0, length: int = 200, seed: int = 0) -> dict:
        return {"sample": sample(model, self.corpus, prompt, length, temperature, seed),
                "next_char": next_distribution(model, self.corpus, prompt, temperature),
                **self.references()}

    def data_for_run(self) -> dict:
        c = self.corpus
        if c.name == "shakespeare":
            return {"dataset": "shakespeare", "file": "engine/text/shakespeare.txt", "sha256": c.sha256}
        return {"dataset": "upload", "name": c.name, "text": c.text, "sha256": c.sha256}
