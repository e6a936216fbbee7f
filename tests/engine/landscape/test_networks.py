"""The batched crowd engine against the same networks trained one by one by engine.Trainer."""
import numpy as np
import pytest

from engine import Network, Trainer, losses
from engine.landscape.networks import Networks

CONFIGS = [
    {},                                                               # the default Playground net
    {"playground": True, "batch_size": 7},                           # leftover batches carried over
    {"dataset": "reg-plane", "points": 300, "loss": "mse", "hidden": [3], "optimizer": "momentum",
     "schedule": "step", "learning_rate": 0.01},
    {"dataset": "blobs", "hidden": [6, 3], "activation": "relu", "optimizer": "adam", "learning_rate": 0.01},
    {"dataset": "xor", "output": "sigmoid", "loss": "bce", "activation": "swish", "optimizer": "rmsprop",
     "learning_rate": 0.01},
    {"dataset": "gauss", "hidden": [], "optimizer": "nesterov", "features": ["x1", "x2", "x1x2"]},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_crowd_matches_trainers_one_by_one(config):
    tr = Trainer(config)
    crowd = Networks.from_trainer(tr, models=5)
    start = crowd.thetas()
    crowd.run(137)
    for m in range(5):
        net = Network(tr.r.sizes(), tr.r.activation, tr.r.output, tr.r.init, seed=tr.r.seed + m)
        np.testing.assert_array_equal(start[m], net.theta)
        alone = Trainer(config, weights=net.layers())
        alone.run(137)
        np.testing.assert_allclose(crowd.thetas()[m], alone.network.theta, rtol=0, atol=1e-10)
    assert crowd.epoch == alone.epoch and crowd.step_count == alone.step_count == 137


def test_crowd_matches_a_hand_loop_over_engine_network():
    """Same initial weights, same batches, plain Network forward/backward and an sgd step."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(40, 3)), rng.normal(size=(40, 2))
    sizes, M = [3, 5, 2], 4
    nets = [Network(sizes, "tanh", "linear", "xavier", seed=s) for s in range(M)]
    crowd = Networks(sizes, [n.theta for n in nets], X, Y, "tanh", "linear", "mse", "sgd",
                  learning_rate=[0.1, 0.05, 0.02, 0.01], batch_size=8, shuffle=False)
    L = losses.get("mse")
    for step in range(25):
        s = (step * 8) % 40
        Xb, Yb = X[s:s + 8], Y[s:s + 8]
        for net, lr in zip(nets, [0.1, 0.05, 0.02, 0.01]):
            A = net.forward(Xb)
            net.backward(L.delta(net.output_z(8), A, Yb, "linear") / 8)
            net.theta -= lr * net.grad
    crowd.run(25)
    np.testing.assert_allclose(crowd.thetas(), np.array([n.theta for n in nets]), rtol=0, atol=1e-10)
    expect = [L.value(None, n.predict(X), Y).mean() for n in nets]
    np.testing.assert_allclose(crowd.losses(), expect, rtol=1e-12)


def test_layout_round_trip_and_checks():
    thetas = np.random.default_rng(1).normal(size=(3, 25))
    c = Networks([2, 4, 2, 1], thetas, np.zeros((5, 2)), np.zeros((5, 1)))
    np.testing.assert_array_equal(c.thetas(), thetas)
    with pytest.raises(ValueError, match="thetas"):
        Networks([2, 4, 1], thetas, np.zeros((5, 2)), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="regularization"):
        Networks.from_trainer(Trainer({"regularization": "l2", "reg_rate": 0.01}))


def test_history_and_spread():
    tr = Trainer({})
    crowd = Networks.from_trainer(tr, models=8)
    rep = crowd.train(100, record_every=25)
    assert rep["history"]["step"] == [0, 25, 50, 75, 100]
    losses_over_time = np.array(rep["history"]["loss"])
    assert losses_over_time.shape == (5, 8)
    assert (losses_over_time[-1] < losses_over_time[0]).mean() > 0.5
    s = rep["spread"]
    assert s["min"] <= s["q1"] <= s["median"] <= s["q3"] <= s["max"]
    assert s["min"] == pytest.approx(min(rep["loss_train"]))
    alone = Trainer({})
    alone.run(100)
    assert rep["loss_train"][0] == pytest.approx(alone.report()["loss_train"], rel=1e-10)


def test_a_diverging_model_stops_without_touching_the_others():
    tr = Trainer({"dataset": "reg-plane", "points": 200, "hidden": [4], "loss": "mse"})
    crowd = Networks.from_trainer(tr, models=3, learning_rates=[0.01, 50.0, 0.02])
    crowd.run(200)
    assert crowd.diverged_at[1] > 0 and (crowd.diverged_at[[0, 2]] == -1).all()
    assert np.isfinite(crowd.thetas()).all()
    for m, lr in [(0, 0.01), (2, 0.02)]:
        net = Network(tr.r.sizes(), tr.r.activation, tr.r.output, seed=tr.r.seed + m)
        alone = Trainer({"dataset": "reg-plane", "points": 200, "hidden": [4], "loss": "mse",
                         "learning_rate": lr}, weights=net.layers())
        alone.run(200)
        np.testing.assert_allclose(crowd.thetas()[m], alone.network.theta, rtol=0, atol=1e-10)
    rep = crowd.report()
    assert rep["diverged_at"][1] is not None and rep["diverged_at"][0] is None
