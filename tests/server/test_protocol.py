"""The wire, once: every client message parses, the schema covers both directions, binary grids
round-trip, and every malformed message is refused with the field and what is allowed."""
import json
import time

import numpy as np
import pytest

from server import protocol as wire
from server.errors import ProtocolError
from server.session import Session
from server.validation import parse_client

# ReLU with a learning rate of 10 blows up within a few hundred steps where the output is linear;
# on a tanh output (the classification sets) the ReLUs die instead and the loss just stalls
DIVERGING = {"dataset": "reg-plane", "learning_rate": 10, "hidden": [8] * 6, "activation": "relu"}

VALID = {
    "set_config": {"type": "set_config", "config": {"learning_rate": 0.1, "hidden": [3, 3],
                                                    "dataset": "xor", "shuffle": False}},
    "play": {"type": "play"},
    "pause": {"type": "pause"},
    "step": {"type": "step", "n": 25},
    "reset": {"type": "reset"},
    "regenerate": {"type": "regenerate", "seed": 7},
    "set_weight": {"type": "set_weight", "layer": 1, "to": 0, "from": 2, "value": -0.5},
    "set_speed": {"type": "set_speed", "steps_per_second": 0},
    "set_view": {"type": "set_view", "grid_resolution": 64, "maps": False},
    "ack": {"type": "ack"},
    "set_landscape": {"type": "set_landscape", "mode": "weights", "resolution": 21, "span": 1.5,
                      "weights": [{"layer": 0, "to": 0, "from": 1}, {"layer": 1, "to": 0, "from": None}]},
    "explore": {"type": "explore", "mode": "race", "surface": "quadratic", "condition": 20,
                "rates": {"sgd": 0.1, "adam": 0.05}, "start": [2.0, -1.0], "steps": 50, "resolution": 21},
    "restore": {"type": "restore", "run": {"version": 1, "config": {"hidden": [3]},
                                           "weights": [{"W": [[0.5, -0.25], [1.0, 0.0], [0.0, 2.0]], "b": [0.0, 0.1, 0.2]},
                                                       {"W": [[1.0, -1.0, 0.5]], "b": [0.3]}]},
                "step": 120, "epoch": 3},
    "read_pad": {"type": "read_pad", "width": 28, "height": 28, "pixels": "AAAA" * 261 + "AA==", "id": 4},
    "predict_next": {"type": "predict_next", "prompt": "ROMEO:\nWhat say", "temperature": 0.5},
    "set_samples": {"type": "set_samples", "every": 500, "temperature": 0.8, "length": 300},
    "infer": {"type": "infer", "point": [1.0, -2.0]},
    "start_sweep": {"type": "start_sweep", "axes": {"hidden_width": [2, 3], "activation": ["tanh", "relu"]},
                    "seeds": 1, "epochs": 2},
    "cancel_sweep": {"type": "cancel_sweep"},
    "upload": {"type": "upload", "purpose": "csv", "name": "t.csv", "part": 0, "parts": 1,
               "data": "a,b,y\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(20))},
    "use_csv": {"type": "use_csv", "x": ["a", "b"], "y": "y", "task": "classification", "standardize": True,
                "train_ratio": 0.5},
    "download": {"type": "download", "what": "numpy", "lang": "zh"},
}


def refuse(message) -> ProtocolError:
    text = message if isinstance(message, str) else json.dumps(message)
    with pytest.raises(ProtocolError) as e:
        parse_client(text)
    return e.value


# -- round trips ------------------------------------------------------------------------------
def test_every_client_type_has_an_example_here():
    assert sorted(VALID) == sorted(wire.CLIENT_TYPES)


@pytest.mark.parametrize("kind", sorted(VALID))
def test_client_message_parses_and_dumps_back(kind):
    msg = parse_client(json.dumps(VALID[kind]))
    assert msg.type == kind
    again = msg.model_dump(by_alias=True, exclude_none=True)
    if kind == "set_config":
        assert again["config"] == VALID[kind]["config"]
    else:
        assert msg.model_dump(by_alias=True, exclude_unset=True) == VALID[kind]


def test_set_weight_bias_has_no_from():
    msg = parse_client('{"type":"set_weight","layer":0,"to":1,"value":2}')
    assert msg.from_ is None and msg.value == 2.0


def test_schema_has_both_directions_and_the_limits():
    s = wire.schema()
    assert s["protocol_version"] == wire.PROTOCOL_VERSION
    client = set(s["client"]["discriminator"]["mapping"])
    server = set(s["server"]["discriminator"]["mapping"])
    assert client == set(wire.CLIENT_TYPES)
    assert server == set(wire.SERVER_TYPES)
    assert s["limits"]["max_message_bytes"] == wire.LIMITS["max_message_bytes"]
    assert s["binary_layouts"]["header"]["bytes"] == wire.HEADER.size == 16
    json.dumps(s, allow_nan=False)                       # the schema itself is plain JSON


def test_binary_grids_round_trip():
    grids = np.random.default_rng(0).normal(size=(9, 50, 50))
    data = wire.pack_grids(wire.KIND_MAPS, 41, grids)
    assert len(data) == wire.HEADER.size + 9 * 50 * 50 * 4
    header, body = wire.unpack_grids(data)
    assert header == {"magic": wire.MAPS_MAGIC, "version": 1, "kind": wire.KIND_MAPS, "seq": 41,
                      "count": 9, "resolution": 50}
    assert body.dtype == np.dtype("<f4") and body.shape == (9, 50, 50)
    np.testing.assert_allclose(body, grids.astype(np.float32))


def test_binary_header_is_little_endian_as_declared():
    data = wire.pack_grids(wire.KIND_SURFACE, 0x01020304, np.zeros((2, 10, 10), np.float32))
    assert data[:4] == b"LSMP"
    assert data[4:6] == b"\x01\x00"                      # version 1
    assert data[6:8] == b"\x02\x00"                      # kind 2: surface
    assert data[8:12] == b"\x04\x03\x02\x01"             # seq
    assert data[12:16] == b"\x02\x00\x0a\x00"            # count 2, resolution 10


def test_every_message_a_session_emits_validates_against_the_server_schema():
    s = Session()
    said = list(s.start())
    for message in VALID.values():
        s.handle(json.dumps(message))
        s.advance(time.perf_counter() + 0.01)
        s.compute_landscapes()
        frame, maps = s.frame()
        said += [frame] + [m for m in s.outbox if isinstance(m, dict)]
        s.outbox.clear()
    s.handle(json.dumps({"type": "set_config", "config": {"dataset": "shakespeare", "hidden": [16]}}))
    s.handle(json.dumps({"type": "predict_next", "prompt": "ROMEO:"}))
    frame, _ = s.frame()                              # a text frame, and the sample of iteration 0
    said += [frame] + [m for m in s.outbox if isinstance(m, dict)]
    s.outbox.clear()
    s.handle('{"type":"nope"}')
    s.rebuilds = type(s.rebuilds)()                  # the examples' rebuilds used up this second's turns
    s.handle(json.dumps({"type": "set_config", "config": DIVERGING}))
    s.handle('{"type":"set_view","maps":true}')
    s.handle('{"type":"play"}')
    for _ in range(200):
        s.advance(time.perf_counter() + 0.005)
        if s.trainer.status == "diverged":
            break
    frame, _ = s.frame()
    said += [frame] + [m for m in s.outbox if isinstance(m, dict)]
    d = Session({"dataset": "digits"})                  # digits: its dataset, frames and the pad's answer
    said += d.start()
    d.handle(json.dumps(VALID["read_pad"]))
    d.advance(time.perf_counter() + 0.01)
    said += [d.frame()[0]] + [m for m in d.outbox if isinstance(m, dict)]
    kinds = set()
    for message in said:
        json.dumps(message, allow_nan=False)
        wire.server_adapter.validate_python(message)
        kinds.add(message["type"])
    assert kinds == set(wire.SERVER_TYPES)
    assert {"state": "diverged"}.items() <= next(m for m in said if m.get("state") == "diverged").items()


# -- rejections -------------------------------------------------------------------------------
def test_unknown_type():
    e = refuse({"type": "train_faster"})
    assert e.field == "type"
    assert all(t in e.message for t in wire.CLIENT_TYPES)


def test_missing_type():
    assert refuse({"n": 3}).field == "type"


def test_unknown_field_is_named():
    e = refuse({"type": "play", "volume": 11})
    assert e.field == "volume" and "unknown field" in e.message
    e = refuse({"type": "set_config", "config": {"learning_rat": 0.1}})
    assert e.field == "config.learning_rat"


@pytest.mark.parametrize("message, field, allowed", [
    ({"type": "step", "n": 0}, "n", "1 ≤ x ≤ 10000"),
    ({"type": "step", "n": 10_001}, "n", "1 ≤ x ≤ 10000"),
    ({"type": "set_config", "config": {"learning_rate": 0}}, "config.learning_rate", "0 < x ≤ 100"),
    ({"type": "set_config", "config": {"learning_rate": 101}}, "config.learning_rate", "0 < x ≤ 100"),
    ({"type": "set_config", "config": {"points": 5001}}, "config.points", "0 ≤ x ≤ 5000"),
    ({"type": "set_config", "config": {"noise": -0.1}}, "config.noise", "0 ≤ x ≤ 0.5"),
    ({"type": "set_config", "config": {"hidden": [4, 1025]}}, "config.hidden", "1 ≤ x ≤ 1024"),
    ({"type": "set_config", "config": {"hidden": [1] * 9}}, "config.hidden", "0 to 8 items"),
    ({"type": "set_config", "config": {"batch_size": 1001}}, "config.batch_size", "1 ≤ x ≤ 1000"),
    ({"type": "set_view", "grid_resolution": 129}, "grid_resolution", "10 ≤ x ≤ 128"),
    ({"type": "set_view", "grid_resolution": 9}, "grid_resolution", "10 ≤ x ≤ 128"),
    ({"type": "set_speed", "steps_per_second": -1}, "steps_per_second", "0 ≤ x ≤ 1000000"),
    ({"type": "set_weight", "layer": 0, "to": 0, "value": 2e6}, "value", "-1000000.0 ≤ x ≤ 1000000.0"),
])
def test_out_of_range_names_field_and_range(message, field, allowed):
    e = refuse(message)
    assert e.field == field
    assert "allowed: " + allowed in e.message


def test_not_json():
    e = refuse("{'type': 'play'}")
    assert e.field == "message" and "JSON" in e.message


@pytest.mark.parametrize("text", ["[]", "1", '"play"', "null", "true"])
def test_json_that_is_not_an_object(text):
    e = refuse(text)
    assert e.field == "message" and "object" in e.message


def test_oversize_message():
    limit = wire.LIMITS["max_message_bytes"]
    pad = "x" * limit
    e = refuse(json.dumps({"type": "play", "pad": pad}))
    assert e.field == "message" and str(limit) in e.message
    # multi-byte characters count as bytes, not characters
    e = refuse(json.dumps({"type": "play", "pad": "é" * (limit // 2 + 1)}, ensure_ascii=False))
    assert e.field == "message"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nan_and_infinity_are_refused(literal):
    e = refuse('{"type":"set_config","config":{"learning_rate":%s}}' % literal)
    assert e.field == "config.learning_rate" and "finite" in e.message
    e = refuse('{"type":"set_weight","layer":0,"to":0,"value":%s}' % literal)
    assert e.field == "value"


@pytest.mark.parametrize("message, field, words", [
    ({"type": "step", "n": "3"}, "n", "whole number"),
    ({"type": "step", "n": 2.5}, "n", "whole number"),
    ({"type": "step", "n": True}, "n", "whole number"),
    ({"type": "set_view", "maps": 1}, "maps", "true or false"),
    ({"type": "set_config", "config": []}, "config", "object"),
    ({"type": "set_config", "config": {"hidden": 4}}, "config.hidden", "list"),
    ({"type": "set_config", "config": {"dataset": "mnist"}}, "config.dataset", "circle"),
    ({"type": "set_config", "config": {"features": ["x1", "x3"]}}, "config.features", "sin_x2"),
    ({"type": "set_config", "config": {"shuffle": "yes"}}, "config.shuffle", "true or false"),
    ({"type": "set_config"}, "config", "required"),
    ({"type": "set_weight", "layer": 0, "to": 0}, "value", "required"),
])
def test_wrong_types_name_the_field(message, field, words):
    e = refuse(message)
    assert e.field == field
    assert words in e.message


def test_errors_do_not_echo_huge_values():
    e = refuse({"type": "set_config", "config": {"dataset": "z" * 20_000}})
    assert e.field == "config.dataset" and len(e.message) < 400
    e = refuse({"type": "play", "k" * 5000: 1})
    assert len(e.field) <= 64
