"""Property-based: thousands of random and malformed messages to a session. Every bad one gets
exactly one error naming the field at fault; good ones get none outside their own fields; and
afterwards the session still trains. Values are drawn from the protocol's own JSON Schema, so a
new field or limit is fuzzed without touching this file."""
import json
import math
import time

from hypothesis import HealthCheck, given, settings, strategies as st

from server import protocol as wire
from server.session import Session

SCHEMA = wire.client_adapter.json_schema()
DEFS = SCHEMA["$defs"]
MAPPING = SCHEMA["discriminator"]["mapping"]


def resolve(node: dict) -> dict:
    while True:
        if "$ref" in node:
            node = DEFS[node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        else:
            return node


def fields_of(model: dict) -> dict:
    return {k: resolve(v) for k, v in model["properties"].items() if k != "type"}


MESSAGES = {t: DEFS[ref.rsplit("/", 1)[1]] for t, ref in MAPPING.items()}
CONFIG = fields_of(DEFS["ConfigPatch"])
# valid values kept small where size costs time (the schema's limits are fuzzed by the bad values)
SMALL = {"points": st.integers(0, 600), "batch_size": st.integers(1, 50),
         "hidden": st.lists(st.integers(1, 8), max_size=3), "grid_resolution": st.integers(10, 40),
         "n": st.integers(1, 50),
         "what": st.sampled_from(["run", "numpy"]),       # onnx and the report: tests/server/test_uploads.py
         "data": st.text(max_size=40)}
# a valid base for each type (its required fields), to which one field is then set
BASE = {"set_config": {"config": {}}, "set_weight": {"layer": 0, "to": 0, "value": 0.5},
        "set_speed": {"steps_per_second": 100}, "set_landscape": {"mode": "random"}, "predict_next": {"prompt": "ab"},
        "restore": {"run": {"version": 1, "config": {}, "weights": Session().trainer.network.layers()}, "step": 7},
        "read_pad": {"width": 28, "height": 28, "pixels": "AAAA" * 261 + "AA=="},
        "upload": {"purpose": "csv", "name": "f.csv", "part": 0, "parts": 1, "data": "a,b,y\n1,2,0\n3,4,1\n"},
        "use_csv": {"x": ["a", "b"], "y": "y"}, "download": {"what": "run"}}
# a message valid by the schema but meant for another task's session (this one learns points)
OTHER_TASK = {"pad_needs_digits", "not_text", "not_points", "sweep_task"}
KEEP = {"restore": {"run"}, "read_pad": {"pixels"}}   # valid values too big to draw: the base's are kept

scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | \
    st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) |
                           st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


def bounds(node):
    lo = node.get("minimum", node.get("exclusiveMinimum"))
    hi = node.get("maximum", node.get("exclusiveMaximum"))
    return lo, hi


