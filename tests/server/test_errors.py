"""Every error the server says has a stable code with English and 中文 phrases using the same
placeholders; every setting a field path can name has a label in both languages; the engine's
refusals the protocol can reach map to codes of their own; ConfigPatch is Config, field for field."""
import dataclasses
import json
import re

import pytest

from engine.config import Config
from server import errors
from server.nouns import Error
from server.protocol import ConfigPatch, client_adapter
from server.session import Session


def test_every_code_in_english_and_chinese_with_the_same_placeholders():
    assert set(Error.model_fields["code"].annotation.__args__) == set(errors.PHRASES)
    for code, (en, zh) in errors.PHRASES.items():
        assert en.strip() and zh.strip(), code
        assert sorted(re.findall(r"\{(\w+)\}", en)) == sorted(re.findall(r"\{(\w+)\}", zh)), code
        if code != "refused":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), code


def test_every_field_a_client_message_has_is_a_setting_with_two_labels():
    schema = client_adapter.json_schema()
    names = set()
    for model in schema["$defs"].values():
        names |= set(model.get("properties", {}))
    names -= {"type"}
    assert sorted(names - set(errors.SETTINGS)) == []
    for name, (en, zh) in errors.SETTINGS.items():
        assert en and zh, name


def test_config_patch_has_exactly_the_config_fields():
    assert set(ConfigPatch.model_fields) == {f.name for f in dataclasses.fields(Config)}


def test_an_error_names_the_setting_not_the_path():
    e = errors.error("out_of_range", "config.beta1", got="2", range="0 ≤ x ≤ 0.999")
    assert e["setting"] == "beta1" and e["message"].startswith("Adam β1: 2 is out of range")
    assert "config." not in e["message"]


@pytest.mark.parametrize("config, code", [
    ({"dataset": "blobs", "output": "tanh"}, "needs_softmax"),
    ({"output": "softmax"}, "softmax_needs_multiclass"),
    ({"dataset": "reg-plane", "loss": "bce"}, "loss_output"),
    ({"points": 1, "train_ratio": 0.1}, "no_training_points"),
])
def test_engine_refusals_reach_the_page_as_codes(config, code):
    s = Session()
    s.handle(json.dumps({"type": "set_config", "config": config}))
    (e,) = [m for m in s.outbox if m["type"] == "error"]
    assert e["code"] == code, e
    assert errors.render(code, e["params"], 1) != errors.render(code, e["params"], 0)   # a real 中文 phrase


def test_set_weight_out_of_the_network_and_a_regularised_crowd():
    s = Session()
    s.handle('{"type":"set_weight","layer":0,"to":9,"value":1}')
    s.handle('{"type":"set_config","config":{"regularization":"l2","reg_rate":0.01}}')
    s.handle('{"type":"explore","mode":"networks","models":2,"steps":3}')
    s.compute_landscapes()
    codes = [m["code"] for m in s.outbox if isinstance(m, dict) and m["type"] == "error"]
    assert codes == ["out_of_range", "crowd_no_regularization"]
