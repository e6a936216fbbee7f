"""Activations: values at known points, derivatives against central differences, stability."""
import math

import numpy as np
import pytest

from engine import activations
from engine.trainer import Trainer

SMOOTH = [a for a in activations.HIDDEN_ACTIVATIONS if a != "sign"]


def central_difference(f, Z, h=1e-6):
    return (f(Z + h) - f(Z - h)) / (2 * h)


def test_every_issue_activation_is_registered():
    assert set(activations.HIDDEN_ACTIVATIONS) == {
        "linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "sign"}
    assert list(activations.OUTPUT_ACTIVATIONS) == ["tanh", "sigmoid", "linear", "softmax"]


@pytest.mark.parametrize("name", SMOOTH)
def test_derivative_matches_central_differences(name):
    act = activations.get(name)
    Z = np.random.default_rng(0).normal(0, 2, (40, 5))
    Z[np.abs(Z) < 1e-3] = 0.5                           # keep away from relu's kink
    numeric = central_difference(act, Z)
    analytic = act.derivative(Z)
    err = np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic + numeric)
    assert err < 1e-6


@pytest.mark.parametrize("name, z, value, slope", [
    ("linear", -2.0, -2.0, 1.0),
    ("sigmoid", 0.0, 0.5, 0.25),
    ("tanh", 0.0, 0.0, 1.0),
    ("relu", -1.0, 0.0, 0.0),
    ("relu", 2.0, 2.0, 1.0),
    ("leaky_relu", -1.0, -0.01, 0.01),
    ("elu", -1.0, math.exp(-1) - 1, math.exp(-1)),
    ("elu", 3.0, 3.0, 1.0),
    ("softplus", 0.0, math.log(2), 0.5),
    ("swish", 0.0, 0.0, 0.5),
    ("swish", 1.0, 1 / (1 + math.exp(-1)), None),
    ("sign", 0.0, 1.0, 0.0),
    ("sign", -0.3, -1.0, 0.0),
])
def test_known_values(name, z, value, slope):
    act = activations.get(name)
    Z = np.array([[z]])
    assert act(Z)[0, 0] == pytest.approx(value, abs=1e-15)
    if slope is not None:
        assert act.derivative(Z)[0, 0] == pytest.approx(slope, abs=1e-15)


def test_writes_into_the_given_buffer():
    Z = np.linspace(-3, 3, 12).reshape(3, 4)
    for name in activations.HIDDEN_ACTIVATIONS:
        act = activations.get(name)
        out = np.full_like(Z, np.nan)
        assert act.fn(Z, out) is out
        np.testing.assert_array_equal(out, act(Z))


def test_sigmoid_and_softplus_are_stable_far_out():
    Z = np.array([[-800.0, -40.0, 40.0, 800.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = activations.get("sigmoid")(Z)
        sp = activations.get("softplus")(Z)
    assert s[0, 0] == 0.0 and s[0, -1] == 1.0 and np.all((s >= 0) & (s <= 1))
    assert sp[0, -1] == 800.0 and sp[0, 0] >= 0.0


def test_softmax_rows_sum_to_one_even_for_huge_logits():
    Z = np.array([[1000.0, 1000.0, 999.0], [-5.0, 0.0, 5.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        P = activations.softmax(Z, np.empty_like(Z))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)
    e = np.exp([0.0, 0.0, -1.0])
    np.testing.assert_allclose(P[0], e / e.sum(), rtol=1e-14)


def test_unknown_activation_names_the_field_and_the_choices():
    with pytest.raises(ValueError, match=r"^activation: unknown 'gelu'; allowed: linear, .*sign$"):
        activations.get("gelu")


def test_sign_trains_without_failing_and_gives_zero_hidden_gradients():
    """The perceptron's step has zero derivative: only the output layer gets a gradient."""
    t = Trainer({"activation": "sign", "hidden": [4, 3], "seed": 3})
    before = [W.copy() for W in t.network.W]
    rep = t.step(5)
    assert rep["status"] == "ok" and rep["step"] == 5
    g = rep["gradients"]
    for name in ("W0", "b0", "W1", "b1"):
        assert not np.any(g[name]), name
    assert np.any(g["W2"]) and np.any(g["b2"])
    np.testing.assert_array_equal(t.network.W[0], before[0])
    np.testing.assert_array_equal(t.network.W[1], before[1])
    assert not np.array_equal(t.network.W[2], before[2])
    assert np.isfinite(rep["loss_train"])
