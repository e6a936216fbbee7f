"""Exact two-parameter surfaces and slices through a live network, checked by brute force."""
import numpy as np
import pytest

from engine import Network, Trainer, landscape, losses
from engine.landscape import surfaces


@pytest.fixture(scope="module")
def house():
    return landscape.house(points=100, noise=0.05, seed=4)


def test_linear_surface_equals_brute_force(house):
    x, y = house
    s = landscape.linear_regression(x, y)
    g = surfaces.grid(s, 25)
    assert g["z"].dtype == np.float32 and g["z"].shape == (25, 25)
    for i in range(0, 25, 3):
        for j in range(0, 25, 4):
            w, b = g["x"][j], g["y"][i]
            brute = sum((w * xi + b - yi) ** 2 for xi, yi in zip(x, y)) / len(x)
            assert g["z"][i, j] == pytest.approx(brute, rel=1e-6)
            assert float(s.value([w, b])) == pytest.approx(brute, rel=1e-12)


def test_linear_minimum_hessian_and_gradient(house):
    x, y = house
    s = landscape.linear_regression(x, y, loss="half_mse")
    w, b = np.polyfit(x, y, 1)
    np.testing.assert_allclose(s.minima[0], [w, b], atol=1e-10)
    np.testing.assert_allclose(s.hessian, [[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    P = np.array([[0.3, -1.0], [-2.0, 4.0]])
    h = 1e-6
    for k in range(2):
        e = np.eye(2)[k] * h
        np.testing.assert_allclose(s.gradient(P)[:, k], (s.value(P + e) - s.value(P - e)) / (2 * h), rtol=1e-6)
    np.testing.assert_allclose(s.gradient(P), (P - s.minima[0]) @ s.hessian, atol=1e-10)


def test_learning_rate_lessons_around_two_over_lambda_max(house):
    s = landscape.linear_regression(*house)
    pre = landscape.lr_presets(s)
    assert pre["limit"] == pytest.approx(2.0 / np.linalg.eigvalsh(s.hessian)[-1])
    lam = pre["eigenvalues"]
    crawl = landscape.gd_path(s, lr=pre["crawl"], steps=100)
    zig = landscape.gd_path(s, lr=pre["zigzag"], steps=100)
    div = landscape.gd_path(s, lr=pre["diverge"], steps=100)
    smooth = landscape.gd_path(s, lr=pre["smooth"], steps=300)
    assert [crawl["regime"], zig["regime"], div["regime"], smooth["regime"]] == ["crawl", "zigzag", "diverges", "smooth"]
    assert crawl["loss"][-1] > 1e-3 + s.global_value                      # still on its way
    assert smooth["loss"][-1] == pytest.approx(s.global_value, abs=1e-9)
    assert div["loss"][-1] > div["loss"][0]                               # blows up
    e = np.array(zig["path"])[:, 0] - s.minima[0][0]                       # w overshoots: signs alternate
    assert (np.sign(e[20:40]) != np.sign(e[21:41])).all()
    assert landscape.regime(pre["limit"] * 0.99, lam) == "zigzag"
    assert landscape.regime(pre["limit"] * 1.01, lam) == "diverges"


def test_neuron_surface_equals_a_network_evaluated_point_by_point():
    rng = np.random.default_rng(0)
    P = rng.normal(size=(60, 2))
    y = np.where(P[:, 0] - 0.5 * P[:, 1] > 0, 1.0, -1.0)
    s = landscape.neuron(P, y)
    net = Network([2, 1], output="tanh", init="zeros")
    L = losses.get("half_mse")
    g = surfaces.grid(s, 9)
    for i in range(9):
        for j in range(9):
            net.W[0][0] = [g["x"][j], g["y"][i]]
            A = net.activations_of(P)[-1]
            assert g["z"][i, j] == pytest.approx(L.value(None, A, y[:, None]).mean(), rel=1e-6)
    W = rng.normal(size=(5, 2))
    h = 1e-6
    for k in range(2):
        e = np.eye(2)[k] * h
        np.testing.assert_allclose(s.gradient(W)[:, k], (s.value(W + e) - s.value(W - e)) / (2 * h), rtol=1e-5)


def test_param_index_matches_set_weight():
    net = Network([3, 4, 2])
    for layer, to, from_ in [(0, 2, 1), (0, 3, None), (1, 1, 3), (1, 0, None)]:
        i = landscape.param_index(net.sizes, layer, to, from_)
        keep = net.theta.copy()
        net.set_weight(layer, to, from_, 7.5)
        assert np.flatnonzero(net.theta != keep).tolist() == [i]
    with pytest.raises(ValueError):
        landscape.param_index(net.sizes, 2, 0)


@pytest.mark.parametrize("config", [
    {},
    {"dataset": "blobs", "hidden": [5], "activation": "relu"},
    {"dataset": "xor", "output": "sigmoid", "loss": "bce", "activation": "elu"},
    {"dataset": "reg-plane", "loss": "mse", "hidden": [3, 3], "points": 200},
])
def test_stack_loss_equals_the_network_one_point_at_a_time(config):
    tr = Trainer(config)
    tr.run(30)
    net, r = tr.network, tr.r
    Theta = net.theta + 0.3 * np.random.default_rng(1).normal(size=(7, net.theta.size))
    batched = landscape.stack_loss(net, Theta, tr.X_train, tr.Y_train, r.loss, chunk=3)
    keep = net.theta.copy()
    for g, theta in enumerate(Theta):
        np.copyto(net.theta, theta)
        assert batched[g] == pytest.approx(tr.task.evaluate(tr.model)["loss_train"], rel=2e-5)
    np.copyto(net.theta, keep)


def test_filter_normalisation_rows_and_biases():
    net = Network([2, 5, 3, 1], seed=3)
    d = landscape.filter_normalized(net, seed=9)
    probe = Network([2, 5, 3, 1])
    np.copyto(probe.theta, d)
    for W, D, b in zip(net.W, probe.W, probe.b):
        np.testing.assert_allclose(np.linalg.norm(D, axis=1), np.linalg.norm(W, axis=1), rtol=1e-12)
        assert (b == 0).all()
    assert not np.allclose(d, landscape.filter_normalized(net, seed=10))


def test_weight_slice_is_the_loss_with_two_weights_moved():
    tr = Trainer({})
    tr.run(50)
    net = tr.network
    i, j = landscape.param_index(net.sizes, 0, 1, 0), landscape.param_index(net.sizes, 1, 0, None)
    keep = net.theta.copy()
    sl = landscape.slice_trainer(tr, "weights", i=i, j=j, span=1.5, resolution=11)
    np.testing.assert_array_equal(net.theta, keep)                       # the live weights are untouched
    assert sl["loss"].shape == (11, 11) and sl["loss"].dtype == np.float32
    assert sl["center"] == [keep[i], keep[j]]
    assert sl["loss"][5, 5] == pytest.approx(tr.task.evaluate(tr.model)["loss_train"], rel=1e-5)
    net.theta[i], net.theta[j] = sl["x"][2], sl["y"][8]                   # column 2, row 8
    assert sl["loss"][8, 2] == pytest.approx(tr.task.evaluate(tr.model)["loss_train"], rel=1e-5)
    np.copyto(net.theta, keep)


def test_random_slice_centre_is_the_current_loss():
    tr = Trainer({})
    tr.run(50)
    sl = landscape.slice_trainer(tr, "random", seed=2, resolution=21)
    assert sl["loss"][10, 10] == pytest.approx(sl["loss_center"], rel=1e-5)
    assert sl["loss_center"] == pytest.approx(tr.task.evaluate(tr.model)["loss_train"], rel=1e-5)
    assert sl["directions"].shape == (2, tr.network.theta.size)


def test_a_trajectory_in_a_plane_projects_with_zero_residual():
    rng = np.random.default_rng(5)
    P = 40
    origin = rng.normal(size=P)
    U = rng.normal(size=(2, P))
    coeffs = np.cumsum(rng.normal(size=(30, 2)), axis=0)
    coeffs -= coeffs[-1]                                                # ends at the origin
    T = origin + coeffs @ U
    D, explained = landscape.pca_directions(T)
    np.testing.assert_allclose(D @ D.T, np.eye(2), atol=1e-12)
    C, res = landscape.project(T, origin, D)
    assert res.max() < 1e-10
    assert sum(explained) == pytest.approx(1.0)
    np.testing.assert_allclose(origin + C @ D, T, atol=1e-10)
    off = T + 0.1 * rng.normal(size=T.shape)                            # a path off the plane is not
    assert landscape.project(off, origin, D)[1].max() > 0.05


def test_projecting_on_a_plane_of_any_two_directions_recovers_the_coefficients():
    rng = np.random.default_rng(6)
    origin, D = rng.normal(size=30), rng.normal(size=(2, 30))          # not orthonormal
    coeffs = rng.normal(size=(5, 2))
    C, res = landscape.project(origin + coeffs @ D, origin, D)
    np.testing.assert_allclose(C, coeffs, atol=1e-10)
    assert res.max() < 1e-10
    (c,), (r,) = landscape.project(origin + 2.0 * D[0] + np.eye(30)[0], origin, D)   # one point, (P,)
    assert r > 0.1 and abs(c[0] - 2.0) < 1.0


def test_a_weights_slice_around_a_held_center_shows_where_the_weights_are():
    tr = Trainer({})
    net, X, Y = tr.network, tr.X_train, tr.Y_train
    wi, wj = net.theta[0], net.theta[1]
    sl = landscape.slice_weights(net, X, Y, tr.r.loss, 0, 1, span=1.0, resolution=11, center=(wi + 0.4, wj - 0.2))
    assert sl["x"][0] == pytest.approx(wi - 0.6) and sl["y"][-1] == pytest.approx(wj + 0.8)
    assert sl["center"] == [wi, wj]
    same = landscape.slice_weights(net, X, Y, tr.r.loss, 0, 1, span=1.0, resolution=11)
    assert sl["loss"][5, 3] == pytest.approx(same["loss"][4, 5], rel=1e-5)    # the same point of the plane


def test_pca_slice_of_a_real_run_holds_its_path():
    tr = Trainer({})
    traj = landscape.Trajectory(capacity=16)
    for _ in range(40):
        traj.add(tr.network.theta)
        tr.run(10)
    T = traj.array()
    assert len(T) <= 16 and traj.every == 4
    np.testing.assert_array_equal(T[0], Network(tr.r.sizes(), seed=tr.r.seed).theta)
    sl = landscape.slice_trainer(tr, "pca", trajectory=np.vstack([T, tr.network.theta]), resolution=15)
    path = np.array(sl["path"])
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=1e-12)
    assert sl["x"][0] < path[:, 0].min() and sl["x"][-1] > path[:, 0].max()
    assert sl["y"][0] < path[:, 1].min() and sl["y"][-1] > path[:, 1].max()
    assert 0.5 < sum(sl["explained"]) <= 1.0 + 1e-12
    with pytest.raises(ValueError, match="trajectory"):
        landscape.slice_trainer(tr, "pca")


def test_neuron_on_gauss_descends_to_low_loss():
    s = landscape.neuron(*landscape.neuron_data())
    run = landscape.gd_path(s, lr=0.5, steps=200)
    assert run["loss"][-1] < 0.2 * run["loss"][0]
    assert "regime" not in run                                          # no constant Hessian here
    with pytest.raises(ValueError, match="loss"):
        landscape.linear_regression([1.0, 2.0], [1.0, 2.0], loss="bce")
