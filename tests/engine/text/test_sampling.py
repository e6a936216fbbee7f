"""Sampling and the next-character distribution, on a trained-ish and an untrained model."""
import numpy as np
import pytest

from engine.text import RNN, next_distribution, sample, shakespeare
from engine.text.model import log_softmax
from engine.text.sampling import GREEDY


@pytest.fixture(scope="module")
def model():
    c = shakespeare()
    m = RNN(c.V, hidden=16, seed=3)
    m.theta += np.random.default_rng(1).normal(0.0, 0.5, m.size)   # a peaked, non-uniform model
    return m


def test_temperature_near_zero_is_greedy(model):
    c = shakespeare()
    state, logits = model.feed(None, c.encode("ROMEO.\n")[0])
    chain = []
    for _ in range(60):
        chain.append(int(np.argmax(logits)))
        state, logits = model.feed(state, chain[-1:])
    expected = c.decode(chain)
    for t, seed in [(0.0, 0), (GREEDY, 1), (GREEDY / 10, 99)]:
        assert sample(model, c, "ROMEO.\n", 60, t, seed) == expected


def test_a_seed_reproduces_a_sample_and_another_seed_changes_it(model):
    c = shakespeare()
    a = sample(model, c, "To be", 200, 1.0, seed=7)
    assert len(a) == 200 and set(a) <= set(c.chars)
    assert sample(model, c, "To be", 200, 1.0, seed=7) == a
    assert sample(model, c, "To be", 200, 1.0, seed=8) != a


def test_low_temperature_concentrates_the_samples(model):
    c = shakespeare()
    hot = sample(model, c, "", 400, 3.0, seed=1)
    cold = sample(model, c, "", 400, 0.3, seed=1)
    assert len(set(cold)) < len(set(hot))


def test_next_distribution_and_the_cost_of_each_prompt_character(model):
    c = shakespeare()
    d = next_distribution(model, c, "Good morrow")
    assert len(d["probs"]) == c.V == len(d["chars"]) and sum(d["probs"]) == pytest.approx(1.0)
    assert d["top"] == int(np.argmax(d["probs"])) and d["top_char"] == c.chars[d["top"]]
    ids = c.encode("Good morrow")[0]
    state, logits = model.feed(None, ids[:1])
    for i, cost in zip(ids[1:], d["costs"]):
        assert cost == pytest.approx(-log_softmax(logits)[i])
        state, logits = model.feed(state, [i])
    assert len(d["costs"]) == len(ids) - 1
    assert np.allclose(d["probs"], np.exp(log_softmax(logits)))


def test_prompt_outside_the_vocabulary_and_empty_prompt(model):
    c = shakespeare()
    d = next_distribution(model, c, "日本")
    assert d["unknown"] == ["日", "本"] and d["read"] == "\n"
    assert sum(next_distribution(model, c, "")["probs"]) == pytest.approx(1.0)


@pytest.mark.parametrize("t", [-0.5, float("nan"), 100.0])
def test_bad_temperature_is_refused(model, t):
    with pytest.raises(ValueError, match="temperature: .*allowed: 0 to 10"):
        sample(model, shakespeare(), "", 10, t)


def test_the_character_that_really_follows_and_its_cost(model):
    c = shakespeare()
    prompt = "Good night, sweet princ"                           # Hamlet, in the validation part
    d = next_distribution(model, c, prompt, temperature=0.5)
    f = d["follows"]
    assert f["char"] == "e" and f["part"] == "val" and c.text[f["at"]:f["at"] + len(prompt) + 1] == prompt + "e"
    _, logits = model.feed(None, c.encode(prompt)[0])
    assert f["cost"] == pytest.approx(-log_softmax(logits)[c.index["e"]])
    assert next_distribution(model, c, "Thou art a zebra, qua")["follows"] is None
    early = next_distribution(model, c, "THE COMEDY OF ERROR")["follows"]
    assert early == {"char": "S", "part": "train", "at": 0, "cost": early["cost"]}
