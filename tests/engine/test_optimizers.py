"""Optimisers against closed form on quadratics f(w) = 1/2 w^T A w, A = diag(lam); schedules."""
import math

import numpy as np
import pytest

from engine import optimizers, schedules
from engine.network import Network
from engine.trainer import Trainer


def descend(name, lam, lr, steps, w0=None, **hyper):
    """Run `steps` updates on f(w) = 1/2 sum lam w^2 (gradient lam * w); the norm of w after each."""
    lam = np.asarray(lam, dtype=float)
    w = np.ones_like(lam) if w0 is None else np.array(w0, dtype=float)
    opt = optimizers.make(name, lam.size, **hyper)
    norms = [np.linalg.norm(w)]
    for _ in range(steps):
        opt.update(w, lam * w, lr)
        norms.append(np.linalg.norm(w))
    return np.array(norms), w


def rate(norms, first, last):
    """The geometric-mean contraction per step between steps `first` and `last`."""
    return (norms[last] / norms[first]) ** (1.0 / (last - first))


def test_gradient_descent_rate_at_the_best_step():
    lam = [1.0, 2.0, 5.0, 9.0, 10.0]                   # kappa = 10
    kappa = lam[-1] / lam[0]
    norms, _ = descend("sgd", lam, 2.0 / (lam[0] + lam[-1]), 200)
    expected = (kappa - 1) / (kappa + 1)
    assert rate(norms, 100, 200) == pytest.approx(expected, rel=0.01)
    # every single late step contracts by exactly that factor (both extremes share it)
    np.testing.assert_allclose(norms[151:181] / norms[150:180], expected, rtol=0.01)


def test_gradient_descent_diverges_above_two_over_lambda_max_and_converges_below():
    lam = [0.5, 3.0, 4.0]
    below, _ = descend("sgd", lam, 1.98 / 4.0, 3000)
    above, _ = descend("sgd", lam, 2.02 / 4.0, 600)
    assert below[-1] < 1e-12 * below[0]
    assert above[-1] > 1e4 * above[0]
    assert rate(above, 300, 600) == pytest.approx(1.02, rel=1e-3)  # |1 - lr lam_max|


def test_step_of_one_over_lambda_reaches_a_1d_minimum_in_one_step():
    norms, w = descend("sgd", [4.0], 0.25, 1, w0=[3.7])
    assert w[0] == 0.0


def test_heavy_ball_rate_at_its_optimal_settings():
    lam = [1.0, 4.0, 20.0, 60.0, 100.0]                # kappa = 100
    l1, ln = lam[0], lam[-1]
    sk = math.sqrt(ln / l1)
    alpha = (2.0 / (math.sqrt(l1) + math.sqrt(ln))) ** 2
    beta = ((sk - 1) / (sk + 1)) ** 2
    norms, _ = descend("momentum", lam, alpha, 600, momentum=beta)
    expected = (sk - 1) / (sk + 1)                    # 9/11, against plain GD's 99/101
    assert rate(norms, 300, 600) == pytest.approx(expected, rel=0.01)
    gd, _ = descend("sgd", lam, 2.0 / (l1 + ln), 600)
    assert norms[-1] < 1e-40 < gd[-1]


def test_heavy_ball_converges_iff_lr_lambda_below_two_plus_two_beta():
    lam, beta = [1.0, 10.0], 0.5
    edge = (2 + 2 * beta) / lam[-1]
    below, _ = descend("momentum", lam, 0.97 * edge, 4000, momentum=beta)
    above, _ = descend("momentum", lam, 1.03 * edge, 800, momentum=beta)
    assert below[-1] < 1e-6 * below[0]
    assert above[-1] > 1e3 * above[0]


@pytest.mark.parametrize("name, lr, hyper", [
    ("nesterov", 0.05, {"momentum": 0.9}),
    ("rmsprop", 0.01, {}),
    ("adam", 0.05, {}),
    ("momentum", 0.05, {"momentum": 0.9}),
])
def test_other_optimisers_reduce_a_quadratic(name, lr, hyper):
    lam = np.array([0.5, 2.0, 8.0])
    w0 = np.array([2.0, -1.5, 1.0])
    _, w = descend(name, lam, lr, 800, w0=w0, **hyper)
    f = lambda v: 0.5 * float(v @ (lam * v))
    assert f(w) < 1e-3 * f(w0)


