"""Datasets: shapes, label sets, seeds, what noise does, the train/test split."""
import numpy as np
import pytest

from engine import datasets, features
from engine.config import Config
from engine.trainer import Trainer

BINARY = ["circle", "xor", "gauss", "spiral", "moons"]
REGRESSION = ["reg-plane", "reg-gauss", "house"]


GENERATED = [name for name, d in datasets.DATASETS.items() if d.gen is not None]


def test_the_registry_names_each_datasets_task_and_given_data_generate_nothing():
    assert {n: d.task for n, d in datasets.DATASETS.items() if d.task != "points"} == {
        "digits": "digits", "shakespeare": "text", "text": "text"}
    assert datasets.get("custom").task == "points" and set(GENERATED) < set(datasets.DATASETS)
    for name in set(datasets.DATASETS) - set(GENERATED):
        P, y = datasets.generate(name, 50, 0.0, 1)
        assert P.shape == (0, 2) and y.shape == (0,)


@pytest.mark.parametrize("name", GENERATED)
def test_shapes_seed_and_finite(name):
    P, y = datasets.generate(name, 301, 0.2, seed=5, classes=4)
    assert P.shape == (301, 2) and y.shape == (301,)
    assert P.dtype == np.float64 and np.isfinite(P).all() and np.isfinite(y).all()
    P2, y2 = datasets.generate(name, 301, 0.2, seed=5, classes=4)
    np.testing.assert_array_equal(P, P2)
    np.testing.assert_array_equal(y, y2)
    P3, _ = datasets.generate(name, 301, 0.2, seed=6, classes=4)
    assert not np.array_equal(P, P3)


@pytest.mark.parametrize("name", BINARY)
def test_binary_labels_are_plus_minus_one(name):
    _, y = datasets.generate(name, 400, 0.1, seed=1)
    assert set(np.unique(y)) == {-1.0, 1.0}
    assert datasets.get(name).kind == "classification"


@pytest.mark.parametrize("k", [3, 4, 5])
def test_blobs_labels_are_zero_to_k_minus_one(k):
    P, y = datasets.generate("blobs", 500, 0.0, seed=2, classes=k)
    assert set(np.unique(y)) == set(range(k))
    # noise 0: every point is nearest to its own class centre
    centres = np.array([P[y == c].mean(axis=0) for c in range(k)])
    nearest = np.linalg.norm(P[:, None] - centres[None], axis=2).argmin(axis=1)
    assert np.array_equal(nearest, y.astype(int))


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_labels_are_real(name):
    _, y = datasets.generate(name, 500, 0.0, seed=3)
    assert datasets.get(name).kind == "regression"
    assert len(np.unique(y)) > 100                     # real numbers, not a few classes


def test_circle_noise_zero_is_separable_by_radius_and_noise_flips_labels():
    P, y = datasets.generate("circle", 1000, 0.0, seed=4)
    r = np.hypot(P[:, 0], P[:, 1])
    assert np.array_equal(y, np.where(r < 2.5, 1.0, -1.0))
    assert not np.any((r > 2.5) & (r < 3.5)) and r.max() <= 5.0
    assert (y == 1).sum() == 500
    P, y = datasets.generate("circle", 1000, 0.5, seed=4)
    r = np.hypot(P[:, 0], P[:, 1])
    disagree = (y != np.where(r < 2.5, 1.0, -1.0)).mean()
    assert 0.02 < disagree < 0.5


def test_xor_noise_zero_is_the_sign_of_the_product():
    P, y = datasets.generate("xor", 1000, 0.0, seed=5)
    assert np.array_equal(y, np.where(P[:, 0] * P[:, 1] >= 0, 1.0, -1.0))
    assert np.abs(P).min() >= 0.3 and np.abs(P).max() <= 5.3
    P, y = datasets.generate("xor", 1000, 0.5, seed=5)
    assert (y != np.where(P[:, 0] * P[:, 1] >= 0, 1.0, -1.0)).any()


def test_gauss_variance_grows_with_noise():
    def class_variance(noise):
        P, y = datasets.generate("gauss", 4000, noise, seed=6)
        assert P[y == 1].mean(axis=0) == pytest.approx([2, 2], abs=0.15)
        assert P[y == -1].mean(axis=0) == pytest.approx([-2, -2], abs=0.15)
        return np.mean([P[y == c].var(axis=0).mean() for c in (1, -1)])
    assert class_variance(0.0) == pytest.approx(0.5, rel=0.1)
    assert class_variance(0.25) == pytest.approx(2.25, rel=0.1)
    assert class_variance(0.5) == pytest.approx(4.0, rel=0.1)


