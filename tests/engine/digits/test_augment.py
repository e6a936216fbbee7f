"""Augmentation: labels kept, pixel range kept, images really moved, vectorised per batch."""
import numpy as np

from engine.digits import bundled
from engine.digits.augment import augment


def digits(n=64):
    images, labels = bundled.load()
    pick = np.random.default_rng(0).choice(len(images), n, replace=False)
    return images[pick].reshape(n, -1) / 255.0, labels[pick]


def centre_of_mass(X):
    I = X.reshape(len(X), 28, 28)
    m = I.sum(axis=(1, 2))
    r = (I.sum(axis=2) @ np.arange(28)) / m
    c = (I.sum(axis=1) @ np.arange(28)) / m
    return np.column_stack([r, c])


def test_range_is_kept_and_images_change():
    X, _ = digits()
    out = augment(X, np.random.default_rng(1))
    assert out.shape == X.shape and out.dtype == np.float64
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert np.abs(out - X).max() > 0.5                       # something really moved
    assert not np.shares_memory(out, X)


def test_shift_is_at_most_two_pixels_and_ink_is_mostly_kept():
    X, _ = digits()
    out = augment(X, np.random.default_rng(2))
    moved = np.linalg.norm(centre_of_mass(out) - centre_of_mass(X), axis=1)
    # a shift of at most 2 px per axis (2.83 diagonally), plus a little from the rotation
    assert moved.max() < 3.3 and moved.mean() > 0.5
    kept = out.sum(axis=1) / X.sum(axis=1)
    assert 0.85 < kept.min() and kept.max() < 1.1           # bilinear blur, nothing cropped away


def test_labels_are_kept_by_the_task(tmp_path):
    from engine.config import Config
    from engine.tasks.digits import DigitsTask
    r = Config.from_dict({"dataset": "digits", "augment": True}).resolved()
    task = DigitsTask(r)
    idx = np.arange(40)
    X, Y = task.batch(idx, np.random.default_rng(0))
    assert np.array_equal(Y.argmax(axis=1), task.y_train[idx])
    plain = task.U_train[idx] / 255.0
    assert X.min() >= 0 and X.max() <= 1 and not np.allclose(X, plain)
    X2, _ = task.batch(idx, np.random.default_rng(1))
    assert not np.allclose(X, X2)                            # drawn afresh for every batch
    X3, _ = task.batch(idx)                                  # no rng given: the task's own
    assert X3.shape == X.shape and not np.allclose(X3, plain)


def test_no_motion_is_the_identity():
    X, _ = digits(8)
    out = augment(X, np.random.default_rng(0), max_shift=0.0, max_angle=0.0)
    assert np.allclose(out, X)


def test_whole_pixel_shifts_match_rolling_the_image():
    X, _ = digits(4)
    out = augment(X, np.random.default_rng(0), max_shift=0.0, max_angle=1e-12)
    assert np.allclose(out, X, atol=1e-9)
    # whole-pixel shifts land exactly on the grid: compare with np.roll
    class Fixed:
        def uniform(self, lo, hi, shape):
            return np.full(shape, 2.0) if np.ndim(np.empty(shape)) == 2 else np.zeros(shape)
    shifted = augment(X, Fixed()).reshape(-1, 28, 28)
    expect = np.zeros_like(shifted)
    expect[:, 2:, 2:] = X.reshape(-1, 28, 28)[:, :-2, :-2]
    assert np.allclose(shifted, expect)


def test_shifting_far_out_of_the_image_leaves_nothing():
    X, _ = digits(4)

    class Far:
        def __init__(self, d):
            self.d = d

        def uniform(self, lo, hi, shape):
            return np.full(shape, self.d) if np.ndim(np.empty(shape)) == 2 else np.zeros(shape)
    for d in (40.0, -40.0, 28.5, -29.0):
        assert not augment(X, Far(d)).any()
    # one pixel short of leaving: the last row/column of ink survives at the edge
    out = augment(np.ones((2, 784)), Far(27.0)).reshape(-1, 28, 28)
    assert np.allclose(out[:, 27, 27], 1.0) and out.sum() == 2.0
