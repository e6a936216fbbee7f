"""static/i18n.js: every key in both English and 简体中文, and every key the page asks for exists."""
import re
from pathlib import Path

from engine import activations, datasets, features, optimizers, regularizers

STATIC = Path(__file__).resolve().parents[2] / "static"
SOURCES = [STATIC / "i18n.js", *sorted((STATIC / "strings").glob("*.js"))]   # i18n.addStrings tables
ENTRY = re.compile(r'(?:([A-Za-z_$][\w$]*)|"([^"\\]+)")\s*:\s*"((?:[^"\\]|\\.)*)"')


def table(lang: str) -> dict[str, str]:
    """The `lang: { ... }` blocks of STRINGS and of every static/strings/ table, as one dict (keys are
    names or quoted, values strings); a key defined in two of them is refused, as addStrings does."""
    out = {}
    for path in SOURCES:
        block(path, lang, out)
    return out


def block(path: Path, lang: str, out: dict) -> None:
    m = re.search(rf"^  {lang}: \{{\n(.*?)^  \}},?$", path.read_text(), re.S | re.M)
    assert m, f"no {lang} block in {path.name}"
    body = m.group(1)
    for key, quoted, value in ENTRY.findall(body):
        k = key or quoted
        assert k not in out, f"{lang}: {k} twice"
        out[k] = value
    # nothing in the block escaped the pattern: what is left is commas and white space
    rest = ENTRY.sub("", body)
    assert re.fullmatch(r"[\s,]*", rest), f"{lang}: could not read {rest.strip()[:80]!r}"


EN, ZH = table("en"), table("zh")


def test_every_key_exists_in_both_languages():
    assert len(EN) > 100
    assert sorted(set(EN) - set(ZH)) == []
    assert sorted(set(ZH) - set(EN)) == []


def test_no_empty_strings_and_the_same_placeholders():
    for k in EN:
        assert EN[k].strip() and ZH[k].strip(), k
        assert re.findall(r"\{\w+\}", EN[k]) == re.findall(r"\{\w+\}", ZH[k]), k


def test_chinese_is_translated():
    same = [k for k in EN if EN[k] == ZH[k]]
    assert len(same) < len(EN) * 0.3, same                     # names like "SGD" or "β1" may stay
    assert any("\u4e00" <= ch <= "\u9fff" for ch in ZH["play"] + ZH["network"] + ZH["diverged"])


def test_every_key_the_page_uses_is_defined():
    used = set()
    for path in STATIC.rglob("*.js"):
        text = path.read_text()
        used |= set(re.findall(r'\bt\("([\w-]+)"', text))
        used |= set(re.findall(r'i18n(?:Title|Aria)?: "([\w-]+)"', text))
        used |= set(re.findall(r'\bnote\("([\w-]+)"', text))
        used |= set(re.findall(r'\bfield\("([\w-]+)"(?![^\n]*label:)', text))  # its label, unless named
        used |= set(re.findall(r'\b(?:label|tip): "([\w-]+)"', text))
    assert used, "found no i18n keys in static/"
    assert sorted(used - set(EN)) == []


def test_every_name_the_server_lists_has_a_label():
    # selects and thumbnails show these through t(name)
    names = [*activations.ACTIVATIONS, *datasets.DATASETS, *features.FEATURES, *optimizers.OPTIMIZERS,
             *regularizers.REGULARIZATIONS]
    assert sorted(set(names) - set(EN)) == []
