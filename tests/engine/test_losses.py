"""Losses: dL/dZ against central differences for every allowed output, values, stability;
and the L1/L2 penalties against their gradients."""
import math

import numpy as np
import pytest

from engine import activations, losses, regularizers

PAIRS = [("mse", "tanh"), ("mse", "sigmoid"), ("mse", "linear"),
         ("half_mse", "tanh"), ("half_mse", "sigmoid"), ("half_mse", "linear"),
         ("bce", "sigmoid"), ("bce", "tanh"), ("softmax_ce", "softmax")]


def output_of(output, Z):
    if output == "softmax":
        return activations.softmax(Z, np.empty_like(Z))
    return activations.get(output)(Z)


def targets_for(output, n, rng, k=3):
    if output == "softmax":
        return np.eye(k)[rng.integers(0, k, n)]
    if output == "tanh":
        return rng.choice([-1.0, 1.0], (n, 1))
    if output == "sigmoid":
        return rng.choice([0.0, 1.0], (n, 1))
    return rng.normal(0, 1, (n, 1))


def mean_loss(loss, output, Z, Y):
    return losses.per_example(loss, Z, output_of(output, Z), Y, output).mean()


@pytest.mark.parametrize("name, output", PAIRS)
def test_delta_matches_central_differences(name, output):
    rng = np.random.default_rng(1)
    n, k = 7, (3 if output == "softmax" else 1)
    Z = rng.normal(0, 1.5, (n, k))
    Y = targets_for(output, n, rng, k)
    loss = losses.get(name)
    analytic = loss.delta(Z, output_of(output, Z), Y, output) / n
    numeric = np.zeros_like(Z)
    h = 1e-6
    for idx in np.ndindex(Z.shape):
        Zp, Zm = Z.copy(), Z.copy()
        Zp[idx] += h
        Zm[idx] -= h
        numeric[idx] = (mean_loss(loss, output, Zp, Y) - mean_loss(loss, output, Zm, Y)) / (2 * h)
    err = np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic + numeric)
    assert err < 1e-6


def test_values_by_hand():
    Y = np.array([[1.0], [-1.0]])
    A = np.array([[0.5], [0.0]])
    assert losses.get("mse").value(None, A, Y).tolist() == [0.25, 1.0]
    assert losses.get("half_mse").value(None, A, Y).tolist() == [0.125, 0.5]
    # an untrained Playground net (output ~0, labels +-1) reads 0.5
    assert losses.get("half_mse").value(None, np.zeros((4, 1)), np.ones((4, 1))).mean() == 0.5
    # bce on sigmoid: z = 0 is p = 1/2 whatever the label
    assert losses.get("bce").value(np.zeros((2, 1)), None, np.array([[0.0], [1.0]])) == pytest.approx(
        [math.log(2)] * 2, rel=1e-15)
    # bce on tanh: p = (1 + tanh z) / 2, t = (y + 1) / 2
    z, y = 0.3, -1.0
    p = (1 + math.tanh(z)) / 2
    assert losses.get("bce").value(np.array([[z]]), None, np.array([[y]]), "tanh")[0] == pytest.approx(
        -math.log(1 - p), rel=1e-12)
    # softmax cross-entropy of equal logits over k classes is ln k
    assert losses.get("softmax_ce").value(np.zeros((1, 5)), None, np.eye(5)[[2]])[0] == pytest.approx(
        math.log(5), rel=1e-15)


def test_cross_entropies_are_stable_for_huge_logits():
    Z = np.array([[900.0], [-900.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        right = losses.get("bce").value(Z, None, np.array([[1.0], [0.0]]))
        wrong = losses.get("bce").value(Z, None, np.array([[0.0], [1.0]]))
        ce = losses.get("softmax_ce").value(np.array([[800.0, -800.0]]), None, np.array([[0.0, 1.0]]))
    assert right.tolist() == [0.0, 0.0]
    assert wrong.tolist() == [900.0, 900.0]
    assert ce[0] == 1600.0


@pytest.mark.parametrize("loss, output", [("bce", "linear"), ("softmax_ce", "tanh"), ("mse", "softmax"),
                                          ("half_mse", "softmax"), ("bce", "softmax")])
def test_pairs_that_do_not_work_are_refused(loss, output):
    with pytest.raises(ValueError, match=r"^loss: .*allowed outputs"):
        losses.check_pair(loss, output)


def test_unknown_loss_and_output_name_the_field():
    with pytest.raises(ValueError, match=r"^loss: unknown 'hinge'; allowed: mse, half_mse, bce, softmax_ce$"):
        losses.get("hinge")
    with pytest.raises(ValueError, match=r"^output: unknown 'relu'"):
        losses.check_pair("mse", "relu")


# -- regularisation ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_penalty_gradient_matches_central_differences(kind):
    rng = np.random.default_rng(2)
    theta = rng.normal(0, 1, 30)
    theta[np.abs(theta) < 0.05] = 0.3                  # L1 is not differentiable at 0
    mask = (rng.random(30) < 0.7).astype(float)       # weights 1, biases 0
    rate = 0.37
    grad = np.zeros(30)
    regularizers.add_gradient(kind, rate, theta, mask, grad)
    h = 1e-6
    numeric = np.array([(regularizers.penalty(kind, rate, theta + h * e, mask)
                         - regularizers.penalty(kind, rate, theta - h * e, mask)) / (2 * h)
                        for e in np.eye(30)])
    assert np.linalg.norm(grad - numeric) / np.linalg.norm(grad + numeric) < 1e-6
    assert not np.any(grad[mask == 0]), "biases are never penalised"


def test_penalty_values():
    theta, mask = np.array([1.0, -2.0, 3.0]), np.array([1.0, 1.0, 0.0])
    assert regularizers.penalty("l1", 0.5, theta, mask) == 1.5
    assert regularizers.penalty("l2", 0.5, theta, mask) == 0.5 * 0.5 * 5.0
    assert regularizers.penalty("none", 0.5, theta, mask) == 0.0


def test_playground_step_uses_the_weight_before_the_gradient_step_and_freezes_l1():
    mask = np.array([1.0, 1.0, 1.0, 0.0])
    before = np.array([0.5, -0.5, 0.02, 0.1])
    theta = np.array([0.4, -0.45, 0.005, 0.3])        # after the gradient step
    alive = np.ones(4)
    l2 = theta.copy()
    regularizers.playground_step("l2", 0.1, 0.2, l2, before, mask, alive.copy())
    np.testing.assert_allclose(l2, theta - 0.2 * 0.1 * before * mask, rtol=0, atol=0)
    l1 = theta.copy()
    regularizers.playground_step("l1", 0.1, 0.2, l1, before, mask, alive)
    # steps of 0.02 toward zero (by the sign of `before`); the third crosses zero: 0 and frozen
    assert l1.tolist() == [0.4 - 0.02, -0.45 + 0.02, 0.0, 0.3]
    assert alive.tolist() == [1.0, 1.0, 0.0, 1.0]
