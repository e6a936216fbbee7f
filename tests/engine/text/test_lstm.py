"""The LSTM: gradients against central differences (float64, six time steps, no clipping)."""
import numpy as np

from engine.text.lstm import LSTM


def test_gradient_matches_central_differences(check_gradient, small_batch):
    m = LSTM(7, hidden=5, seed=1, dtype=np.float64)
    m.theta += np.random.default_rng(0).normal(0.0, 0.3, m.size)
    check_gradient(m, small_batch)


def test_forget_gate_starts_open():
    m = LSTM(9, hidden=8)
    assert np.all(m.params()["b"][8:16] == 1.0) and np.all(m.params()["b"][:8] == 0.0)
