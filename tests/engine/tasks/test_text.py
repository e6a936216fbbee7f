"""The text task: windows of the training part, evaluation, run-file data, and through the one
Trainer: a seeded default RNN that learns within 300 iterations, every optimiser, a learner's
three-character text."""
import math

import numpy as np
import pytest

from engine.config import Config
from engine.tasks.text import TextTask
from engine.text import MODELS, RNN
from engine.trainer import Trainer


def config(**kw):
    """The resolved text config (issue 10's defaults: rnn 128, seq_len 32, batch 32, adam 0.002, clip 5)."""
    kw = {"hidden": [kw.pop("hidden")] if isinstance(kw.get("hidden"), int) else kw.pop("hidden", [128]), **kw}
    return Config.from_dict({"dataset": "shakespeare", "seed": 0, **kw}).resolved()


@pytest.fixture(scope="module")
def task():
    return TextTask(config())


def test_batches_are_windows_of_the_training_part_with_targets_one_later(task):
    x, y = task.batch(np.array([0, 5, task.n_train - 1]))
    c = task.corpus
    assert x.shape == y.shape == (3, 32)
    assert np.array_equal(x[:, 1:], y[:, :-1])
    assert c.decode(x[1]) + c.decode(y[1][-1:]) == c.text[5:38]
    assert y[2, -1] == c.train[-1]                       # the last window ends where validation starts
    with pytest.raises(IndexError):
        task.batch(np.array([task.n_train]))


def test_the_default_model_and_the_registry(task):
    m = task.model(config())
    assert isinstance(m, RNN) and m.H == 128 and m.V == task.corpus.V
    assert set(MODELS) == {"rnn", "gru", "lstm", "mlp", "bigram"}
    for name in MODELS:
        assert task.model(config(model=name, hidden=16)).name == name


@pytest.mark.parametrize("field, value, words", [("model", "transformer",
                                                  "model: unknown 'transformer'; allowed: rnn, gru, lstm, mlp, bigram"),
                                                 ("hidden", [0], "hidden: a list of layer widths"),
                                                 ("hidden", [8, 8], "hidden: [8, 8]; allowed: one width"),
                                                 ("hidden", [2000], "hidden: 2000 is out of range; allowed: 1 to 1024"),
                                                 ("context", 100, "context: 100 is out of range"),
                                                 ("batch_size", 0, "batch_size: 0 is out of range"),
                                                 ("seq_len", 0, "seq_len: 0 is out of range")])
def test_bad_settings_are_refused_by_the_config(field, value, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace("[", r"\[")):
        Config.from_dict({"dataset": "shakespeare", field: value})


def test_text_data_name_what_they_need():
    with pytest.raises(ValueError, match="data: the text data set needs an uploaded text"):
        TextTask(config(dataset="text"))


def trained(task, r, steps, data=None):
    """The one Trainer on this text task's data for `steps` updates; returns its model."""
    t = Trainer(r, data=data)
    t.run(steps)
    assert t.status == "ok" and t.step_count == steps
    return t


def test_evaluate_before_training_is_the_uniform_guess(task):
    r = task.evaluate(task.model(config()))
    refs = task.references()
    assert refs["uniform"] == pytest.approx(math.log(task.corpus.V))
    assert r["loss_test"] == pytest.approx(refs["uniform"], abs=0.05)
    assert r["bits_test"] == pytest.approx(r["loss_test"] / math.log(2))
    assert r["accuracy_train"] is None and r["accuracy_test"] is None


def test_seeded_default_rnn_beats_the_unigram_entropy_in_300_iterations(task):
    r = config()
    assert (r.model, r.hidden, r.optimizer, r.learning_rate, r.clip) == ("rnn", [128], "adam", 0.002, 5.0)
    t = trained(task, r, 300)
    rep = t.report()
    assert rep["loss_test"] == t.task.loss_on(t.model, "val")          # the held-out last 10%
    assert rep["loss_test"] < rep["unigram"] - 0.3
    assert isinstance(rep["sample"], str) and len(rep["sample"]) == 200


