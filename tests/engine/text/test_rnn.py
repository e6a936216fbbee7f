"""The vanilla RNN: gradients against central differences (float64, through six time steps, no
clipping), parameter views, and state carried by feed."""
import numpy as np
from engine.text.rnn import RNN


def perturbed(model, seed=0, scale=0.3):
    model.theta += np.random.default_rng(seed).normal(0.0, scale, model.size)
    return model


def test_gradient_matches_central_differences(check_gradient, small_batch):
    check_gradient(perturbed(RNN(7, hidden=5, seed=1, dtype=np.float64)), small_batch)


def test_gradient_reaches_back_through_time(small_batch):
    """The loss at the last step depends on the first input through Wh: its gradient with respect
    to the first character's embedding row is what central differences say, and nonzero."""
    m = perturbed(RNN(7, hidden=5, seed=2, dtype=np.float64))
    x, y = small_batch
    x = x[:1].copy()
    x[0, 0] = 6                                        # character 6 read only at t = 0 ...
    x[0, 1:] = np.where(x[0, 1:] == 6, 5, x[0, 1:])
    y = y[:1]
    row = m.layout["Wx"].start + 6 * m.H              # ... so its row of Wx moves every later step
    m.gradient((x, y))
    analytic = m.grad[row:row + m.H].copy()
    one_step = RNN(7, hidden=5, dtype=np.float64)
    one_step.theta[:] = m.theta
    one_step.gradient((x[:, :1], y[:, :1]))            # what the first step alone contributes (x1/T)
    through_time = analytic - one_step.grad[row:row + m.H] / x.shape[1]
    assert np.abs(through_time).max() > 1e-3
    num = np.zeros(m.H)
    for j in range(m.H):
        old = m.theta[row + j]
        m.theta[row + j] = old + 1e-6
        up = m.loss((x, y))
        m.theta[row + j] = old - 1e-6
        num[j] = (up - m.loss((x, y))) / 2e-6
        m.theta[row + j] = old
    assert np.allclose(analytic, num, rtol=1e-6, atol=1e-9)


def test_params_and_grads_are_views_shaped_like_the_parameters():
    m = RNN(11, hidden=6)
    p, g = m.params(), m.grads()
    assert {k: v.shape for k, v in p.items()} == {"Wx": (11, 6), "Wh": (6, 6), "b": (6,), "Why": (6, 11),
                                                  "by": (11,)}
    assert all(np.shares_memory(p[k], m.theta) and np.shares_memory(g[k], m.grad) for k in p)
    assert m.weight_mask[m.layout["b"]].sum() == 0 and m.weight_mask[m.layout["by"]].sum() == 0
    assert m.weight_mask[m.layout["Wh"]].min() == 1.0
    p["Wh"][0, 0] = 7.0
    assert m.theta[m.layout["Wh"].start] == 7.0


def test_feed_in_pieces_equals_feed_at_once():
    m = perturbed(RNN(9, hidden=8, seed=5))
    ids = [1, 4, 4, 0, 8, 2]
    h1, l1 = m.feed(None, ids)
    h2, _ = m.feed(None, ids[:2])
    h2, l2 = m.feed(h2, ids[2:])
    assert np.allclose(l1, l2, atol=1e-5)

