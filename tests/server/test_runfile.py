"""The page's run file continues exactly: after resume the next steps equal those of the run that
never left (every optimiser, the Playground's batches, a multi-class CSV's data); bad resume
sections are refused naming what is wrong."""
import json

import numpy as np
import pytest

from engine import Trainer
from server import runfile


@pytest.mark.parametrize("config", [
    {"dataset": "spiral", "optimizer": "sgd", "batch_size": 10, "hidden": [6, 4]},
    {"dataset": "circle", "optimizer": "adam", "batch_size": 7, "playground": True},
    {"dataset": "xor", "optimizer": "nesterov", "regularization": "l1", "reg_rate": 0.01, "l1_freeze": True},
    {"dataset": "blobs", "classes": 4, "optimizer": "rmsprop", "regularization": "dropout", "reg_rate": 0.2},
])
def test_the_next_100_steps_equal_a_run_that_never_left(config):
    a = Trainer(config)
    a.run(137)
    b = runfile.resume(json.loads(runfile.text(a)))
    assert (b.step_count, b.epoch) == (a.step_count, a.epoch)
    a.run(100)
    b.run(100)
    assert np.array_equal(a.network.theta, b.network.theta) and a.epoch == b.epoch


def test_a_csv_run_carries_its_data():
    from engine import csvdata
    table = "u,v,w\n" + "".join(f"{i % 9},{(i * 7) % 5},{i % 9 + (i * 7) % 5}\n" for i in range(120))
    d = csvdata.load(table, x="u,v", y="w", task="regression")
    a = Trainer({"dataset": "custom", "classes": 0}, data=d.data)
    a.run(55)
    b = runfile.resume(json.loads(runfile.text(a)))
    assert b.config.dataset == "custom" and np.array_equal(b.P_train, a.P_train)
    a.run(100)
    b.run(100)
    assert np.array_equal(a.network.theta, b.network.theta)


def test_a_file_without_resume_starts_at_step_0_from_its_weights():
    a = Trainer({"dataset": "gauss"})
    a.run(40)
    doc = a.to_run(initial=False)
    b = runfile.resume(doc)
    assert b.step_count == 0 and np.array_equal(b.network.theta, a.network.theta)


@pytest.mark.parametrize("breakage, words", [
    (lambda r: r.update(order=[0, 0, 1]), "permutation"),
    (lambda r: r["optimizer"].update(name="adam"), "optimizer"),
    (lambda r: r.update(rng={"bit_generator": "nope"}), "resume"),
    (lambda r: r.update(pos=10**6), "pos"),
])
def test_a_broken_resume_section_is_refused(breakage, words):
    doc = runfile.snapshot(Trainer({"dataset": "xor"}))
    breakage(doc["resume"])
    with pytest.raises(ValueError, match="resume") as e:
        runfile.resume(doc)
    assert words in str(e.value) and "allowed" in str(e.value)
