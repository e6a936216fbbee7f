"""The points task: batches, evaluation and its data in a run file."""
import numpy as np
import pytest

from engine import Config
from engine.tasks.points import PointsTask


def test_batches_are_the_examples_asked_for_with_a_column_of_ones():
    r = Config.from_dict({"points": 40, "features": ["x1", "x2", "x1x2"]}).resolved()
    task = PointsTask(r)
    X1, Y = task.batch(np.array([3, 0, 7]), None)
    np.testing.assert_array_equal(X1[:, :3], task.X_train[[3, 0, 7]])
    assert (X1[:, 3] == 1.0).all() and Y.tolist() == task.Y_train[[3, 0, 7]].tolist()
    assert task.n_train == 20 and task.n_test == 20


def test_evaluate_and_extras_of_a_model():
    r = Config.from_dict({"dataset": "blobs", "points": 60, "classes": 4}).resolved()
    task = PointsTask(r)
    model = task.model(r)
    ev = task.evaluate(model)
    assert set(ev) == {"loss_train", "loss_test", "accuracy_train", "accuracy_test"}
    assert ev["loss_train"] == pytest.approx(model.gradient(task.batch(np.arange(30), None), train=False))
    assert 0.0 <= ev["accuracy_test"] <= 1.0
    maps = task.extras(model, maps=True, resolution=8)["maps"]
    assert maps.shape == (sum(r.sizes()), 8, 8) and maps.dtype == np.float32
    assert task.extras(model) == {}


def test_data_for_run_round_trips():
    r = Config.from_dict({"dataset": "reg-gauss", "points": 30}).resolved()
    task = PointsTask(r)
    again = PointsTask(r, task.data_for_run())
    np.testing.assert_array_equal(again.X_train, task.X_train)
    np.testing.assert_array_equal(again.Y_test, task.Y_test)
    with pytest.raises(ValueError, match="^points: no training points"):
        PointsTask(r, {"train": [], "test": []})


def test_the_trainer_scores_any_points_with_the_task():
    from engine import Trainer
    t = Trainer({"points": 40})
    t.run_epochs(3)
    rep = t.report()
    assert t.evaluate(t.X_test, t.Y_test, t.y_test) == (rep["loss_test"], rep["accuracy_test"])
    assert t.evaluate(t.X_train[:5], t.Y_train[:5], t.y_train[:5])[1] in {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}


def test_custom_data_are_reshuffled_not_lost_by_a_new_seed_or_split():
    """Custom data cannot be generated again: a new seed (regenerate) or train_ratio re-splits the
    same rows; another dataset drops them."""
    from engine import Trainer
    rows = [[float(i), float(-i), float(i % 2)] for i in range(20)]
    t = Trainer({"dataset": "custom", "classes": 2, "train_ratio": 0.5}, data={"train": rows[:10], "test": rows[10:]})
    before = sorted(map(tuple, np.vstack([t.task.P_train, t.task.P_test]).tolist()))
    t.regenerate()
    assert t.config.seed == 2 and (t.task.n_train, t.task.n_test) == (10, 10)
    assert sorted(map(tuple, np.vstack([t.task.P_train, t.task.P_test]).tolist())) == before
    assert t.task.P_train[:, 0].tolist() != [float(i) for i in range(10)]        # shuffled anew
    t.configure({"train_ratio": 0.8})
    assert (t.task.n_train, t.task.n_test) == (16, 4)
    t.configure({"dataset": "xor"})
    assert t.task.n_train + t.task.n_test == t.r.points == 500
