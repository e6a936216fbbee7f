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
