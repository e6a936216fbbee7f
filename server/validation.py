"""Turning text from the socket into a validated client message, or into an error that names the
field and says what is allowed (the wording the page's 中文 phrase table translates)."""
from pydantic import ValidationError

from .protocol import CLIENT_TYPES, LIMITS as L, client_adapter


class ProtocolError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def parse_client(text: str):
    """Text from the socket -> a validated client message, or ProtocolError naming the field."""
    if len(text.encode("utf-8", "surrogatepass")) > L["max_message_bytes"]:
        raise ProtocolError("message", f"too large; allowed: at most {L['max_message_bytes']} bytes")
    try:
        return client_adapter.validate_json(text)
    except ValidationError as e:
        err = e.errors()[0]
        loc = [str(p) for p in err["loc"]]
        if err["type"] == "json_invalid":
            raise ProtocolError("message", "not valid JSON; send one JSON object with a 'type'") from None
        if len(loc) <= 1 and err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            raise ProtocolError("type", f"must be one of: {', '.join(CLIENT_TYPES)}") from None
        if not loc:
            raise ProtocolError("message", "must be a JSON object with a 'type'; "
                                           f"got {_short(err.get('input'))}") from None
        field = _short(".".join(p for p in loc[1:] if not p.isdigit()) or loc[0], 64) if loc else "message"
        raise ProtocolError(field, _explain(err, loc)) from None


def _short(value, limit: int = 80) -> str:
    """repr() of what the client sent, cut short: an error never echoes a whole message back."""
    text = value if isinstance(value, str) and limit == 64 else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_CLIENT_SCHEMA = client_adapter.json_schema()


def _schema_at(loc: list[str]) -> dict:
    """The JSON Schema of the value at an error's location (message type, field, item...)."""
    defs = _CLIENT_SCHEMA["$defs"]
    ref = _CLIENT_SCHEMA["discriminator"]["mapping"].get(loc[0]) if loc else None
    node = {"$ref": ref} if ref else {}
    for part in loc[1:] + [None]:
        while True:                                   # follow $ref, take the non-null branch
            if "$ref" in node:
                node = defs[node["$ref"].rsplit("/", 1)[1]]
            elif "anyOf" in node:
                node = next((n for n in node["anyOf"] if n.get("type") != "null"), {})
            else:
                break
        if part is None:
            return node
        node = node.get("items", {}) if part.isdigit() else node.get("properties", {}).get(part, {})
    return node


def _allowed_range(node: dict) -> str:
    lo = node.get("minimum", node.get("exclusiveMinimum"))
    hi = node.get("maximum", node.get("exclusiveMaximum"))
    lo_text = f"more than {lo}" if "exclusiveMinimum" in node else f"{lo}"
    hi_text = f"less than {hi}" if "exclusiveMaximum" in node else f"{hi}"
    if lo is not None and hi is not None:
        return f"{lo_text} to {hi_text}"
    return f"at least {lo_text}" if lo is not None else f"at most {hi_text}" if hi is not None else "see GET /api/protocol"


def _explain(err: dict, loc: list[str]) -> str:
    kind, ctx, got = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "extra_forbidden":
        return "unknown field; see GET /api/protocol for the allowed fields"
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        return f"unknown value {_short(got)}; allowed: {ctx.get('expected', '')}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return f"{_short(got)} is out of range; allowed: {_allowed_range(_schema_at(loc))}"
    if kind in ("too_long", "too_short"):
        node = _schema_at([p for p in loc if not p.isdigit()])
        return (f"has {ctx.get('actual_length')} items; allowed: {node.get('minItems', 0)} to "
                f"{node.get('maxItems', 'any number of')} items")
    if kind == "model_type":
        return f"must be a JSON object; got {_short(got)}"
    if kind in ("finite_number",):
        return f"must be a finite number; got {_short(got)}; allowed: {_allowed_range(_schema_at(loc))}"
    node = _schema_at(loc)
    wanted = node.get("type")
    if wanted in ("integer", "number"):
        return f"must be {'a whole number' if wanted == 'integer' else 'a number'}; got {_short(got)}; " \
               f"allowed: {_allowed_range(node)}"
    if wanted == "boolean":
        return f"must be true or false; got {_short(got)}"
    if wanted == "array":
        return f"must be a list; got {_short(got)}"
    return f"{err['msg']}; got {_short(got)}"
