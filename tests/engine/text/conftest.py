"""Helpers for the text-model tests: central differences over every entry of theta."""
import numpy as np
import pytest


def numeric_gradient(model, batch, h=1e-6) -> np.ndarray:
    num = np.zeros_like(model.theta)
    for i in range(model.size):
        old = model.theta[i]
        model.theta[i] = old + h
        up = model.loss(batch)
        model.theta[i] = old - h
        down = model.loss(batch)
        model.theta[i] = old
        num[i] = (up - down) / (2 * h)
    return num


def relative_error(a, b) -> float:
    return float(np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max(), 1e-12))


@pytest.fixture
def check_gradient():
    """Backprop's gradient against central differences, per parameter; returns the errors by name."""
    def check(model, batch, tol=1e-6):
        loss = model.gradient(batch)
        analytic = model.grad.copy()
        assert loss == pytest.approx(model.loss(batch), rel=1e-12)
        numeric = numeric_gradient(model, batch)
        errors = {name: relative_error(analytic[sl], numeric[sl]) for name, sl in model.layout.items()}
        assert all(e < tol for e in errors.values()), errors
        for name, sl in model.layout.items():           # every parameter really gets a gradient
            assert np.abs(analytic[sl]).max() > 1e-6, name
        return errors
    return check


@pytest.fixture
def small_batch():
    """(inputs, targets) (3, 6) over a vocabulary of 7, with repeated characters (embedding rows
    that collect several gradient contributions)."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 7, (3, 7))
    x[0, :3] = 2
    return x[:, :-1], x[:, 1:]
