"""The bigram table: gradient check, and its loss at the counted optimum equals the conditional
entropy H(next | current) of the Shakespeare training text, computed here by counting pairs."""
import math
from collections import Counter

import numpy as np
import pytest

from engine.text import shakespeare
from engine.text.bigram import Bigram


def test_gradient_matches_central_differences(check_gradient, small_batch):
    m = Bigram(7, seed=1, dtype=np.float64)
    m.theta += np.random.default_rng(0).normal(0.0, 0.5, m.size)
    check_gradient(m, small_batch)


def conditional_entropy(text: str) -> float:
    pairs = Counter(zip(text, text[1:]))
    firsts = Counter(text[:-1])
    n = len(text) - 1
    return -sum(c / n * math.log(c / firsts[a]) for (a, _), c in pairs.items())


def test_loss_at_the_counted_optimum_is_the_conditional_entropy():
    corpus = shakespeare()
    train_text = corpus.text[:corpus.split]
    expected = conditional_entropy(train_text)
    assert 2.0 < expected < corpus.unigram                       # knowing one character helps
    m = Bigram(corpus.V, dtype=np.float64)
    m.fit_counts(corpus.train)
    ids = corpus.train
    T = 1000
    rows = (len(ids) - 1) // T
    x, y = ids[:rows * T].reshape(rows, T), ids[1:rows * T + 1].reshape(rows, T)
    total, grad = 0.0, np.zeros(m.size)
    for i in range(0, rows, 50):                                 # chunks: the whole text at once is 0.6 GB
        n = len(x[i:i + 50]) * T
        total += m.gradient((x[i:i + 50], y[i:i + 50])) * n
        grad += m.grad * n
    tail_x, tail_y = ids[rows * T:-1][None], ids[rows * T + 1:][None]
    total += m.gradient((tail_x, tail_y)) * tail_x.size
    grad += m.grad * tail_x.size
    n = len(ids) - 1
    assert total / n == pytest.approx(expected, abs=1e-9)
    assert np.abs(grad / n).max() < 1e-9                         # and it is the minimum: no slope left


def test_gradient_descent_approaches_the_counted_optimum():
    """Adam on the bigram table heads for the same number (a few hundred steps on random windows)."""
    from engine.trainer import Trainer

    t = Trainer({"dataset": "shakespeare", "model": "bigram", "seed": 0, "seq_len": 64, "batch_size": 64,
                 "learning_rate": 0.05})
    task, m = t.task, t.model
    best = Bigram(task.corpus.V, dtype=np.float64)
    best.fit_counts(task.corpus.train)
    floor = task.loss_on(best, "train")
    start = task.loss_on(m, "train")
    t.run(400)
    end = task.loss_on(m, "train")
    assert end - floor < 0.2 * (start - floor)
