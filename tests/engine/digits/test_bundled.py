"""The bundled MNIST subset: loads offline, checksummed, balanced; the split is stratified."""
import shutil

import numpy as np
import pytest

from engine.digits import bundled, idx


def test_loads_offline_with_ten_balanced_classes():
    images, labels = bundled.load()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (5000,)
    assert np.array_equal(np.bincount(labels), [500] * 10)
    assert images.max() == 255 and images.min() == 0
    # real digits: ink covers roughly a fifth of the image, not noise nor blanks
    ink = (images > 0).mean(axis=(1, 2))
    assert 0.05 < ink.min() and ink.max() < 0.6 and 0.12 < ink.mean() < 0.25


def test_files_have_the_documented_checksums():
    doc = (bundled.DATA_DIR.parents[2] / "docs" / "data" / "mnist.md").read_text()
    for name, sha in bundled.SHA256.items():
        assert idx.sha256(bundled.DATA_DIR / name) == sha
        assert sha in doc and name in doc


def test_the_files_are_small():
    total = sum((bundled.DATA_DIR / name).stat().st_size for name in bundled.SHA256)
    assert total < 2_000_000


def test_a_tampered_file_is_refused(tmp_path):
    for name in bundled.SHA256:
        shutil.copy(bundled.DATA_DIR / name, tmp_path / name)
    raw = bytearray((tmp_path / bundled.IMAGES).read_bytes())
    raw[len(raw) // 2] ^= 1                                  # one bit of one byte
    (tmp_path / bundled.IMAGES).write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="mnist_5k-images-idx3-ubyte.gz has sha256 .* expected"):
        bundled.load(tmp_path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ValueError, match="mnist_5k-images-idx3-ubyte.gz is missing"):
        bundled.load(tmp_path)


def test_split_is_stratified_seeded_and_shuffled():
    _, labels = bundled.load()
    train, test = bundled.split(labels, 1000, seed=1)
    assert len(train) == 4000 and len(test) == 1000
    assert len(np.intersect1d(train, test)) == 0 and len(np.union1d(train, test)) == 5000
    assert np.array_equal(np.bincount(labels[test], minlength=10), [100] * 10)
    assert np.array_equal(np.bincount(labels[train], minlength=10), [400] * 10)
    # not sorted by class as the file is: the first 400 training images hold every digit
    assert len(np.unique(labels[train[:400]])) == 10
    again, _ = bundled.split(labels, 1000, seed=1)
    other, _ = bundled.split(labels, 1000, seed=2)
    assert np.array_equal(train, again) and not np.array_equal(train, other)


def test_split_of_unbalanced_labels_gives_each_class_its_share():
    labels = np.repeat(np.arange(10), [50, 3, 20, 7, 100, 2, 9, 11, 30, 18])
    train, test = bundled.split(labels, 25, seed=3)
    assert len(test) == 25 and len(train) == len(labels) - 25
    assert set(labels[test]) >= {0, 2, 4, 8}                 # the large classes give their share
    assert np.bincount(labels[test], minlength=10)[4] == 10   # 100 of 250 -> 10 of 25
    assert set(labels[train]) == set(range(10))


def test_split_refuses_an_impossible_size():
    with pytest.raises(ValueError, match="n_test: 0 is out of range; allowed: 1 to 9"):
        bundled.split(np.arange(10) % 2, 0, seed=1)
