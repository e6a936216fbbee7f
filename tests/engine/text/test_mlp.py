"""The fixed-context MLP: gradients against central differences, contexts padded with the
"nothing before" row, feed."""
import numpy as np

from engine.text.mlp import ContextMLP


def test_gradient_matches_central_differences(check_gradient, small_batch):
    m = ContextMLP(7, hidden=5, context=3, embed=4, seed=1, dtype=np.float64)
    m.theta += np.random.default_rng(0).normal(0.0, 0.3, m.size)
    check_gradient(m, small_batch)


def test_context_window_and_padding():
    m = ContextMLP(5, hidden=4, context=3, embed=2)
    ctx = m._contexts(np.array([[1, 2, 3, 4]]))
    assert ctx.tolist() == [[5, 5, 1], [5, 1, 2], [1, 2, 3], [2, 3, 4]]


def test_feed_reads_only_the_last_k_characters():
    m = ContextMLP(6, hidden=4, context=2, embed=3, seed=2, dtype=np.float64)
    _, a = m.feed(None, [0, 1, 2, 3])
    _, b = m.feed(None, [5, 5, 2, 3])
    _, c = m.feed(None, [2, 4])
    assert np.allclose(a, b) and not np.allclose(a, c)
