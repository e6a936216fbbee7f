"""static/protocol.js mirrors server/protocol.py: the constants and the binary header agree."""
import json
import re
import struct
import typing
from pathlib import Path

from server import protocol

JS = (Path(__file__).resolve().parents[2] / "static" / "protocol.js").read_text()


def js_const(name: str):
    """The value of `export const NAME = ...;` (a number, a string or an array of strings)."""
    m = re.search(rf"export const {name}\s*=\s*(.+?);", JS, re.S)
    assert m, f"protocol.js has no export const {name}"
    return json.loads(m.group(1))


def test_version_and_message_types():
    assert js_const("PROTOCOL_VERSION") == protocol.PROTOCOL_VERSION
    assert js_const("CLIENT_TYPES") == protocol.CLIENT_TYPES
    assert js_const("SERVER_TYPES") == protocol.SERVER_TYPES


def test_python_type_lists_match_the_models():
    def tags(union):
        members = typing.get_args(typing.get_args(union)[0])
        return [typing.get_args(m.model_fields["type"].annotation)[0] for m in members]

    assert tags(protocol.ClientMessage) == protocol.CLIENT_TYPES
    assert tags(protocol.ServerMessage) == protocol.SERVER_TYPES


def test_binary_constants():
    assert js_const("HEADER_BYTES") == protocol.HEADER.size == protocol.BINARY_LAYOUTS["header"]["bytes"]
    assert js_const("MAGIC") == protocol.MAPS_MAGIC.decode() == protocol.BINARY_LAYOUTS["magic"]
    assert js_const("KIND_MAPS") == protocol.KIND_MAPS == protocol.BINARY_LAYOUTS["kinds"]["maps"]["kind"]
    assert js_const("KIND_SURFACE") == protocol.KIND_SURFACE == protocol.BINARY_LAYOUTS["kinds"]["surface"]["kind"]
    assert js_const("KIND_OUTPUT") == protocol.KIND_OUTPUT == protocol.BINARY_LAYOUTS["kinds"]["output"]["kind"]
    assert js_const("KIND_WEIGHT_IMAGES") == protocol.KIND_WEIGHT_IMAGES == protocol.BINARY_LAYOUTS["kinds"]["weight_images"]["kind"]
    assert js_const("KIND_SAMPLES") == protocol.KIND_SAMPLES == protocol.BINARY_LAYOUTS["kinds"]["samples"]["kind"]
    assert f'"{protocol.HEADER.format}"' in JS                      # the comment names the same layout


def test_parse_binary_reads_the_header_fields_where_the_server_packs_them():
    fields = protocol.BINARY_LAYOUTS["header"]["fields"]
    codes = re.findall(r"\d*[a-zA-Z]", protocol.HEADER.format.lstrip("<"))
    offsets, sizes, at = {}, {}, 0
    for name, code in zip(fields, codes):
        offsets[name], sizes[name] = at, struct.calcsize("<" + code)
        at += sizes[name]
    read = {name: (int(bits) // 8, int(off)) for name, bits, off in
            re.findall(r"(\w+): view\.getUint(\d+)\((\d+), true\)", JS)}
    assert set(read) == set(fields) - {"magic"}
    for name, (size, off) in read.items():
        assert (size, off) == (sizes[name], offsets[name]), name
    magic_bytes = [int(i) for i in re.findall(r"view\.getUint8\((\d)\)", JS)]
    assert magic_bytes == list(range(offsets["magic"], offsets["magic"] + sizes["magic"]))
    assert re.search(r"new Float32Array\(buffer, HEADER_BYTES, n\)", JS)


# -- what the page actually sends and handles ------------------------------------------------------
STATIC = Path(__file__).resolve().parents[2] / "static"
SOURCES = {p.relative_to(STATIC).as_posix(): p.read_text() for p in STATIC.rglob("*.js")}


def sent_types() -> dict[str, set[str]]:
    """Every message type a page module sends: message("t", ...) and the actions' send("t", ...)."""
    out = {}
    for name, text in SOURCES.items():
        for t in re.findall(r'\b(?:message|send)\("(\w+)"', text):
            out.setdefault(t, set()).add(name)
    return out


def test_the_page_sends_every_client_type_and_nothing_else():
    sent = sent_types()
    unknown = {t for t in sent if t not in protocol.CLIENT_TYPES}
    # a type the server does not define yet may only be sent behind a check of CLIENT_TYPES
    for t in unknown:
        for name in sent[t]:
            assert f'CLIENT_TYPES.includes("{t}")' in SOURCES[name], f"{name} sends {t!r}, not a client type"
    assert set(protocol.CLIENT_TYPES) <= set(sent), set(protocol.CLIENT_TYPES) - set(sent)


def test_no_message_is_built_by_hand():
    for name, text in SOURCES.items():
        # a literal {type: ...} object handed to a socket would bypass protocol.js's check
        assert not re.search(r'send\(\s*\{\s*type\s*:', text), name
        if name != "protocol.js":
            assert not re.search(r'\btype\s*:\s*"(?:' + "|".join(protocol.CLIENT_TYPES) + r')"', text), name


def test_the_page_handles_every_server_type_in_one_table():
    main = SOURCES["main.js"]
    m = re.search(r"const handlers = \{\n(.*?)\n\};", main, re.S)
    assert m, "main.js has no handlers table"
    keys = re.findall(r"^  (\w+)\(m\) \{", m.group(1), re.M)
    assert keys == protocol.SERVER_TYPES
    assert "compatible(m)" in main and "incompatible" in SOURCES["panels/banner.js"]   # version refused


def test_the_url_table_names_every_config_field_once():
    from engine.config import Config
    import dataclasses

    url = SOURCES["url.js"]
    fields = re.findall(r'(\w+): \["(?:str|int|num|bool|strs|ints)", (?:\[\]|[^,\]]+), "(config|view)"\]', url)
    config = [k for k, s in fields if s == "config"]
    assert sorted(config) == sorted(f.name for f in dataclasses.fields(Config))
    assert sorted(config) == sorted(protocol.ConfigPatch.model_fields)
    view = {k for k, s in fields if s == "view"}
    assert {"speed", "landscape", "surface", "slice", "show_test", "hide", "lang"} <= view
