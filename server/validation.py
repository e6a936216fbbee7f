"""Turning text from the socket into a validated client message, or into an error that names the
field and says what is allowed, as one of the codes in errors.py (English and 中文)."""
from pydantic import ValidationError

from .errors import ProtocolError, value_range
from .protocol import CLIENT_TYPES, LIMITS as L, client_adapter


def parse_client(text: str):
    """Text from the socket -> a validated client message, or ProtocolError naming the field."""
    if len(text.encode("utf-8", "surrogatepass")) > L["max_message_bytes"]:
        raise ProtocolError("too_large", "message", max=L["max_message_bytes"])
    try:
        return client_adapter.validate_json(text)
    except ValidationError as e:
        err = e.errors()[0]
        loc = [str(p) for p in err["loc"]]
        if err["type"] == "json_invalid":
            raise ProtocolError("not_json", "message") from None
        if len(loc) <= 1 and err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            raise ProtocolError("unknown_type", "type", allowed=", ".join(CLIENT_TYPES)) from None
        if not loc:
            raise ProtocolError("not_object", "message", got=_short(err.get("input"))) from None
        field = _short(".".join(p for p in loc[1:] if not p.isdigit()) or loc[0], 64)
        code, params = _explain(err, loc)
        raise ProtocolError(code, field, **params) from None


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
    return value_range(lo, hi, "exclusiveMinimum" in node, "exclusiveMaximum" in node)


def _explain(err: dict, loc: list[str]) -> tuple[str, dict]:
    kind, ctx, got = err["type"], err.get("ctx") or {}, _short(err.get("input"))
    if kind == "extra_forbidden":
        return "unknown_field", {}
    if kind == "missing":
        return "required", {}
    if kind == "literal_error":
        return "unknown_value", {"got": got, "allowed": ctx.get("expected", "")}
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return "out_of_range", {"got": got, "range": _allowed_range(_schema_at(loc))}
    if kind == "string_too_long":
        return "text_too_long", {"count": len(err.get("input") or ""), "max": ctx.get("max_length")}
    if kind in ("too_long", "too_short"):
        node = _schema_at([p for p in loc if not p.isdigit()])
        return "wrong_count", {"count": ctx.get("actual_length"), "min": node.get("minItems", 0),
                               "max": node.get("maxItems", "any number of")}
    if kind == "model_type":
        return "not_object", {"got": got}
    if kind == "finite_number":
        return "not_finite", {"got": got, "range": _allowed_range(_schema_at(loc))}
    node = _schema_at(loc)
    wanted = node.get("type")
    if wanted in ("integer", "number"):
        return ("not_integer" if wanted == "integer" else "not_number"), {"got": got, "range": _allowed_range(node)}
    if wanted == "boolean":
        return "not_boolean", {"got": got}
    if wanted == "array":
        return "not_list", {"got": got}
    return "invalid", {"detail": err["msg"], "got": got}
