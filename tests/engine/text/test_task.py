"""The text task: windows of the training part, evaluation, run-file data, a seeded default RNN
that learns within 300 iterations, and a learner's three-character text."""
import math
from types import SimpleNamespace

import numpy as np
import pytest

from engine.text import MODELS, RNN
from engine.text.minitrain import MiniTrainer
from engine.text.task import TextTask


def config(**kw):
    base = dict(dataset="shakespeare", model="rnn", hidden=[128], seq_len=32, batch_size=32, seed=0)
    return SimpleNamespace(**{**base, **kw})


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
                                                 ("hidden", [0], "hidden: 0 is out of range"),
                                                 ("hidden", 0, "hidden: 0 is out of range"),
                                                 ("context", 100, "context: 100 is out of range"),
                                                 ("batch_size", 0, "batch_size: 0 is out of range"),
                                                 ("seq_len", 0, "seq_len: 0 is out of range"),
                                                 ("dataset", "circle", "dataset: unknown text 'circle'")])
def test_bad_settings_are_refused(field, value, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(")):
        t = TextTask(config(**{field: value}))
        t.model(config(**{field: value}))


def test_evaluate_before_training_is_the_uniform_guess(task):
    r = task.evaluate(task.model(config()))
    refs = task.references()
    assert refs["uniform"] == pytest.approx(math.log(task.corpus.V))
    assert r["loss_val"] == pytest.approx(refs["uniform"], abs=0.05)
    assert r["bits_val"] == pytest.approx(r["loss_val"] / math.log(2))
    assert r["accuracy_train"] is None and r["accuracy_test"] is None


def test_seeded_default_rnn_beats_the_unigram_entropy_in_300_iterations(task):
    m = task.model(config())
    trainer = MiniTrainer(task, m, optimizer="adam", lr=2e-3, clip=5.0, seed=0)
    trainer.run(300)
    loss_val = task.evaluate(m)["loss_val"]
    assert loss_val < task.references()["unigram"] - 0.3


def test_a_seeded_run_repeats_exactly(task):
    a, b = task.model(config(hidden=64)), task.model(config(hidden=64))
    assert np.array_equal(a.theta, b.theta)
    MiniTrainer(task, a, seed=4).run(20)
    MiniTrainer(task, b, seed=4).run(20)
    assert np.array_equal(a.theta, b.theta)
    MiniTrainer(task, b, seed=5).run(1)
    assert not np.array_equal(a.theta, b.theta)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop"])
def test_every_engine_optimiser_trains_the_rnn(task, optimizer):
    m = task.model(config(hidden=32))
    before = task.loss_on(m, "val")
    lr = {"sgd": 1.0, "momentum": 0.1, "nesterov": 0.1}.get(optimizer, 2e-3)
    MiniTrainer(task, m, optimizer=optimizer, lr=lr).run(60)
    assert task.loss_on(m, "val") < before - 0.3


def test_a_three_character_text_trains_and_samples_only_those_characters():
    rng = np.random.default_rng(0)
    words = ["ab", "abc", "cab", "cc"]                   # a little structure to learn
    text = " ".join(words[i] for i in rng.integers(0, 4, 2000)).replace(" ", "a")
    t = TextTask(config(seq_len=16, hidden=32), data={"text": text.encode("utf-8")})
    assert t.corpus.chars == ["a", "b", "c"]
    m = t.model(config(hidden=32))
    start = t.evaluate(m)["loss_val"]
    MiniTrainer(t, m, lr=1e-2).run(200)
    end = t.evaluate(m)["loss_val"]
    assert start > 1.0 and end < 0.8                      # log 3 = 1.10: it learnt the structure
    for temperature, seed in [(1.0, 0), (2.0, 1), (0.0, 0)]:
        s = t.extras(m, prompt="abc", temperature=temperature, length=300, seed=seed)["sample"]
        assert len(s) == 300 and set(s) <= {"a", "b", "c"}
    assert len(t.extras(m, "abc", 1.0, 10)["next_char"]["probs"]) == 3


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
