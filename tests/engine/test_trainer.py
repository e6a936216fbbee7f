"""The trainer: learning, live changes, rebuilds, divergence as a state, run files, maps."""
import json

import numpy as np
import pytest

import engine
from engine.config import Config
from engine.trainer import Trainer

DEEP = {"dataset": "reg-plane", "hidden": [8, 8, 8, 8, 8, 8], "activation": "relu", "learning_rate": 10.0}


def test_loss_falls_on_the_default_circle():
    t = Trainer()
    first = t.report()
    assert first["step"] == 0 and first["epoch"] == 0
    assert 0.4 < first["loss_train"] < 0.7              # an untrained Playground net reads about 0.5
    t.run_epochs(60)
    last = t.report()
    assert last["epoch"] == 60 and last["step"] == 60 * 25     # 250 points, batch 10
    assert last["loss_train"] < 0.2 * first["loss_train"]
    assert last["accuracy_test"] > 0.9


def test_report_contents():
    t = Trainer({"hidden": [3]})
    rep = t.step(2)
    assert rep["step"] == 2 and rep["status"] == "ok" and rep["diverged_at"] is None
    assert set(rep["weights"]) == set(rep["gradients"]) == {"W0", "b0", "W1", "b1"}
    assert rep["gradients"]["W0"].shape == (3, 2)
    assert rep["grad_norms"] == pytest.approx([np.linalg.norm(g) for g in t.network.dW])
    assert rep["weight_norms"] == pytest.approx([np.linalg.norm(W) for W in t.network.W])
    assert rep["learning_rate"] == 0.03
    assert 0.0 <= rep["accuracy_train"] <= 1.0


@pytest.mark.parametrize("change", [{"learning_rate": 0.1}, {"batch_size": 25}, {"reg_rate": 0.01},
                                    {"regularization": "l2", "reg_rate": 0.003}, {"momentum": 0.5}])
def test_live_changes_keep_the_run(change):
    t = Trainer()
    t.run(30)
    theta = t.network.theta.copy()
    network = t.network
    assert t.configure(change) == "live"
    assert t.step_count == 30 and t.network is network
    np.testing.assert_array_equal(t.network.theta, theta)
    for k, v in change.items():
        assert getattr(t.r, k) == v
    t.run(1)
    assert t.step_count == 31


def test_live_batch_size_and_rate_take_effect():
    t = Trainer({"points": 100, "shuffle": False})
    t.configure({"batch_size": 25})
    t.run_epochs(1)
    assert t.step_count == 2                           # 50 training points / 25
    a = Trainer({"points": 100})
    b = Trainer({"points": 100})
    b.configure({"learning_rate": 0.3})
    a.run(5)
    b.run(5)
    theta0 = Trainer({"points": 100}).network.theta
    da, db = (np.linalg.norm(x.network.theta - theta0) for x in (a, b))
    assert db > 5 * da


def test_unchanged_values_and_rebuilds():
    t = Trainer()
    t.run(10)
    assert t.configure({"learning_rate": 0.03}) == "none" and t.step_count == 10
    assert t.configure({"hidden": [5, 3, 2]}) == "rebuild"
    assert t.step_count == 0 and t.network.sizes == [2, 5, 3, 2, 1]
    assert t.configure({"activation": "relu"}) == "rebuild" and t.network.activation.name == "relu"
    before = t.y_train.copy()
    assert t.configure({"noise": 0.3}) == "rebuild"
    assert not np.array_equal(t.y_train, before)      # circle's noise flips labels
    t.regenerate()
    assert t.config.seed == 2


def test_features_rebuild_the_input_layer():
    t = Trainer()
    assert t.configure({"features": ["x1", "x2", "x1_sq", "x2_sq"]}) == "rebuild"
    assert t.network.sizes[0] == 4 and t.X_train.shape[1] == 4
    np.testing.assert_allclose(t.X_train[:, 2], t.P_train[:, 0] ** 2)


@pytest.mark.parametrize("change, field", [({"learning_rate": -1}, "learning_rate"),
                                           ({"hidden": [4, -2]}, "hidden"), ({"colour": 1}, "colour"),
                                           ({"activation": "gelu"}, "activation"),
                                           ({"batch_size": 0}, "batch_size")])
def test_bad_changes_are_refused_and_leave_the_trainer_alone(change, field):
    t = Trainer()
    t.run(3)
    with pytest.raises(ValueError, match=f"^{field}: "):
        t.configure(change)
    assert t.step_count == 3 and t.config == Config()