def test_a_seeded_run_repeats_exactly():
    a, b = trained(None, config(hidden=16), 20), trained(None, config(hidden=16), 20)
    assert np.array_equal(a.model.theta, b.model.theta)
    c = trained(None, config(hidden=16, seed=5), 20)
    assert not np.array_equal(a.model.theta, c.model.theta)


def test_clipping_is_a_trainer_step_the_config_asks_for(monkeypatch):
    norms = []
    import engine.trainer as trainer_module
    real = trainer_module.clip_by_global_norm
    monkeypatch.setattr(trainer_module, "clip_by_global_norm", lambda g, m: norms.append(real(g, m)) or norms[-1])
    t = Trainer(config(hidden=16, clip=0.01))
    t.run(3)
    assert len(norms) == 3 and min(norms) > 0.01                     # every step's gradient was clipped
    assert np.linalg.norm(t.model.grad) == pytest.approx(0.01)
    norms.clear()
    Trainer(config(hidden=16, clip=0.0)).run(3)
    assert norms == []


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop"])
def test_every_engine_optimiser_trains_the_rnn(task, optimizer):
    lr = {"sgd": 1.0, "momentum": 0.1, "nesterov": 0.1}.get(optimizer, 2e-3)
    t = trained(task, config(hidden=32, optimizer=optimizer, learning_rate=lr), 60)
    before = task.loss_on(task.model(config(hidden=32)), "val")
    assert task.loss_on(t.model, "val") < before - 0.3


def test_a_three_character_text_trains_and_samples_only_those_characters():
    rng = np.random.default_rng(0)
    words = ["ab", "abc", "cab", "cc"]                   # a little structure to learn
    text = " ".join(words[i] for i in rng.integers(0, 4, 2000)).replace(" ", "a")
    r = config(dataset="text", seq_len=16, hidden=32, learning_rate=1e-2)
    t = Trainer(r, data={"text": text.encode("utf-8")})
    assert t.task.corpus.chars == ["a", "b", "c"]
    start = t.report()["loss_test"]
    t.run(200)
    end = t.report()["loss_test"]
    assert start > 1.0 and end < 0.8                      # log 3 = 1.10: it learnt the structure
    m = t.model
    for temperature, seed in [(1.0, 0), (2.0, 1), (0.0, 0)]:
        s = t.task.extras(m, prompt="abc", temperature=temperature, length=300, seed=seed)["sample"]
        assert len(s) == 300 and set(s) <= {"a", "b", "c"}
    assert len(t.task.extras(m, "abc", 1.0, 10)["next_char"]["probs"]) == 3
    doc = t.to_run()                                     # the upload travels inline, weights by name
    assert doc["data"]["text"] == t.task.corpus.text and set(doc["weights"]) == set(m.params())
    again = Trainer.from_run(doc)
    assert np.array_equal(again.model.theta, t._theta0)


def test_run_data_round_trip(task):
    d = task.data_for_run()
    assert d["dataset"] == "shakespeare" and "text" not in d
    assert TextTask(config(), data=d).corpus.sha256 == task.corpus.sha256
    with pytest.raises(ValueError, match="sha256"):
        TextTask(config(), data={**d, "sha256": "0" * 64})
    up = TextTask(config(seq_len=8), data={"text": "hello world, hello text. " * 20, "name": "mine.txt"})
    d = up.data_for_run()
    assert d["dataset"] == "upload" and d["name"] == "mine.txt"
    again = TextTask(config(seq_len=8), data=d)
    assert again.corpus.text == up.corpus.text and again.corpus.chars == up.corpus.chars


def test_a_bad_upload_is_refused_by_the_task():
    with pytest.raises(ValueError, match="text: the file is binary"):
        TextTask(config(), data={"text": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 40})
