"""GET /api/lessons: the engine's lesson catalogue as the page reads it, from a real uvicorn; every
lesson's full config is one set_config the session accepts, and lands on the lesson's stage; the `infer`
message of lesson 12."""
import json
import time
import urllib.request

import numpy as np
import pytest

from engine import features, lessons
from engine import landscape as ls
from engine.config import Config
from server import protocol as wire
from server.session import Session


@pytest.fixture(scope="module")
def catalogue(live_server):
    with urllib.request.urlopen(f"http://{live_server}/api/lessons", timeout=10) as r:
        assert r.status == 200 and r.headers["content-type"] == "application/json"
        return json.loads(r.read())


def test_the_catalogue_is_the_engines_in_course_order(catalogue):
    assert [l["id"] for l in catalogue["lessons"]] == lessons.IDS
    assert [l["number"] for l in catalogue["lessons"]] == list(range(1, len(lessons.IDS) + 1))
    assert catalogue["articles"] == lessons.ARTICLES
    for l in catalogue["lessons"]:
        engine_side = lessons.get(l["id"]).to_dict()
        assert {k: l[k] for k in ("title", "caption", "source", "config", "seed", "claim")} == \
            {k: engine_side[k] for k in ("title", "caption", "source", "config", "seed", "claim")}
        assert l["caption"]["en"] and l["caption"]["zh"] and l["source"]["article"] in catalogue["articles"]


def test_full_config_is_the_defaults_with_the_lesson_and_its_seed(catalogue):
    defaults = Config().to_dict()
    for l in catalogue["lessons"]:
        full = l["full_config"]
        assert set(full) == set(defaults), l["id"]
        assert full["seed"] == l["seed"]
        for k, v in l["config"].items():
            assert full[k] == v, (l["id"], k)
        assert Config.from_dict(full).to_dict() == full


def test_house_lessons_carry_the_rates_of_the_surface_the_server_explores(catalogue):
    x, y = ls.house(points=100, noise=0.05, seed=1)
    lam = np.linalg.eigvalsh(ls.linear_regression(x, y, loss="mse").hessian)
    limit = 2 / lam[-1]
    house = [l for l in catalogue["lessons"] if (l["view"].get("landscape") or {}).get("surface") == "house"]
    assert [l["id"] for l in house] == ["cost-and-descent", "learning-rate"]
    for l in house:
        r = l["view"]["landscape"]["rates"]
        assert r["limit"] == pytest.approx(limit)
        assert r["crawl"] < r["smooth"] < r["zigzag"] < r["limit"] < r["diverge"]
        assert r["zigzag"] == pytest.approx(0.9 * limit) and r["diverge"] == pytest.approx(1.05 * limit)


def test_each_lessons_full_config_is_one_accepted_set_config(catalogue, send):
    for l in catalogue["lessons"]:
        session = Session()          # a fresh one each: rebuilds are rate-limited per session (budget.py)
        session.start()
        said = send(session, {"type": "set_config", "config": l["full_config"]})
        assert said[0]["type"] == "config", (l["id"], said)
        assert said[0]["config"] == l["full_config"], l["id"]


def test_infer_answers_every_layers_activations_and_both_times_without_moving_the_run(send):
    session = Session()
    session.start()
    send(session, {"type": "step", "n": 20})
    while session.busy:
        session.advance(time.perf_counter() + 0.01)
    session.outbox.clear()
    net = session.trainer.network
    weights = [W.copy() for W in net.W]
    step = session.trainer.step_count
    said = send(session, {"type": "infer", "point": [1.5, -2.0]})
    assert [m["type"] for m in said] == ["inference"]
    m = said[0]
    X = features.transform(np.array([[1.5, -2.0]]), session.trainer.r.features)
    assert m["activations"][-1] == pytest.approx(net.predict(X)[0].tolist())
    assert [len(a) for a in m["activations"]] == list(net.sizes)
    assert 0 < m["forward_seconds"] < m["step_seconds"] and m["step"] == step
    assert session.trainer.step_count == step and all(np.array_equal(a, b) for a, b in zip(net.W, weights))
    wire.server_adapter.validate_python(m)


@pytest.mark.parametrize("point, code", [([7, 0], "out_of_range"), ([0], "wrong_count"), ([0, "x"], None)])
def test_infer_refuses_points_off_the_plane(send, point, code):
    session = Session()
    session.start()
    session.outbox.clear()
    said = send(session, {"type": "infer", "point": point})
    assert [m["type"] for m in said] == ["error"] and said[0]["field"].startswith("point")
    if code:
        assert said[0]["code"] == code
