"""A character corpus: its text, vocabulary, ids, the training/validation split (the last 10% is
validation) and the two reference losses (uniform guess log V, unigram entropy).

Two sources: the bundled Shakespeare (shakespeare.txt, built by engine/text/convert.py; see
docs/data/shakespeare.md) and a learner's own UTF-8 text (``from_upload``). Every refusal is a
ValueError "text: what was wrong; allowed: what is".
"""
from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

SHAKESPEARE = Path(__file__).resolve().parent / "shakespeare.txt"
SHAKESPEARE_SHA256 = "27c69e85b777ef905246a5c11774f8ae30ad1c9f9d2480d8687596f62dccb805"
VALIDATION = 0.1                  # the last tenth of a text is held out
MAX_UPLOAD_BYTES = 2_000_000      # an upload's size limit (UTF-8 bytes)
MIN_CHARS = 200                   # shorter texts leave nothing to learn or to validate on
MAX_VOCAB = 256                   # distinct characters kept; rarer ones all become REPLACEMENT
REPLACEMENT = "\ufffd"            # stands for every character outside the vocabulary
ALLOWED = (f"a UTF-8 plain-text file of at least {MIN_CHARS} characters and at most {MAX_UPLOAD_BYTES:,} "
           "bytes, with at least two different characters")


class Corpus:
    def __init__(self, text: str, name: str, max_vocab: int = MAX_VOCAB):
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        uniq, inverse, counts = _unique(codes)
        if len(uniq) > max_vocab:                 # keep the most frequent, fold the rest into one symbol
            keep = np.zeros(len(uniq), bool)
            keep[np.lexsort((uniq, -counts))[:max_vocab - 1]] = True
            codes = np.where(keep[inverse], codes, np.uint32(ord(REPLACEMENT)))
            text = codes.tobytes().decode("utf-32-le")
            uniq, inverse, _ = _unique(codes)
        self.name, self.text = name, text
        self.chars: list[str] = [chr(c) for c in uniq]
        self.index = {c: i for i, c in enumerate(self.chars)}
        self.ids = inverse.reshape(-1).astype(np.int32)
        self.split = int(len(self.ids) * (1.0 - VALIDATION))
        self.train, self.val = self.ids[:self.split], self.ids[self.split:]
        self.start_id = self.index.get("\n", int(np.argmax(np.bincount(self.ids))))
        self.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def V(self) -> int:
        return len(self.chars)

    @property
    def uniform(self) -> float:
        """Loss of the uniform guess, nats per character: log V."""
        return math.log(self.V)

    @property
    def unigram(self) -> float:
        """Entropy of the character frequencies of the training part, nats per character."""
        p = np.bincount(self.train, minlength=self.V) / len(self.train)
        p = p[p > 0]
        return float(-(p * np.log(p)).sum())

    def encode(self, text: str) -> tuple[np.ndarray, list[str]]:
        """(ids, characters outside the vocabulary). Those become REPLACEMENT where the vocabulary
        has it, and are left out otherwise."""
        ids, unknown = [], []
        fallback = self.index.get(REPLACEMENT)
        for c in text.replace("\r\n", "\n").replace("\r", "\n"):
            i = self.index.get(c, fallback)
            if c not in self.index and c not in unknown:
                unknown.append(c)
            if i is not None:
                ids.append(i)
        return np.array(ids, np.int64), unknown

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in ids)


def _unique(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """np.unique(codes, return_inverse=True, return_counts=True), by counting (no sort: 20x faster)."""
    counts = np.bincount(codes)
    uniq = np.flatnonzero(counts)
    lut = np.zeros(len(counts), np.int32)
    lut[uniq] = np.arange(len(uniq), dtype=np.int32)
    return uniq, lut[codes], counts[uniq]


def bits(nats: float) -> float:
    """Nats per character in bits per character."""
    return nats / math.log(2.0)


@lru_cache(maxsize=1)
def shakespeare() -> Corpus:
    data = SHAKESPEARE.read_bytes()
    if hashlib.sha256(data).hexdigest() != SHAKESPEARE_SHA256:
        raise ValueError(f"text: {SHAKESPEARE.name} does not match its recorded sha256; rebuild it with "
                         "engine/text/convert.py")
    return Corpus(data.decode("utf-8"), "shakespeare")


def from_upload(data: bytes | str, name: str = "upload") -> Corpus:
    """A learner's own text, checked: size, UTF-8, not binary, not empty, at least two characters."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValueError(f"text: the file is {len(raw):,} bytes, too large; allowed: {ALLOWED}")
    if not raw.strip():
        raise ValueError(f"text: the file is empty; allowed: {ALLOWED}")
    if b"\x00" in raw:
        raise ValueError(f"text: the file is binary (it contains NUL bytes), not text; allowed: {ALLOWED}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"text: the file is not UTF-8 text (invalid byte at position {e.start}); "
                         f"allowed: {ALLOWED}") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    control = int(np.count_nonzero((codes < 32) & (codes != 9) & (codes != 10) & (codes != 12)))
    if control > 0.01 * len(text):
        raise ValueError(f"text: the file looks binary ({control:,} control characters), not text; "
                         f"allowed: {ALLOWED}")
    if len(text) < MIN_CHARS:
        raise ValueError(f"text: the file has only {len(text)} characters; allowed: {ALLOWED}")
    if len(set(text)) < 2:
        raise ValueError(f"text: the file uses a single character; allowed: {ALLOWED}")
    return Corpus(text, name)