def test_first_steps_by_hand():
    g = np.array([2.0, -0.5])
    # nesterov: z = g; step lr (g + beta z)
    w = np.zeros(2)
    optimizers.make("nesterov", 2, momentum=0.9).update(w, g, 0.1)
    np.testing.assert_allclose(w, -0.1 * 1.9 * g, rtol=1e-15)
    # adam's bias correction makes the first step lr * sign(g)
    w = np.zeros(2)
    optimizers.make("adam", 2).update(w, g, 0.01)
    np.testing.assert_allclose(w, -0.01 * np.sign(g), rtol=1e-6)
    # rmsprop (rho 0.9): s = 0.1 g^2, step lr g / sqrt(s) = lr sign(g) / sqrt(0.1)
    w = np.zeros(2)
    optimizers.make("rmsprop", 2).update(w, g, 0.01)
    np.testing.assert_allclose(w, -0.01 * np.sign(g) / math.sqrt(0.1), rtol=1e-6)


def test_frozen_entries_do_not_move():
    w = np.ones(3)
    optimizers.make("sgd", 3).update(w, np.ones(3), 0.5, mask=np.array([1.0, 0.0, 1.0]))
    assert w.tolist() == [0.5, 1.0, 0.5]


def test_state_is_keyed_by_parameter_name():
    net = Network([2, 3, 1])
    layout, at = {}, 0
    for name, p in zip(net.names, [q for pair in zip(net.W, net.b) for q in pair]):
        layout[name] = slice(at, at + p.size)
        at += p.size
    opt = optimizers.make("adam", net.theta.size)
    g = np.arange(net.theta.size, dtype=float)
    opt.update(net.theta, g, 0.01)
    state = opt.state_by_name(layout)
    assert set(state) == {"W0", "b0", "W1", "b1"} and set(state["W0"]) == {"m", "v"}
    np.testing.assert_allclose(state["W1"]["m"], 0.1 * g[9:12])   # (1 - beta1) g
    np.testing.assert_allclose(state["b0"]["v"], 0.001 * g[6:9] ** 2)
    assert np.shares_memory(state["W0"]["m"], opt.state["m"])
    assert optimizers.make("sgd", 4).state_by_name({"W0": slice(0, 4)}) == {"W0": {}}


def test_hyper_parameters_change_between_steps_without_losing_state():
    opt = optimizers.make("momentum", 1, momentum=0.9)
    w = np.zeros(1)
    opt.update(w, np.array([1.0]), 1.0)                # z = 1
    opt.momentum = 0.5
    opt.update(w, np.array([1.0]), 1.0)                # z = 0.5 * 1 + 1
    assert opt.state["velocity"][0] == 1.5 and w[0] == -2.5
    opt.reset()
    assert opt.state["velocity"][0] == 0.0 and opt.t == 0


def test_trainer_changes_optimiser_settings_live():
    t = Trainer({"optimizer": "momentum", "momentum": 0.9})
    t.run(20)
    velocity = t.optimizer.state["velocity"].copy()
    assert np.any(velocity)
    assert t.configure({"momentum": 0.5, "learning_rate": 0.1}) == "live"
    assert t.optimizer.momentum == 0.5 and t.step_count == 20
    np.testing.assert_array_equal(t.optimizer.state["velocity"], velocity)
    assert t.configure({"optimizer": "adam"}) == "live"
    assert t.optimizer.name == "adam" and t.step_count == 20


def test_unknown_optimiser():
    with pytest.raises(ValueError, match="^optimizer: unknown 'lbfgs'; allowed: sgd, momentum"):
        optimizers.make("lbfgs", 3)


# -- learning-rate schedules -----------------------------------------------------------------
@pytest.mark.parametrize("schedule, epoch, expected", [
    ("constant", 0, 0.1), ("constant", 12345, 0.1),
    ("step", 0, 0.1), ("step", 99, 0.1), ("step", 100, 0.05), ("step", 250, 0.025),
    ("exponential", 0, 0.1), ("exponential", 50, 0.1 * math.exp(-0.5)),
    ("exponential", 300, 0.1 * math.exp(-3.0)),
    ("cosine", 0, 0.1), ("cosine", 500, 0.05), ("cosine", 250, 0.05 * (1 + math.cos(math.pi / 4))),
    ("cosine", 1000, 0.0), ("cosine", 5000, 0.0),
])
def test_schedule_closed_forms(schedule, epoch, expected):
    assert schedules.rate(schedule, 0.1, epoch) == pytest.approx(expected, rel=1e-12, abs=1e-18)


