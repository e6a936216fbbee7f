"""The corpus: the bundled Shakespeare (size, vocabulary, split, references), encoding, and the
learner's uploads, with a clear refusal for binary, empty, too large or too small files."""
import hashlib
import math
from collections import Counter

import numpy as np
import pytest

from engine.text import corpus as corpora
from engine.text.corpus import MAX_UPLOAD_BYTES, REPLACEMENT, from_upload, shakespeare


def test_shakespeare_is_the_recorded_file():
    c = shakespeare()
    assert hashlib.sha256(corpora.SHAKESPEARE.read_bytes()).hexdigest() == corpora.SHAKESPEARE_SHA256
    assert 0.9e6 < len(c.text) < 1.2e6 and 70 <= c.V <= 80
    assert c.text.startswith("THE COMEDY OF ERRORS") and "Gutenberg" not in c.text
    assert c.decode(c.ids) == c.text


def test_validation_is_the_last_tenth():
    c = shakespeare()
    assert c.split == int(len(c.ids) * 0.9)
    assert np.array_equal(np.concatenate([c.train, c.val]), c.ids)
    assert "Ham." in c.decode(c.val) and "Ham." not in c.decode(c.train[:100_000])


def test_reference_losses_by_counting():
    c = shakespeare()
    counts = Counter(c.text[:c.split])
    n = sum(counts.values())
    assert c.unigram == pytest.approx(-sum(k / n * math.log(k / n) for k in counts.values()), rel=1e-12)
    assert c.uniform == pytest.approx(math.log(c.V))
    assert 3.2 < c.unigram < 3.45 < c.uniform


def test_encode_leaves_out_characters_outside_the_vocabulary():
    c = shakespeare()
    ids, unknown = c.encode("Thé end\r\n")
    assert c.decode(ids) == "Th end\n" and unknown == ["é"]


def test_upload_vocabulary_is_its_own():
    c = from_upload(("ab\r\nc" * 100).encode("utf-8"))
    assert c.chars == ["\n", "a", "b", "c"] and "\r" not in c.text
    assert c.encode("abz")[1] == ["z"]


def test_upload_with_many_characters_folds_the_rarest():
    rng = np.random.default_rng(0)                                  # Chinese, ~600 distinct, skewed
    text = "".join(chr(0x4E00 + int(k)) for k in (600 * rng.random(20_000) ** 2))
    c = from_upload(text.encode("utf-8"))
    assert c.V == corpora.MAX_VOCAB and REPLACEMENT in c.chars
    counts = Counter(text)
    kept = [ch for ch in c.chars if ch != REPLACEMENT]
    assert min(counts[ch] for ch in kept) >= max(n for ch, n in counts.items() if ch not in kept)
    ids, unknown = c.encode(text[:50])                             # folded ones read as the replacement
    assert len(ids) == 50


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b" \n\t \n", "empty"),
    (b"GIF89a\x00\x01\x02" + bytes(300), "binary"),
    (bytes(range(128, 256)) * 3, "not UTF-8"),
    ("中文".encode("gbk") * 200, "not UTF-8"),
    (b"\x01\x02\x03\x04 some text " * 40, "binary"),
    (b"x" * (MAX_UPLOAD_BYTES + 1), "too large"),
    (b"short text", "only 10 characters"),
    (b"a" * 500, "single character"),
])
def test_bad_uploads_are_refused_clearly(data, words):
    with pytest.raises(ValueError) as e:
        from_upload(data)
    message = str(e.value)
    assert message.startswith("text: ") and words in message
    assert "allowed: a UTF-8 plain-text file" in message and f"{MAX_UPLOAD_BYTES:,}" in message


def test_a_utf8_byte_order_mark_is_not_text():
    c = from_upload("\ufeff".encode("utf-8") + b"to be or not to be " * 20)
    assert not c.text.startswith("\ufeff")
