"""Landscapes in a session: the live slice (refreshed while training, at most five a second),
explorations, and the binary surfaces that go with them."""
import json
import time

import numpy as np
import pytest

from engine.landscape import param_index
from server import protocol as wire
from server.landscape import MIN_INTERVAL
from server.session import Session


def said(s: Session):
    out = list(s.outbox)
    s.outbox.clear()
    return out


def pair(messages):
    """(JSON message, its surface as an array, or None when it moves over one sent before) for each
    message that names a surface."""
    out = []
    for i, m in enumerate(messages):
        if isinstance(m, dict) and m.get("surface_seq") is not None:
            if i + 1 == len(messages) or not isinstance(messages[i + 1], bytes):
                out.append((m, None))
                continue
            head, body = wire.unpack_grids(messages[i + 1])
            assert head["kind"] == wire.KIND_SURFACE and head["seq"] == m["surface_seq"]
            out.append((m, body[0]))
    return out


def train(s: Session, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        s.advance(time.perf_counter() + 0.005)


def test_live_slice_follows_training_and_is_rate_limited():
    s = Session()
    s.handle(json.dumps({"type": "set_landscape", "mode": "random", "resolution": 21}))
    s.handle(json.dumps({"type": "play"}))
    said(s)
    assert s.landscape_due()
    s.compute_landscapes()
    (first, grid), = pair(said(s))
    assert grid.shape == (21, 21) and np.isfinite(grid).all()
    assert len(first["x"]) == 21 and first["center"] == [0.0, 0.0]
    wire.server_adapter.validate_python(first)
    assert not s.landscape_due()                        # just computed: wait for the interval
    train(s, MIN_INTERVAL + 0.05)
    assert s.landscape_due()
    s.compute_landscapes()
    (second, again), = pair(said(s))
    wire.server_adapter.validate_python(second)
    assert second["step"] > first["step"] and second["loss_center"] < first["loss_center"]
    assert len(second["path"]) >= 2                     # the recent positions, projected


def test_the_point_moves_over_a_held_surface_until_it_leaves_the_view():
    """Issue 14 item 10: the surface stays put while the weights walk over it; it is re-centred on
    them only when they leave the view."""
    s = Session()
    s.handle(json.dumps({"type": "set_landscape", "mode": "random", "resolution": 15, "span": 2.0}))
    s.compute_landscapes()
    (first, grid), = pair(said(s))
    assert grid is not None and first["center"] == [0.0, 0.0]
    s.handle(json.dumps({"type": "step", "n": 20}))
    s.advance(time.perf_counter() + 1.0)
    s.landscape._next = 0.0
    s.compute_landscapes()
    (moved, none), = pair(said(s))
    assert none is None and moved["surface_seq"] == first["surface_seq"]    # no new surface
    assert moved["x"] == first["x"] and moved["center"] != [0.0, 0.0]      # the point moved on it
    assert max(abs(c) for c in moved["center"]) < 0.8 * 2.0
    assert moved["loss_center"] == pytest.approx(s.trainer.report()["loss_train"], rel=1e-3)
    assert moved["path"][-1] == pytest.approx(moved["center"], abs=1e-6)   # the trail ends where it is
    # the weights jump far away: the view is re-centred on them, with a new surface
    s.handle(json.dumps({"type": "set_weight", "layer": 0, "to": 0, "from": 0, "value": 40.0}))
    s.landscape._next = 0.0
    s.compute_landscapes()
    (recentred, new_grid), = pair(said(s))
    assert new_grid is not None and recentred["surface_seq"] > first["surface_seq"]
    assert recentred["center"] == [0.0, 0.0]


def test_recenter_always_centres_every_slice_on_the_weights():
    s = Session()
    s.handle(json.dumps({"type": "set_landscape", "mode": "random", "resolution": 11, "recenter": "always"}))
    s.compute_landscapes()
    (first, _), = pair(said(s))
    s.handle(json.dumps({"type": "step", "n": 20}))
    s.advance(time.perf_counter() + 1.0)
    s.landscape._next = 0.0
    s.compute_landscapes()
    (second, grid), = pair(said(s))
    assert grid is not None and second["surface_seq"] > first["surface_seq"] and second["center"] == [0.0, 0.0]


def test_a_pca_slice_holds_its_plane_while_the_weights_walk_in_it():
    s = Session()
    s.handle(json.dumps({"type": "set_landscape", "mode": "pca", "resolution": 11}))
    s.handle(json.dumps({"type": "play"}))
    train(s, 0.3)
    s.compute_landscapes()
    (first, grid), = pair(said(s))
    assert first["mode"] == "pca" and grid is not None and first["explained"][0] > 0.5
    plane = first
    for _ in range(60):                                 # until the point has moved over a plane
        train(s, 0.02)
        s.landscape._next = 0.0
        s.compute_landscapes()
        (m, g), = pair(said(s))
        if g is not None:                               # left the view early on: a new plane
            plane = m
        elif m["center"] != [0.0, 0.0]:
            break
    assert g is None and m["surface_seq"] == plane["surface_seq"] and m["explained"] == plane["explained"]
    assert m["x"] == plane["x"] and plane["x"][0] <= m["center"][0] <= plane["x"][-1]


def test_a_frozen_slice_stops_refreshing_and_pause_means_no_new_slices():
    s = Session()
    s.handle(json.dumps({"type": "set_landscape", "mode": "random", "resolution": 15}))
    s.compute_landscapes()
    said(s)
    time.sleep(MIN_INTERVAL + 0.01)
    assert not s.landscape_due()                        # nothing trained: the slice is current
    s.handle(json.dumps({"type": "set_landscape", "mode": "random", "frozen": True}))
    s.handle(json.dumps({"type": "step", "n": 50}))
    s.advance(time.perf_counter() + 0.5)
    time.sleep(MIN_INTERVAL + 0.01)
    assert not s.landscape_due()


def test_two_chosen_weights_are_the_axes_around_their_values():
    s = Session()
    refs = [{"layer": 0, "to": 1, "from": 0}, {"layer": 2, "to": 0, "from": None}]
    s.handle(json.dumps({"type": "set_landscape", "mode": "weights", "weights": refs, "span": 1.0,
                         "resolution": 11}))
    s.compute_landscapes()
    (m, grid), = pair(said(s))
    net = s.trainer.network
    assert m["mode"] == "weights"
    assert m["center"] == [net.W[0][1, 0], net.b[2][0]]
    assert np.isclose(m["x"][0], net.W[0][1, 0] - 1.0) and np.isclose(m["y"][-1], net.b[2][0] + 1.0)
    assert m["params"] == [param_index(net.sizes, 0, 1, 0), param_index(net.sizes, 2, 0, None)]
    # the middle of the grid is the network as it is: its loss there is the trainer's loss
    loss = s.trainer.report()["loss_train"]
    assert np.isclose(grid[5, 5], loss, rtol=1e-4)


def test_weights_that_do_not_exist_get_an_error_naming_them():
    s = Session()
    s.handle(json.dumps({"type": "set_landscape", "mode": "weights",
                         "weights": [{"layer": 0, "to": 7, "from": 0}, {"layer": 0, "to": 0, "from": 0}]}))
    (err,) = said(s)
    assert err["type"] == "error" and err["field"] == "weights" and "allowed" in err["message"]
    s.handle(json.dumps({"type": "set_landscape", "mode": "weights"}))
    (err,) = said(s)
    assert err["field"] == "weights"
    assert s.landscape.mode == "off"                    # nothing changed


def test_explore_path_starts_where_asked_and_reports_the_limit():
    s = Session()
    s.handle(json.dumps({"type": "explore", "mode": "path", "surface": "house", "learning_rate": 0.01,
                         "start": [1.5, -2.0], "steps": 40}))
    s.compute_landscapes()
    (m, grid), = pair(said(s))
    wire.server_adapter.validate_python(m)
    r = m["result"]
    assert r["path"][0] == [1.5, -2.0] and len(r["path"]) == 41
    assert r["regime"] in ("crawl", "smooth") and r["limit"] > 0.01
    assert grid.shape == (61, 61)


def test_explore_race_and_crowd_and_networks():
    s = Session()
    s.handle(json.dumps({"type": "explore", "mode": "race", "surface": "quadratic", "condition": 10,
                         "rates": {"sgd": 0.1, "momentum": 0.05}, "steps": 100, "resolution": 21}))
    s.compute_landscapes()
    (race, _), = pair(said(s))
    assert set(race["result"]["racers"]) == {"sgd", "momentum"}
    s.handle(json.dumps({"type": "explore", "mode": "crowd", "surface": "himmelblau", "walkers": 60,
                         "learning_rate": 0.01, "steps": 400, "resolution": 21}))
    s.compute_landscapes()
    (crowd, _), = pair(said(s))
    assert len(crowd["result"]["paths"]) == 60 and crowd["result"]["share_global"] >= 0.95   # all four are global
    s.handle(json.dumps({"type": "explore", "mode": "networks", "models": 4, "steps": 100}))
    s.compute_landscapes()
    (nets,) = said(s)                                   # no surface: JSON only
    wire.server_adapter.validate_python(nets)
    assert nets["result"]["models"] == 4 and len(nets["result"]["loss_train"]) == 4


def test_a_newer_exploration_replaces_a_waiting_one():
    s = Session()
    for lr in (0.001, 0.002, 0.003):
        s.handle(json.dumps({"type": "explore", "mode": "path", "surface": "house", "learning_rate": lr}))
    s.compute_landscapes()
    out = [m for m in said(s) if isinstance(m, dict)]
    assert len(out) == 1 and out[0]["result"]["lr"] == 0.003


def test_rebuilding_the_network_forgets_the_trajectory_and_the_weight_pair():
    s = Session()
    refs = [{"layer": 0, "to": 0, "from": 0}, {"layer": 0, "to": 0, "from": 1}]
    s.handle(json.dumps({"type": "set_landscape", "mode": "weights", "weights": refs}))
    s.handle(json.dumps({"type": "step", "n": 20}))
    s.advance(time.perf_counter() + 0.5)
    assert len(s.landscape.trajectory.array()) >= 1
    s.handle(json.dumps({"type": "set_config", "config": {"hidden": [3]}}))
    assert s.landscape.mode == "off" and len(s.landscape.trajectory.array()) == 0


def test_an_unsent_live_slice_is_replaced_by_the_newer_one_with_its_surface():
    s = Session()
    said(s)
    s.handle(json.dumps({"type": "set_landscape", "mode": "random", "resolution": 11}))
    for _ in range(3):                                  # three slices while the client reads nothing
        s.landscape.dirty, s.landscape._next = True, 0.0
        s.compute_landscapes()
        s.handle(json.dumps({"type": "step", "n": 5}))
        s.advance(time.perf_counter() + 0.5)
    items = [s.outbox.take() for _ in range(len(s.outbox))]
    # the newest message, over the surface the first one brought: the surface is still on its way
    assert [type(m) for m in items] == [dict, bytes] and items[0]["step"] == 10
    assert wire.unpack_grids(items[1])[0]["seq"] == items[0]["surface_seq"]
    # a re-centred one brings a new surface: it replaces the old message and its surface
    s.handle(json.dumps({"type": "set_landscape", "mode": "random", "resolution": 11}))
    for value in (30.0, -30.0):
        s.handle(json.dumps({"type": "set_weight", "layer": 0, "to": 0, "from": 0, "value": value}))
        s.landscape._next = 0.0
        s.compute_landscapes()
    items = [s.outbox.take() for _ in range(len(s.outbox))]
    assert [type(m) for m in items] == [dict, bytes]
    assert wire.unpack_grids(items[1])[0]["seq"] == items[0]["surface_seq"] == s.seq


def test_a_crowd_of_big_networks_is_cut_to_about_a_second_of_work():
    s = Session({"hidden": [32] * 3, "points": 1000})
    s.handle(json.dumps({"type": "explore", "mode": "networks", "models": 64, "steps": 2000}))
    started = time.perf_counter()
    s.compute_landscapes()
    took = time.perf_counter() - started
    notice, nets = said(s)
    assert 1 <= nets["result"]["step"] < 2000
    assert notice["code"] == "scaled_down" and notice["params"]["used"] == nets["result"]["step"]
    assert str(wire.LIMITS["max_explore_work"]) in notice["message"]
    assert took < 10
    s.handle(json.dumps({"type": "set_config", "config": {"hidden": [32] * 8, "points": 5000}}))
    s.outbox.clear()
    s.handle(json.dumps({"type": "explore", "mode": "networks", "models": 64, "steps": 2000}))
    s.compute_landscapes()
    (refused,) = said(s)                          # even one step is over the limit: refused at once
    assert refused["code"] == "over_budget" and refused["field"] == "explore.models"
