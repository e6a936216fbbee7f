"""The IDX reader and writer on small files the test writes itself."""
import gzip

import numpy as np
import pytest

from engine.digits import idx


@pytest.mark.parametrize("name", ["a-idx3-ubyte", "a-idx3-ubyte.gz"])
def test_images_and_labels_round_trip(tmp_path, name):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (7, 28, 28), dtype=np.uint8)
    idx.write(tmp_path / name, images)
    back = idx.read(tmp_path / name)
    assert back.dtype == np.uint8 and back.shape == (7, 28, 28)
    assert np.array_equal(back, images)


def test_the_header_is_mnists_layout(tmp_path):
    labels = np.array([5, 0, 4, 1, 9], np.uint8)
    raw = idx.encode(labels)
    # magic 0x00000801 (uint8, one dimension), then the count, then the values
    assert raw[:8] == bytes([0, 0, 8, 1, 0, 0, 0, 5])
    assert raw[8:] == bytes([5, 0, 4, 1, 9])
    images = np.zeros((2, 3, 4), np.uint8)
    assert idx.encode(images)[:16] == bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4])


def test_wider_types_are_big_endian(tmp_path):
    values = np.array([[1.5, -2.0], [3.25, 1e6]], np.float32)
    raw = idx.encode(values)
    assert raw[2] == 0x0D and raw[12:16] == np.array(1.5, '>f4').tobytes()
    assert np.array_equal(idx.parse(raw), values)


def test_gzip_files_are_written_reproducibly(tmp_path):
    values = np.arange(100, dtype=np.uint8)
    idx.write(tmp_path / "a.gz", values)
    idx.write(tmp_path / "b.gz", values)
    assert idx.sha256(tmp_path / "a.gz") == idx.sha256(tmp_path / "b.gz")


@pytest.mark.parametrize("raw, message", [
    (b"\x01\x00\x08\x01\x00\x00\x00\x01\x07", "not an IDX file"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x07", "unknown IDX type code 0x07"),
    (b"\x00\x00\x08\x03\x00\x00", "truncated IDX header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05\x07", "needs 13 bytes, the file has 9"),
])
def test_broken_files_are_refused_with_what_is_wrong(raw, message):
    with pytest.raises(ValueError, match=message):
        idx.parse(raw)


def test_a_file_that_is_not_gzip_is_refused(tmp_path):
    (tmp_path / "x-idx1-ubyte.gz").write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match="x-idx1-ubyte.gz: cannot be read"):
        idx.read(tmp_path / "x-idx1-ubyte.gz")


def test_a_truncated_gzip_file_is_refused(tmp_path):
    full = gzip.compress(idx.encode(np.zeros((10, 28, 28), np.uint8)))
    (tmp_path / "t-idx3-ubyte.gz").write_bytes(full[: len(full) // 2])
    with pytest.raises(ValueError, match="cannot be read"):
        idx.read(tmp_path / "t-idx3-ubyte.gz")


def test_sha256_of_a_file(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    assert idx.sha256(tmp_path / "f") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
