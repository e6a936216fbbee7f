"""What every text model shares (model.py): inference (feed) agrees with the training pass, the
float32 compute path agrees with float64, and params/grads are views shaped like the parameters."""
import numpy as np
import pytest

from engine.text import MODELS
from engine.text.model import log_softmax, softmax_xent

SIZES = dict(hidden=8, context=3, embed=4)


def make(name, dtype=np.float32, seed=0, V=9):
    m = MODELS[name](V, seed=seed, dtype=dtype, **SIZES)
    m.theta += np.random.default_rng(seed + 1).normal(0.0, 0.3, m.size)
    return m


@pytest.mark.parametrize("name", list(MODELS))
def test_feed_gives_the_logits_the_training_pass_scores_with(name):
    m = make(name, np.float64)
    x = np.array([[3, 1, 4, 1, 5]])
    _, logits = m.feed(None, x[0])
    y = np.zeros((1, 5), int)
    for target in range(m.V):
        y[0, 4] = target
        last = m.loss((x, y)) * 5 - m.loss((x[:, :4], y[:, :4])) * 4
        assert last == pytest.approx(-log_softmax(logits)[target], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", list(MODELS))
def test_feed_in_pieces_equals_feed_at_once(name):
    m = make(name)
    ids = [1, 4, 4, 0, 8, 2]
    _, l1 = m.feed(None, ids)
    s, _ = m.feed(None, ids[:2])
    _, l2 = m.feed(s, ids[2:])
    assert np.allclose(l1, l2, atol=1e-5)


@pytest.mark.parametrize("name", list(MODELS))
def test_float32_gradient_agrees_with_float64(name):
    x = np.random.default_rng(0).integers(0, 40, (8, 33))
    exact, fast = make(name, np.float64, V=40), make(name, np.float32, V=40)
    assert fast.dtype == np.float32 and exact.theta.dtype == fast.theta.dtype == np.float64
    loss64, loss32 = exact.gradient((x[:, :-1], x[:, 1:])), fast.gradient((x[:, :-1], x[:, 1:]))
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    assert np.abs(fast.grad - exact.grad).max() < 1e-5 * np.abs(exact.grad).max()


@pytest.mark.parametrize("name", list(MODELS))
def test_params_and_grads_are_views_into_theta_and_grad(name):
    m = make(name)
    p, g = m.params(), m.grads()
    assert list(p) == list(g) == list(m.layout)
    assert sum(v.size for v in p.values()) == m.size == m.grad.size == m.weight_mask.size
    for k in p:
        assert p[k].shape == g[k].shape == m.shapes[k]
        assert np.shares_memory(p[k], m.theta) and np.shares_memory(g[k], m.grad)
        assert set(np.unique(m.weight_mask[m.layout[k]])) == {0.0 if k.startswith("b") else 1.0}


def test_softmax_xent_by_hand():
    Y = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 1000.0]])
    t = np.array([2, 0])
    expected = (-np.log(np.exp(3) / np.exp([1, 2, 3]).sum()) + 1000.0) / 2
    G = Y.copy()
    assert softmax_xent(G, t) == pytest.approx(expected)
    p = np.exp(Y[0] - 3) / np.exp(Y[0] - 3).sum()
    assert np.allclose(G[0], (p - [0, 0, 1]) / 2) and np.allclose(G[1], [-0.5, 0, 0.5])


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("bad", [np.nan, np.inf, 1e30])
def test_a_diverged_model_reports_without_raising_or_warning(name, bad):
    import warnings

    from engine.text import next_distribution, sample
    from engine.config import Config
    from engine.tasks.text import TextTask

    task = TextTask(Config.from_dict({"dataset": "shakespeare"}))
    m = MODELS[name](task.corpus.V, **SIZES)
    m.theta[:] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = m.gradient(task.batch(np.arange(4)))
        task.evaluate(m)
        assert len(sample(m, task.corpus, "ab", 20)) == 20
        assert len(next_distribution(m, task.corpus, "ab")["probs"]) == task.corpus.V
    assert isinstance(loss, float)