def test_set_weight_is_reported_and_used():
    t = Trainer({"hidden": [2]})
    t.network.set_weight(1, 0, 1, 2.5)
    rep = t.report()
    assert rep["weights"]["W1"][0, 1] == 2.5
    assert t.network.predict(t.X_test[:1])[0, 0] == pytest.approx(
        np.tanh(t.network.W[1] @ np.tanh(t.network.W[0] @ t.X_test[0] + t.network.b[0]) + t.network.b[1])[0])


def test_divergence_is_a_state_with_finite_weights_kept():
    t = Trainer(DEEP)
    with np.errstate(all="ignore"):
        t.run_epochs(30)
        assert t.status == "diverged" and t.diverged_at == t.step_count   # found by the step itself
        rep = t.report()
    assert rep["status"] == "diverged" and rep["diverged_at"] == t.diverged_at
    assert isinstance(t.diverged_at, int) and 0 < t.diverged_at <= t.step_count
    assert np.isfinite(t.network.theta).all()
    steps = t.step_count
    assert t.run(10) == 0 and t.step_count == steps    # nothing more until reset
    t.reset()
    assert t.status == "ok" and t.diverged_at is None and t.step_count == 0
    assert t.network.layers() == Trainer(DEEP).network.layers()
    with np.errstate(all="ignore"):
        t.run_epochs(30)
    assert t.status == "diverged" and t.diverged_at == steps         # the same run again


def test_the_same_deep_network_at_a_small_rate_does_not_diverge():
    t = Trainer({**DEEP, "learning_rate": 0.003})
    t.run_epochs(10)
    assert t.report()["status"] == "ok"


def test_run_file_round_trip_reproduces_every_step():
    config = {"hidden": [5, 3], "optimizer": "adam", "learning_rate": 0.01, "points": 120,
              "noise": 0.2, "dataset": "spiral", "seed": 9, "regularization": "l2", "reg_rate": 0.001}
    a = Trainer(config)
    a.run(7)                                           # the run file keeps the *initial* weights
    doc = json.loads(json.dumps(a.to_run()))
    assert set(doc) == {"version", "config", "data", "weights"} and doc["version"] == 1
    assert set(doc["config"]) == set(Config().to_dict())
    assert len(doc["data"]["train"]) == 60 and len(doc["data"]["train"][0]) == 3
    a.reset()
    b = Trainer.from_run(doc)
    np.testing.assert_array_equal(a.network.theta, b.network.theta)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    for _ in range(40):                                # past an epoch: reshuffles agree too
        ra, rb = a.step(1), b.step(1)
        assert (ra["loss_train"], ra["loss_test"]) == (rb["loss_train"], rb["loss_test"])
    assert a.epoch >= 6


def test_run_file_data_and_weights_are_used_as_given_and_overrides_apply():
    doc = {"config": {"hidden": [2], "seed": 1},
           "data": {"train": [[1.0, 1.0, 1.0], [-1.0, -1.0, -1.0]], "test": [[2.0, 2.0, 1.0]]},
           "weights": [{"W": [[0.1, 0.2], [0.3, 0.4]], "b": [0.0, 0.5]}, {"W": [[1.0, -1.0]], "b": [0.25]}]}
    t = Trainer.from_run(doc, {"learning_rate": 0.5})
    assert t.r.learning_rate == 0.5 and t.P_train.tolist() == [[1.0, 1.0], [-1.0, -1.0]]
    assert t.network.W[0].tolist() == [[0.1, 0.2], [0.3, 0.4]] and t.network.b[1].tolist() == [0.25]
    with pytest.raises(ValueError, match="^weights: "):
        Trainer.from_run({**doc, "config": {"hidden": [3]}})
    with pytest.raises(ValueError, match="^run file: "):
        Trainer.from_run({"config": []})


def test_to_run_can_save_the_current_weights():
    t = Trainer()
    t.run(5)
    assert t.to_run(initial=False)["weights"] == t.network.layers()
    assert t.to_run()["weights"] != t.network.layers()
    assert "data" not in t.to_run(data=False)


def test_maps_shape_dtype_and_values():
    t = Trainer()
    M = t.maps(20)
    assert M.shape == (2 + 4 + 2 + 1, 20, 20) and M.dtype == np.float32
    P = t.grid.points(20)
    np.testing.assert_allclose(M[0], P[:, 0].reshape(20, 20), rtol=1e-6)       # x1 along columns
    np.testing.assert_allclose(M[1], P[:, 1].reshape(20, 20), rtol=1e-6)       # x2 along rows
    expected = t.network.predict(P)[:, 0].reshape(20, 20)
    np.testing.assert_allclose(M[-1], expected, atol=1e-5)
    assert t.report(maps=True, resolution=10)["maps"].shape == (9, 10, 10)