def test_schedule_parameters_and_errors():
    assert schedules.rate("step", 1.0, 30, gamma=0.1, step_size=10) == pytest.approx(1e-3)
    assert schedules.rate("exponential", 2.0, 10, decay=0.1) == pytest.approx(2 * math.exp(-1))
    assert schedules.rate("cosine", 1.0, 5, period=10) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="^schedule: unknown"):
        schedules.rate("warmup", 1.0, 0)


def test_trainer_follows_its_schedule_by_epoch():
    t = Trainer({"schedule": "step", "learning_rate": 0.2, "points": 40, "batch_size": 20})
    assert t.learning_rate == 0.2
    t.run_epochs(100)
    assert t.epoch == 100 and t.learning_rate == pytest.approx(0.1)


def test_rmsprop_keeps_its_own_rho_until_beta2_is_set_and_the_crowd_agrees():
    from engine import Trainer
    from engine.landscape.networks import Networks
    t = Trainer({"optimizer": "rmsprop"})
    assert t.optimizer.beta2 == 0.9                    # not Adam's 0.999, the config default
    assert Networks.from_trainer(t, models=2).optimizer.beta2 == 0.9
    t.configure({"beta2": 0.99})
    assert t.optimizer.beta2 == 0.99
    t.configure({"optimizer": "adam"})
    assert t.optimizer.beta2 == 0.99 and t.optimizer.name == "adam"


# -- several steps against the textbook formulas, one scalar at a time -----------------------------
GS = [np.array([2.0, -0.5]), np.array([-1.0, 0.25]), np.array([0.5, 3.0]), np.array([4.0, -2.0]),
      np.array([-0.3, 0.1]), np.array([1.5, 1.5])]


def by_hand(name, lr, beta=0.9, b1=0.9, b2=0.999, rho=0.9, eps=1e-8):
    """The weights after each step of GS, from w = 0, written out per coordinate in plain floats."""
    out, w = [], [0.0, 0.0]
    z, s, m, v = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    for t, g in enumerate(GS, start=1):
        for i, gi in enumerate(g.tolist()):
            if name == "nesterov":
                z[i] = beta * z[i] + gi
                w[i] -= lr * (gi + beta * z[i])
            elif name == "rmsprop":
                s[i] = rho * s[i] + (1 - rho) * gi * gi
                w[i] -= lr * gi / (math.sqrt(s[i]) + eps)
            else:                                                 # adam, Kingma & Ba's algorithm 1
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                w[i] -= lr * (m[i] / (1 - b1 ** t)) / (math.sqrt(v[i] / (1 - b2 ** t)) + eps)
        out.append(list(w))
    return out


@pytest.mark.parametrize("name,hyper,hand", [
    ("nesterov", {"momentum": 0.8}, {"beta": 0.8}),
    ("rmsprop", {}, {"rho": 0.9}),                                  # rho's default
    ("rmsprop", {"beta2": 0.7}, {"rho": 0.7}),
    ("adam", {}, {}),
    ("adam", {"beta1": 0.5, "beta2": 0.9}, {"b1": 0.5, "b2": 0.9}),
])
def test_several_steps_match_the_textbook_formulas(name, hyper, hand):
    opt, w = optimizers.make(name, 2, **hyper), np.zeros(2)
    for t, (g, expected) in enumerate(zip(GS, by_hand(name, 0.1, **hand)), start=1):
        opt.update(w, g, 0.1)
        np.testing.assert_allclose(w, expected, rtol=1e-13, atol=1e-15, err_msg=f"{name} step {t}")


def test_the_hand_computation_tells_a_wrong_bias_correction_after_step_one():
    """The check above can fail: Adam with its bias correction frozen at t = 1 agrees at step 1 only."""
    class FrozenAdam(optimizers.Adam):
        def direction(self, g):
            self.t = 1
            return super().direction(g)
    opt, w, hand = FrozenAdam(2), np.zeros(2), by_hand("adam", 0.1)
    opt.update(w, GS[0], 0.1)
    np.testing.assert_allclose(w, hand[0], rtol=1e-13)
    opt.update(w, GS[1], 0.1)
    assert not np.allclose(w, hand[1], rtol=1e-6)