def good(name: str, node: dict):
    if name in SMALL:
        return SMALL[name]
    kind = node.get("type")
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if kind == "integer":
        return st.integers(*bounds(node))
    if kind == "number":
        lo, hi = bounds(node)
        return st.floats(lo, hi, exclude_min="exclusiveMinimum" in node, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        return st.text(max_size=min(node.get("maxLength", 20), 20))
    if kind == "array":
        return st.lists(good("", resolve(node["items"])), min_size=node.get("minItems", 0),
                        max_size=node.get("maxItems", 5))
    if kind == "object" and "propertyNames" in node:               # e.g. a learning rate per optimiser
        return st.dictionaries(st.sampled_from(node["propertyNames"]["enum"]),
                               good("", node["additionalProperties"]), max_size=3)
    if kind == "object":                                            # a nested message, e.g. a weight
        props, need = node.get("properties", {}), node.get("required", [])
        return st.fixed_dictionaries({k: good(k, resolve(v)) for k, v in props.items() if k in need})
    raise AssertionError(f"no strategy for {node}")


def bad(node: dict):
    """Values the schema refuses (never null: null means 'not given' for optional fields)."""
    kind = node.get("type")
    not_a_number = st.text(max_size=5) | st.lists(st.integers(), max_size=2) | st.just({})
    if "enum" in node:
        return st.text(max_size=10).filter(lambda v: v not in node["enum"]) | st.integers() | st.booleans()
    if kind in ("integer", "number"):
        lo, hi = bounds(node)
        out = st.integers(max_value=math.floor(lo) - 1) | st.integers(min_value=math.ceil(hi) + 1) | \
            st.floats(hi + abs(hi) * 0.01 + 1, 1e300) | not_a_number | st.booleans() | \
            st.sampled_from([math.nan, math.inf, -math.inf])
        if "exclusiveMinimum" in node:
            out |= st.just(lo)
        if kind == "integer":
            out |= st.floats(lo, hi).filter(lambda v: v != int(v))
        return out
    if kind == "boolean":
        return st.integers() | st.text(max_size=5) | st.lists(st.booleans(), max_size=2)
    if kind == "object":
        return st.text(max_size=5) | st.integers() | st.lists(st.integers(), max_size=2)
    if kind == "string":
        return st.integers() | st.booleans() | st.lists(st.text(max_size=3), max_size=2) | \
            st.just("x" * (node.get("maxLength", 200) + 1))
    if kind == "array":
        item = resolve(node["items"])
        out = st.text(max_size=5) | st.integers() | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
        out |= st.lists(good("", item), min_size=node.get("maxItems", 5) + 1, max_size=node.get("maxItems", 5) + 3)
        out |= st.tuples(st.lists(good("", item), max_size=2), bad(item)).map(lambda t: t[0] + [t[1]])
        return out
    raise AssertionError(f"no strategy for {node}")


def dumps(message) -> str:
    return json.dumps(message, allow_nan=True)          # NaN and Infinity go out as JSON would not


@st.composite
def valid_message(draw):
    kind = draw(st.sampled_from(sorted(MESSAGES)))
    message = {"type": kind, **json.loads(json.dumps(BASE.get(kind, {})))}
    if kind == "set_config":
        names = draw(st.lists(st.sampled_from(sorted(CONFIG)), max_size=3, unique=True))
        message["config"] = {n: draw(good(n, CONFIG[n])) for n in names}
    else:
        fields = fields_of(MESSAGES[kind])
        for name in draw(st.lists(st.sampled_from(sorted(fields) or ["-"]), max_size=3, unique=True)):
            if name in fields and name not in KEEP.get(kind, ()):
                message[name] = draw(good(name, fields[name]))
    prefix = "config." if kind == "set_config" else ""
    return "valid", dumps(message), prefix


@st.composite
def bad_field(draw):
    kind = draw(st.sampled_from([k for k in sorted(MESSAGES) if k == "set_config" or fields_of(MESSAGES[k])]))
    message = {"type": kind, **json.loads(json.dumps(BASE.get(kind, {})))}
    if kind == "set_config":
        name = draw(st.sampled_from(sorted(CONFIG)))
        message["config"][name] = draw(bad(CONFIG[name]))
        return "bad", dumps(message), "config." + name
    fields = fields_of(MESSAGES[kind])
    name = draw(st.sampled_from(sorted(fields)))
    message[name] = draw(bad(fields[name]))
    return "bad", dumps(message), name


@st.composite
def unknown_field(draw):
    kind = draw(st.sampled_from(sorted(MESSAGES)))
    message = {"type": kind, **json.loads(json.dumps(BASE.get(kind, {})))}
    known = set(fields_of(MESSAGES[kind])) | set(CONFIG) | {"type"}
    name = draw(st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(lambda n: n not in known))
    value = draw(json_values)
    if kind == "set_config" and draw(st.booleans()):
        message["config"][name] = value
        return "bad", dumps(message), "config." + name
    message[name] = value
    return "bad", dumps(message), name


not_an_object = json_values.filter(lambda v: not isinstance(v, dict)).map(lambda v: ("bad", dumps(v), "message"))
wrong_type = st.tuples(st.dictionaries(st.text(max_size=6), json_values, max_size=3),
                       st.one_of(st.just(None), json_values.filter(lambda v: v not in wire.CLIENT_TYPES))) \
    .map(lambda t: ("bad", dumps({**t[0], "type": t[1]} if t[1] is not None else
                                 {k: v for k, v in t[0].items() if k != "type"}), "type"))
random_text = st.text(max_size=40).filter(lambda t: not t.strip().startswith("{")) \
    .map(lambda t: ("bad", t, "message"))
broken_json = valid_message().map(lambda m: ("bad", m[1][: len(m[1]) // 2], "message"))
binary = st.binary(max_size=64).map(lambda b: ("bad", b, "message"))
oversize = st.integers(wire.LIMITS["max_message_bytes"], wire.LIMITS["max_message_bytes"] + 100) \
    .map(lambda n: ("bad", dumps({"type": "play", "pad": "x" * n}), "message"))

any_message = st.one_of(valid_message(), valid_message(), bad_field(), bad_field(), unknown_field(),
                        not_an_object, wrong_type, random_text, broken_json, binary, oversize)

DEFAULTS = Session().trainer.config.to_dict()


def restore_and_train(s: Session) -> None:
    """Back to the default run; it must still train, and learn."""
    s.outbox.clear()
    for text in ['{"type":"pause"}', dumps({"type": "set_config", "config": DEFAULTS}), '{"type":"reset"}',
                 '{"type":"set_view","grid_resolution":16,"node_resolution":16,"maps":true,"flow":0}', '{"type":"set_speed","steps_per_second":1500}']:
        s.handle(text)
    assert not [m for m in s.outbox if m["type"] == "error"], s.outbox
    first, _ = s.frame()
    s.handle('{"type":"set_config","config":{"learning_rate":0.3}}')
    s.handle('{"type":"step","n":300}')
    end = time.perf_counter() + 10
    while s.busy and time.perf_counter() < end:
        s.advance(time.perf_counter() + 0.01)
    last, maps = s.frame()
    json.dumps(last, allow_nan=False)
    assert last["step"] == 300
    assert last["loss_train"] < first["loss_train"]
    assert wire.unpack_grids(maps)[1].shape == (9, 16, 16)


NEEDED_BY_MODE = {"weights"}


def check_messages(messages, seen: dict) -> None:
    s = Session()
    s.start()
    for i, (kind, text, field) in enumerate(messages):
        s.outbox.clear()
        s.handle(text)
        errors = [m for m in s.outbox if m["type"] == "error"]
        for m in s.outbox:
            json.dumps(m, allow_nan=False)
            wire.server_adapter.validate_python(m)
        if kind == "bad":
            assert len(errors) == 1, (text, s.outbox)
            assert errors[0]["field"] == field[:64], (text, errors)
            assert errors[0]["message"] and errors[0]["code"]
            seen["bad"] += 1
        else:                                            # valid by the schema; the engine may still refuse
            # (or the field a mode needs but was not given: set_landscape's weights mode needs weights)
            assert all(e["field"].startswith(field) and e["field"] != field for e in errors) if field \
                else all(e["field"].split(".")[0] in json.loads(text) or e["field"] in NEEDED_BY_MODE
                         or e["code"] in OTHER_TASK for e in errors), (text, errors)
        s.advance(time.perf_counter() + 0.0005)
        if i % 8 == 0 and s.dirty:
            json.dumps(s.frame()[0], allow_nan=False)
        if i % 20 == 0:                                  # a live landscape slice of whatever is configured
            s.explorations.clear()
            s.outbox.clear()
            s.landscape._next = 0.0
            s.compute_landscapes()
            for m in s.outbox:
                if isinstance(m, dict):
                    wire.server_adapter.validate_python(m)
                    json.dumps(m, allow_nan=False)
        seen["messages"] += 1
    restore_and_train(s)


def test_random_and_malformed_messages():
    """Thousands of messages, most of them bad: counted by this test itself, in any test order."""
    seen = {"messages": 0, "bad": 0}

    @settings(max_examples=100, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(any_message, min_size=20, max_size=60))
    def fuzz(messages):
        check_messages(messages, seen)

    fuzz()
    assert seen["messages"] >= 2000 and seen["bad"] >= 1000, seen
