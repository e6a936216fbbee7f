"""The GRU: gradients against central differences (float64, six time steps, no clipping)."""
import numpy as np

from engine.text.gru import GRU


def test_gradient_matches_central_differences(check_gradient, small_batch):
    m = GRU(7, hidden=5, seed=1, dtype=np.float64)
    m.theta += np.random.default_rng(0).normal(0.0, 0.3, m.size)
    check_gradient(m, small_batch)


def test_gates_start_half_open_and_the_state_stays_bounded():
    m = GRU(9, hidden=8, seed=2)
    h, _ = m.feed(None, list(range(9)) * 20)
    assert np.abs(h).max() < 1.0                # a convex mix of tanh values