def test_spiral_noise_zero_lies_exactly_on_the_arms():
    n = 400
    half = n // 2
    P, y = datasets.generate("spiral", n, 0.0, seed=7)
    for label, delta in ((1.0, 0.0), (-1.0, np.pi)):
        Q = P[y == label]
        i = np.rint(np.hypot(Q[:, 0], Q[:, 1]) * half / 5)     # r = 5 i / (n/2)
        assert sorted(i.tolist()) == list(range(half))
        r, t = i / half * 5, 1.75 * i / half * 2 * np.pi + delta
        np.testing.assert_allclose(Q, np.column_stack([r * np.sin(t), r * np.cos(t)]), atol=1e-12)
    P2, y2 = datasets.generate("spiral", n, 0.5, seed=7)
    Q = P2[y2 == 1.0]
    i = np.rint(np.hypot(Q[:, 0], Q[:, 1]) * half / 5)
    r, t = i / half * 5, 1.75 * i / half * 2 * np.pi
    off = np.abs(Q - np.column_stack([r * np.sin(t), r * np.cos(t)])).max()
    assert 0.05 < off


def test_reg_plane_and_reg_gauss_formulas_at_noise_zero():
    P, y = datasets.generate("reg-plane", 600, 0.0, seed=8)
    np.testing.assert_allclose(y, (P[:, 0] + P[:, 1]) / 10, rtol=1e-15)
    assert np.abs(P).max() <= 6
    P, y = datasets.generate("reg-gauss", 600, 0.0, seed=8)
    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    for (x1, x2), label in zip(P[:50], y[:50]):
        best = 0.0
        for cx, cy, sign in centres:
            v = sign * min(max(1 - np.hypot(x1 - cx, x2 - cy) / 2, 0), 1)
            if abs(v) > abs(best):
                best = v
        assert label == pytest.approx(best, abs=1e-15)
    assert -1 <= y.min() < 0 < y.max() <= 1
    _, y_noisy = datasets.generate("reg-plane", 600, 0.5, seed=8)
    assert not np.allclose(y_noisy, (P[:, 0] + P[:, 1]) / 10)


def test_house_prices_fall_with_distance():
    P, y = datasets.generate("house", 2000, 0.0, seed=9)
    assert not np.any(P[:, 1])
    w, b = np.polyfit(P[:, 0], y, 1)
    assert w == pytest.approx(datasets.HOUSE_W, abs=0.01) and b == pytest.approx(datasets.HOUSE_B, abs=0.01)
    assert np.std(y - (w * P[:, 0] + b)) == pytest.approx(0.1, rel=0.1)
    _, y_noisy = datasets.generate("house", 2000, 0.25, seed=9)
    assert np.std(y_noisy - (w * P[:, 0] + b)) > 0.9


def test_moons_noise_spreads_the_points():
    P0, y0 = datasets.generate("moons", 500, 0.0, seed=10)
    P1, y1 = datasets.generate("moons", 500, 0.3, seed=10)
    assert set(np.unique(y0)) == {-1.0, 1.0}
    # noise 0: every upper-moon point lies on its circle of radius 3
    centre = np.array([-0.5, -0.25]) * 3.0
    np.testing.assert_allclose(np.hypot(*(P0[y0 == 1] - centre).T), 3.0, rtol=1e-12)
    assert np.hypot(*(P1[y1 == 1] - centre).T).std() > 0.3


@pytest.mark.parametrize("n, ratio, n_train", [(500, 0.5, 250), (501, 0.5, 250), (10, 0.9, 9), (1200, 0.1, 120)])
def test_split_sizes(n, ratio, n_train):
    P, y = datasets.generate("circle", n, 0.0, seed=1)
    (Ptr, ytr), (Pte, yte) = datasets.split(P, y, ratio)
    assert len(Ptr) == len(ytr) == n_train and len(Pte) == len(yte) == n - n_train
    np.testing.assert_array_equal(np.concatenate([Ptr, Pte]), P)


def test_defaults_and_the_trainers_split():
    assert Config().resolved().points == 500
    assert Config(dataset="reg-plane").resolved().points == 1200
    t = Trainer({"points": 200, "train_ratio": 0.7})
    assert len(t.X_train) == 140 and len(t.X_test) == 60


@pytest.mark.parametrize("args, field", [(("nope", 10, 0.0, 1), "dataset"), (("circle", 10, 0.6, 1), "noise"),
                                         (("blobs", 10, 0.0, 1, 9), "classes")])
def test_bad_arguments_name_the_field(args, field):
    with pytest.raises(ValueError, match=f"^{field}: .*allowed"):
        datasets.generate(*args)


def test_features():
    P = np.array([[2.0, -3.0], [0.5, 1.0]])
    X = features.transform(P, ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"])
    np.testing.assert_allclose(X[0], [2, -3, 4, 9, -6, np.sin(2), np.sin(-3)], rtol=1e-15)
    assert features.transform(P, ["x2", "x1"]).tolist() == [[-3, 2], [1, 0.5]]
    for bad in ([], ["x3"], ["x1", "x1"]):
        with pytest.raises(ValueError, match="^features: "):
            features.check(bad)
