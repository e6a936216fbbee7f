"""The task registry, and a task the Trainer has never seen plugged in without touching it."""
import numpy as np
import pytest

from engine import datasets, tasks
from engine.trainer import Trainer


def test_every_dataset_names_a_registered_task():
    assert set(tasks.TASKS) >= {"points"}
    for name, ds in datasets.DATASETS.items():
        assert ds.task in tasks.TASKS, name


class Line:
    """A model of the Model interface that is no MLP: y = w x + b, batch = (x (B,) int, y (B,) int)."""

    def __init__(self):
        self.theta, self.grad = np.array([0.0, 0.0]), np.zeros(2)
        self.weight_mask = np.array([1.0, 0.0])

    def params(self):
        return {"w": self.theta[:1], "b": self.theta[1:]}

    def grads(self):
        return {"w": self.grad[:1], "b": self.grad[1:]}

    def gradient(self, batch, rng=None, train=True):
        x, y = (np.asarray(a, dtype=float) for a in batch)
        r = self.theta[0] * x + self.theta[1] - y
        self.grad[:] = [np.mean(r * x), np.mean(r)]
        return float(np.mean(r * r) / 2)

    def layers(self):
        return [{"W": [[float(self.theta[0])]], "b": [float(self.theta[1])]}]


class LineTask:
    name, kind = "line", "regression"

    def __init__(self, r, data=None):
        self.x = np.arange(-5, 6)                        # ints, like a text task's indices
        self.y = 3 * self.x - 2
        self.n_train, self.seen = len(self.x), []

    def model(self, r):
        return Line()

    def batch(self, idx, rng):
        self.seen.append(np.array(idx))
        return self.x[idx], self.y[idx]

    def evaluate(self, model):
        loss = model.gradient((self.x, self.y))
        return {"loss_train": loss, "loss_test": None, "accuracy_train": None, "accuracy_test": None}

    def extras(self, model, **view):
        return {"slope": float(model.theta[0])}

    def data_for_run(self):
        return {"n": self.n_train}


@pytest.fixture
def line_task(monkeypatch):
    monkeypatch.setitem(tasks.TASKS, "line", LineTask)
    ds = datasets.Dataset("line", "regression", datasets.DATASETS["reg-plane"].gen, 11, task="line")
    monkeypatch.setitem(datasets.DATASETS, "line", ds)


def test_a_new_task_trains_through_the_one_trainer(line_task):
    t = Trainer({"dataset": "line", "optimizer": "adam", "learning_rate": 0.1, "batch_size": 4, "seed": 2})
    assert isinstance(t.task, LineTask) and isinstance(t.model, Line)
    t.run_epochs(200)
    rep = t.report()
    assert rep["slope"] == pytest.approx(3.0, abs=1e-2) and t.model.theta[1] == pytest.approx(-2.0, abs=0.05)
    assert rep["loss_train"] < 1e-3 and rep["status"] == "ok"
    assert len(t.history) == 200 and t.history[-1]["step"] == t.step_count == 200 * 3   # 11 / 4: 3 batches
    assert t.history[-1]["loss"] < t.history[0]["loss"]
    # the task was asked once per epoch for the epoch's examples, each epoch a new order of all 11
    assert len(t.task.seen) == 200 and all(sorted(s) == list(range(11)) for s in t.task.seen)
    assert t.task.seen[1].tolist() != t.task.seen[2].tolist()
    assert t.to_run()["data"] == {"n": 11}
