"""Config: each task's defaults, applied when the dataset's task changes; fields checked per task."""
import pytest

from engine.config import TASK_DEFAULTS, Config


def test_each_task_starts_from_its_own_defaults():
    points, digits, text = (Config.from_dict({"dataset": d}) for d in ("circle", "digits", "shakespeare"))
    assert (points.hidden, points.optimizer, points.learning_rate, points.batch_size) == ([4, 2], "sgd", 0.03, 10)
    assert (digits.hidden, digits.activation, digits.init, digits.optimizer, digits.learning_rate,
            digits.batch_size) == ([16, 16], "sigmoid", "xavier", "momentum", 0.1, 32)
    assert (digits.resolved().output, digits.resolved().loss) == ("softmax", "softmax_ce")
    assert (text.model, text.hidden, text.seq_len, text.batch_size, text.optimizer, text.learning_rate,
            text.clip) == ("rnn", [128], 32, 32, "adam", 0.002, 5.0)
    assert points.clip == 0.0 and not digits.augment


def test_a_change_of_task_brings_its_defaults_except_what_the_change_gives():
    c = Config.from_dict({"dataset": "circle", "hidden": [3], "output": "sigmoid"})
    d = c.updated({"dataset": "digits", "learning_rate": 0.5})
    assert d.hidden == [16, 16] and d.learning_rate == 0.5 and d.output == "softmax"
    back = d.updated({"dataset": "xor"})
    assert {k: getattr(back, k) for k in TASK_DEFAULTS["points"]} == TASK_DEFAULTS["points"]
    same = d.updated({"hidden": [32]})                    # no change of task: nothing else moves
    assert same.hidden == [32] and same.learning_rate == 0.5


def test_fields_a_task_does_not_use_are_not_checked_for_it():
    Config.from_dict({"dataset": "digits", "features": ["nope"], "noise": 0.9, "points": 10**6})
    Config.from_dict({"dataset": "circle", "model": "rnn", "seq_len": 32})
    with pytest.raises(ValueError, match="features: unknown 'nope'"):
        Config.from_dict({"dataset": "circle", "features": ["nope"]})
    with pytest.raises(ValueError, match="noise: 0.9 is out of range"):
        Config.from_dict({"dataset": "circle", "noise": 0.9})


@pytest.mark.parametrize("change, message", [
    ({"dataset": "custom", "classes": 1}, "classes: 1 for custom data; allowed: 0 (regression) or 2 to 10"),
    ({"dataset": "custom", "classes": 11}, "classes: 11 for custom data"),
    ({"dataset": "blobs", "classes": 7}, "classes: 7 is out of range; allowed: 3 to 5"),
    ({"clip": -1.0}, "clip: -1.0 is out of range; allowed: 0.0 to 1000000.0"),
    ({"dataset": "digits", "output": "linear"}, "output: digits need softmax or sigmoid outputs"),
    ({"dataset": "shakespeare", "seq_len": 1000}, "seq_len: 1000 is out of range; allowed: 1 to 512"),
    ({"dataset": "text", "model": "transformer"}, "model: unknown 'transformer'; allowed: rnn"),
    ({"augment": "yes"}, "augment: must be true or false"),
])
def test_bad_fields_name_what_is_allowed(change, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Config.from_dict(change)


def test_custom_data_take_their_kind_from_classes():
    kinds = [Config.from_dict({"dataset": "custom", "classes": k}).resolved() for k in (0, 2, 7)]
    assert [(r.kind, r.output, r.sizes()[-1]) for r in kinds] == [
        ("regression", "linear", 1), ("classification", "tanh", 1), ("multiclass", "softmax", 7)]