def test_param_count_of_an_mnist_sized_network():
    assert engine.param_count([784, 16, 16, 10]) == 13002


def test_multiclass_and_regression_runs():
    t = Trainer({"dataset": "blobs", "classes": 4, "hidden": [6]})
    assert t.r.output == "softmax" and t.r.loss == "softmax_ce" and t.network.sizes[-1] == 4
    start = t.report()["loss_train"]
    t.run_epochs(20)
    rep = t.report()
    assert rep["loss_train"] < 0.5 * start and rep["accuracy_test"] > 0.9
    r = Trainer({"dataset": "house", "hidden": [], "learning_rate": 0.01})
    assert r.r.output == "linear" and r.report()["accuracy_train"] is None
    r.run_epochs(200)
    w, b = r.network.W[0][0, 0], r.network.b[0][0]
    assert w == pytest.approx(-0.8, abs=0.05) and b == pytest.approx(3.0, abs=0.1)


def test_sigmoid_output_with_cross_entropy_learns():
    t = Trainer({"output": "sigmoid", "loss": "bce", "dataset": "gauss", "learning_rate": 0.1})
    assert set(np.unique(t.Y_train)) == {0.0, 1.0}
    t.run_epochs(10)
    assert t.report()["accuracy_test"] > 0.9


def test_dropout_trains_and_evaluates_deterministically():
    t = Trainer({"regularization": "dropout", "reg_rate": 0.3, "hidden": [8, 8]})
    assert t.network.dropout == 0.3
    t.run_epochs(5)
    a, b = t.report(), t.report()
    assert a["loss_train"] == b["loss_train"] and np.isfinite(a["loss_train"])


def test_empty_training_set_is_refused():
    with pytest.raises(ValueError, match="^points: "):
        Trainer(data={"train": [], "test": [[0.0, 0.0, 1.0]]})


def test_a_refused_change_leaves_the_trainer_as_it_was():
    t = Trainer({"points": 20, "train_ratio": 0.5})
    t.run(30)
    before = (t.config, t.step_count, t.network.theta.copy(), t.X_train.shape)
    with pytest.raises(ValueError):
        t.configure({"points": 1, "hidden": [3]})      # no training points: the rebuild fails half-way
    assert (t.config, t.step_count, t.X_train.shape) == (before[0], before[1], before[3])
    assert np.array_equal(t.network.theta, before[2]) and t.network.sizes == [2, 4, 2, 1]
    t.run(5)                                           # and it still trains
    assert t.step_count == 35


def test_a_loss_grown_a_millionfold_is_divergence_and_playground_mode_goes_on():
    """reg-plane, 4-2 tanh, lr 3: the loss explodes while staying finite; the engine stops at the
    end of the epoch whose mean loss is a millionfold the best, the Playground-compatible mode only
    at non-finite weights."""
    from engine.trainer import DIVERGENCE_FACTOR
    cfg = {"dataset": "reg-plane", "hidden": [4, 2], "learning_rate": 3.0, "seed": 1}
    t = Trainer(cfg)
    with np.errstate(all="ignore"):
        t.run(400)
    assert t.status == "diverged" and t.diverged_at == 120                          # epoch 2's end
    assert np.isfinite(t.model.theta).all() and np.isfinite(t.report()["loss_train"])
    assert t.history[1]["loss"] > DIVERGENCE_FACTOR * t.history[0]["loss"]
    assert t.report()["loss_train"] > 1e3 * Trainer(cfg).report()["loss_train"]        # it did blow up
    assert DIVERGENCE_FACTOR == 1e6
    p = Trainer({**cfg, "playground": True})
    with np.errstate(all="ignore"):
        p.run(400)
    assert p.diverged_at is None or p.diverged_at > 2 * t.diverged_at


def test_per_epoch_history_is_the_mean_batch_loss_and_evaluate_adds_the_splits():
    t = Trainer({"points": 40, "batch_size": 20, "shuffle": False})
    losses = []
    for _ in range(3):                                   # before each epoch's two updates
        t0 = Trainer.from_run(t.to_run(initial=False), {})
        X, Y = t0.task.batch(np.arange(20), None)
        losses.append((t0.model.gradient((X[:20], Y[:20]), train=False)))
        t.run_epochs(1)
    assert [h["epoch"] for h in t.history] == [1, 2, 3] and [h["step"] for h in t.history] == [1, 2, 3]
    np.testing.assert_allclose([h["loss"] for h in t.history], losses, rtol=1e-12)
    t.run_epochs(2, evaluate=True)
    assert len(t.history) == 5 and "loss_test" in t.history[-1] and "loss_test" not in t.history[2]
    assert t.history[-1]["loss_train"] == t.report()["loss_train"]
