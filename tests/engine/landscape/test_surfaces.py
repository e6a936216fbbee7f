"""Test surfaces, the vectorised walkers, races, crowds, and quadratic theory against measurement."""
import numpy as np
import pytest

from engine import optimizers
from engine.landscape import surfaces, walkers


def numeric_gradient(s, P, h=1e-6):
    G = np.empty_like(P)
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        G[:, k] = (s.value(P + e) - s.value(P - e)) / (2 * h)
    return G


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
def test_gradient_matches_finite_differences(name):
    s = surfaces.get(name)
    x0, x1, y0, y1 = s.extent
    rng = np.random.default_rng(0)
    P = np.column_stack([rng.uniform(x0, x1, 50), rng.uniform(y0, y1, 50)])
    G = s.gradient(P)
    assert G.shape == (50, 2)
    np.testing.assert_allclose(G, numeric_gradient(s, P), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
def test_value_is_vectorised_over_any_leading_shape(name):
    s = surfaces.get(name)
    P = np.random.default_rng(1).uniform(-2, 2, (3, 4, 2))
    V = s.value(P)
    assert V.shape == (3, 4)
    assert V[2, 1] == pytest.approx(float(s.value(P[2, 1])))
    assert s.gradient(P).shape == (3, 4, 2)


def test_known_minima_and_values():
    h = surfaces.get("himmelblau")
    assert len(h.minima) == 4
    np.testing.assert_allclose(h.value(h.minima), 0.0, atol=1e-9)
    np.testing.assert_allclose(h.gradient(h.minima), 0.0, atol=1e-4)
    assert float(h.value([-0.270845, -0.923039])) == pytest.approx(181.617, abs=1e-3)
    for name, m in [("rosenbrock", (1, 1)), ("beale", (3, 0.5)), ("rastrigin", (0, 0)), ("quadratic", (0, 0))]:
        s = surfaces.get(name)
        np.testing.assert_allclose(s.minima[0], m)
        assert float(s.value(m)) == pytest.approx(0.0, abs=1e-12)
        np.testing.assert_allclose(s.gradient(np.array(m, dtype=float)), 0.0, atol=1e-12)


def test_registry_and_grid():
    with pytest.raises(ValueError, match="surface: unknown"):
        surfaces.get("nope")
    with pytest.raises(ValueError, match="condition"):
        surfaces.get("quadratic", condition=0.5)
    s = surfaces.get("quadratic", condition=4.0, angle=0.3)
    np.testing.assert_allclose(np.linalg.eigvalsh(s.hessian), [1.0, 4.0])
    g = surfaces.grid(s, 21)
    assert g["z"].dtype == np.float32 and g["z"].shape == (21, 21)
    i, j = 5, 17                                          # row i is y[i], column j is x[j]
    assert g["z"][i, j] == pytest.approx(float(s.value([g["x"][j], g["y"][i]])), rel=1e-6)
    d = s.describe()
    assert d["limits"]["sgd"] == pytest.approx(0.5)


@pytest.mark.parametrize("name", optimizers.OPTIMIZERS)
def test_one_rule_set_on_a_matrix_with_a_rate_per_row(name):
    """Rows of an (N, D) optimiser with one learning rate per row move as N flat vectors would."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(3, 5))
    ref = [X[r].copy() for r in range(3)]
    opts = [optimizers.make(name, 5, momentum=0.8, beta1=0.85) for _ in range(3)]
    w = optimizers.make(name, X.shape, momentum=0.8, beta1=0.85)
    lr = np.array([[0.1], [0.01], [0.05]])
    for _ in range(20):
        w.update(X, np.sin(X) + 0.3 * X, lr)
        for r in range(3):
            opts[r].update(ref[r], np.sin(ref[r]) + 0.3 * ref[r], lr[r, 0])
    np.testing.assert_allclose(X, np.array(ref), rtol=0, atol=1e-12)
    assert not np.allclose(X[0], X[1])


def test_himmelblau_crowd_splits_among_the_four_minima():
    s = surfaces.get("himmelblau")
    c = walkers.crowd(s, walkers=200, optimizer="sgd", lr=0.01, steps=1000, seed=3)
    labels = np.array(c["labels"])
    assert set(labels.tolist()) == {0, 1, 2, 3}           # every walker at one of the known minima
    assert all(n > 10 for n in c["counts"])
    finals = np.array(c["finals"])
    np.testing.assert_allclose(finals, s.minima[labels], atol=1e-5)
    assert c["share_global"] == 1.0
    assert len(c["paths"]) == 200 and len(c["paths"][0]) == 1000 // 5 + 1


@pytest.mark.parametrize("seed", range(5))
def test_himmelblau_crowd_at_the_pages_settings_ends_at_global_minima(seed):
    """60 walkers, lr 0.01, 400 steps (the page's crowd): every one of the four minima is global
    (f = 0), so the share of walkers at a global minimum is about 1 and each minimum gets some."""
    c = walkers.crowd(surfaces.get("himmelblau"), walkers=60, optimizer="sgd", lr=0.01, steps=400, seed=seed)
    assert c["share_global"] >= 0.95
    assert c["is_global"][:4] == [True] * 4 and min(c["counts"][:4]) >= 5


def test_crowd_on_rastrigin_finds_local_minima_and_a_small_global_share():
    c = walkers.crowd(surfaces.get("rastrigin"), walkers=100, steps=400, seed=0)
    assert len(c["minima"]) > 10
    assert 0.0 <= c["share_global"] < 0.2
    assert c["is_global"][0] is True and not any(c["is_global"][1:])


def test_saddle_walkers_escape_and_stop_at_the_edge():
    c = walkers.crowd(surfaces.get("saddle"), walkers=20, optimizer="sgd", steps=300, seed=0)
    assert c["share_global"] == 0.0
    assert all(l == -1 for l in c["labels"])
    assert np.isfinite(np.array(c["finals"])).all()


def test_race_starts_together_with_own_rates():
    s = surfaces.get("rosenbrock")
    r = walkers.race(s, rates={"adam": 0.02}, steps=50)
    assert set(r["racers"]) == set(optimizers.OPTIMIZERS)
    for name, racer in r["racers"].items():
        assert racer["path"][0] == list(s.start)
        assert len(racer["path"]) == len(racer["loss"]) == 51
    assert r["racers"]["adam"]["lr"] == 0.02
    assert r["racers"]["sgd"]["lr"] == s.rates["sgd"]


# -- theory on quadratics --------------------------------------------------------------------
def run_rate(s, name, lr, steps=400, **hyper):
    run = walkers.descend(s, [[2.0, -1.5]], name, lr, steps, **hyper)
    e = run["path"][:, 0] - s.minima[0]
    return walkers.measured_rate(np.concatenate([e[1:], e[:-1]], axis=1))


@pytest.mark.parametrize("kappa,angle", [(10.0, 0.0), (50.0, 0.7)])
def test_gradient_descent_rate_matches_theory(kappa, angle):
    s = surfaces.get("quadratic", condition=kappa, angle=angle)
    lam = np.linalg.eigvalsh(s.hessian)
    th = surfaces.theory(lam)
    best = th["sgd"]["best_lr"]
    assert run_rate(s, "sgd", best) == pytest.approx(th["sgd"]["best_rate"], rel=0.01)
    assert th["sgd"]["best_rate"] == pytest.approx((kappa - 1) / (kappa + 1))
    for lr in (0.3 / kappa, 1.0 / kappa, 1.9 / kappa):
        assert run_rate(s, "sgd", lr) == pytest.approx(surfaces.predicted_rate("sgd", lr, lam), rel=0.01)


@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_momentum_rate_matches_theory(kappa):
    s = surfaces.get("quadratic", condition=kappa, angle=0.4)
    lam = np.linalg.eigvalsh(s.hessian)
    th = surfaces.theory(lam)["momentum"]
    rk = np.sqrt(kappa)
    assert th["best_rate"] == pytest.approx((rk - 1) / (rk + 1))
    measured = run_rate(s, "momentum", th["best_lr"], steps=300, momentum=th["best_momentum"])
    assert measured == pytest.approx(th["best_rate"], rel=0.01)
    for lr, beta in [(0.5 / kappa, 0.9), (1.0 / kappa, 0.5), (3.0 / kappa, 0.7)]:   # complex and real roots
        pred = surfaces.predicted_rate("momentum", lr, lam, beta)
        assert run_rate(s, "momentum", lr, momentum=beta) == pytest.approx(pred, rel=0.01)
    pred = surfaces.predicted_rate("nesterov", 1.0 / kappa, lam, 0.9)
    assert run_rate(s, "nesterov", 1.0 / kappa, momentum=0.9) == pytest.approx(pred, rel=0.01)


def test_complex_roots_contract_at_sqrt_beta_and_limits_hold():
    lam = [1.0, 10.0]
    assert surfaces.predicted_rate("momentum", 0.1, lam, 0.9) == pytest.approx(np.sqrt(0.9))
    assert surfaces.predicted_rate("sgd", 0.199, lam) < 1.0 < surfaces.predicted_rate("sgd", 0.201, lam)
    lim = surfaces.theory(lam, momentum=0.9)["momentum"]["limit"]
    assert surfaces.predicted_rate("momentum", 0.99 * lim, lam) < 1.0 < surfaces.predicted_rate("momentum", 1.01 * lim, lam)


def test_race_on_a_quadratic_reports_predicted_beside_measured():
    r = walkers.race(surfaces.get("quadratic", condition=10.0), steps=300)
    for name in ("sgd", "momentum", "nesterov"):
        racer = r["racers"][name]
        assert racer["measured_rate"] == pytest.approx(racer["predicted_rate"], rel=0.01)
    assert "predicted_rate" not in r["racers"]["adam"]


def test_measured_rate_ignores_the_rounding_floor_of_a_fast_run():
    """At 0.9 x 2 / lam_max the house surface's error reaches rounding (~1e-15) within ~150 of 300
    steps; the rate is read from the run before that, not from the flat floor (which reads as 1)."""
    from engine.landscape import exact
    x, y = exact.house(100, 0.05, 1)
    s = exact.linear_regression(x, y, "mse")
    lr = 0.9 * 2.0 / np.linalg.eigvalsh(s.hessian)[-1]
    r = walkers.race(s, ["sgd"], {"sgd": lr}, steps=300)["racers"]["sgd"]
    e = np.array(r["path"]) - s.minima[0]
    state = np.concatenate([e[1:], e[:-1]], axis=1)
    assert np.linalg.norm(state[-1]) < 1e-12                                   # it did reach the floor
    assert walkers.measured_rate(state, floor=0.0) > 0.95                       # the floor, read as a rate
    assert r["measured_rate"] == pytest.approx(r["predicted_rate"], abs=2e-3)  # 0.8
    assert r["predicted_rate"] == pytest.approx(0.8, abs=0.02)


@pytest.mark.parametrize("lam", [[0.0, 2.0], [-2.0, 2.0], [-1.0, 0.0]])
def test_theory_of_a_flat_or_saddle_direction_is_finite_or_none_without_a_warning(lam):
    """Issue 14 item 8: lam_1 = 0 divided by zero; a quantity that does not exist is None."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")                    # a divide-by-zero or invalid value fails
        th = surfaces.theory(lam)
    values = [th["condition"], *th["sgd"].values(), *th["momentum"].values()]
    assert all(v is None or np.isfinite(v) for v in values)
    assert th["condition"] is None and th["sgd"]["best_rate"] is None
    assert th["sgd"]["limit"] == (2.0 / lam[-1] if lam[-1] > 0 else None)
