"""Inference with any text model: sampling with a temperature and a seed, and the next-character
distribution (with the cost -log p of each character of the prompt given the ones before it).

Temperature: logits / temperature before the softmax; at or below GREEDY the pick is the argmax
(no randomness). An empty prompt reads as the corpus's start character (a line break).
"""
from __future__ import annotations

import math

import numpy as np

from .model import log_softmax

GREEDY = 1e-3                 # temperatures at or below this pick the most likely character
MAX_TEMPERATURE = 10.0
MAX_PROMPT = 2000             # characters of a prompt read (the last ones)
MAX_SAMPLE = 5000             # characters one sample may have


def check_temperature(temperature: float) -> float:
    t = float(temperature)
    if not (math.isfinite(t) and 0.0 <= t <= MAX_TEMPERATURE):
        raise ValueError(f"temperature: {temperature!r} is out of range; allowed: 0 to {MAX_TEMPERATURE:g} "
                         f"(at most {GREEDY:g}: always the most likely character)")
    return t


def pick(logits: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    if temperature <= GREEDY:
        return int(np.argmax(logits))
    p = np.exp(log_softmax(logits / temperature))
    return int(min(np.searchsorted(np.cumsum(p), rng.random() * p.sum(), side="right"), len(p) - 1))


def _prompt_ids(corpus, prompt: str) -> tuple[np.ndarray, list[str]]:
    ids, unknown = corpus.encode(prompt[-MAX_PROMPT:])
    return (ids if len(ids) else np.array([corpus.start_id])), unknown


def sample(model, corpus, prompt: str = "", length: int = 200, temperature: float = 1.0, seed: int = 0) -> str:
    """`length` characters generated after `prompt` (not included), reproducible for a seed."""
    with np.errstate(all="ignore"):                # a diverged model samples nonsense, quietly
        return _sample(model, corpus, prompt, length, temperature, seed)


def _sample(model, corpus, prompt, length, temperature, seed) -> str:
    temperature = check_temperature(temperature)
    if not 0 <= int(length) <= MAX_SAMPLE:
        raise ValueError(f"length: {length!r} is out of range; allowed: 0 to {MAX_SAMPLE}")
    rng = np.random.default_rng(seed)
    ids, _ = _prompt_ids(corpus, prompt)
    state, logits = model.feed(None, ids)
    out = []
    for _ in range(int(length)):
        c = pick(logits, temperature, rng)
        out.append(c)
        state, logits = model.feed(state, [c])
    return corpus.decode(out)


def next_distribution(model, corpus, prompt: str, temperature: float = 1.0) -> dict:
    """The model's probabilities for the character after `prompt` (at `temperature`), and how
    surprised it is (at temperature 1, in nats): costs[i] = -log p(read[i+1] | read[..i]) along the
    prompt as read, and follows = the character that really comes after the prompt in the corpus
    (if the prompt occurs there) with its cost -log p."""
    with np.errstate(all="ignore"):
        return _next_distribution(model, corpus, prompt, temperature)


def _next_distribution(model, corpus, prompt, temperature) -> dict:
    temperature = check_temperature(temperature)
    ids, unknown = _prompt_ids(corpus, prompt)
    state, logits = model.feed(None, ids[:1])
    costs = []
    for i in ids[1:]:
        costs.append(float(-log_softmax(logits)[i]))
        state, logits = model.feed(state, [i])
    p = np.exp(log_softmax(logits / max(temperature, GREEDY)))
    top = int(np.argmax(p))
    read = corpus.decode(ids)
    follows = following(corpus, read)
    if follows is not None:
        follows["cost"] = float(-log_softmax(logits)[corpus.index[follows["char"]]])
    return {"chars": list(corpus.chars), "probs": (p / p.sum()).tolist(), "top": top, "top_char": corpus.chars[top],
            "costs": costs, "read": read, "unknown": unknown, "follows": follows}


def following(corpus, read: str) -> dict | None:
    """Where the text `read` occurs in the corpus (the validation part first: text the model has not
    trained on), the character that really follows it: {"char", "part", "at"}; None if nowhere."""
    for part, lo, hi in (("val", corpus.split, len(corpus.text)), ("train", 0, corpus.split)):
        at = corpus.text.find(read, lo, hi - 1)
        if at >= 0 and at + len(read) < hi:
            return {"char": corpus.text[at + len(read)], "part": part, "at": at}
    return None
