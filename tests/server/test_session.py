"""Session logic without a socket: what each client verb does to the run, live versus rebuilding
config changes, divergence and recovery, and the bounds on what a session holds."""
import json
import time

import numpy as np
import pytest

from server import protocol as wire
from server.session import DEFAULT_SPEED, MAX_OUTBOX, MIN_FRAME_GAP, Session

DIVERGING = {"dataset": "reg-plane", "learning_rate": 10, "hidden": [8] * 6, "activation": "relu"}


def frame_of(session):
    message, maps = session.frame()
    json.dumps(message, allow_nan=False)                 # always valid JSON
    return message, maps


def test_start_says_hello_dataset_and_paused():
    s = Session()
    hello, dataset, status = s.start()
    assert hello["type"] == "hello" and hello["protocol_version"] == wire.PROTOCOL_VERSION
    assert hello["config"] == s.trainer.config.to_dict()
    assert hello["limits"] == wire.LIMITS
    assert "circle" in [d["name"] for d in hello["datasets"]] and "relu" in hello["activations"]
    assert "adam" in hello["optimizers"]
    assert dataset["type"] == "dataset" and dataset["kind"] == "classification"
    assert len(dataset["train"]) + len(dataset["test"]) == 500
    assert all(len(p) == 3 for p in dataset["train"])
    assert status == {"type": "status", "state": "paused", "step": 0}


def test_play_trains_and_pause_stops(session, send, run_until):
    assert send(session, {"type": "play"}) == [{"type": "status", "state": "running", "step": 0}]
    assert session.busy
    run_until(session, lambda: session.trainer.step_count >= 100)
    frame, _ = frame_of(session)
    assert frame["step"] == session.trainer.step_count >= 100
    said = send(session, {"type": "pause"})
    assert said == [{"type": "status", "state": "paused", "step": frame["step"]}]
    assert not session.busy
    session.advance(time.perf_counter() + 0.05)
    assert session.trainer.step_count == frame["step"]


def test_step_runs_exactly_n_even_across_deadlines(session, send, run_until):
    send(session, {"type": "step", "n": 3})
    session.advance(time.perf_counter() + 1)
    assert session.trainer.step_count == 3 and not session.busy
    send(session, {"type": "step", "n": 5000})
    session.advance(time.perf_counter() + 0.002)         # cut short by the deadline...
    assert 3 < session.trainer.step_count < 5003
    assert session.busy                                  # ...the rest is still owed
    run_until(session, lambda: not session.busy)
    assert session.trainer.step_count == 5003


def test_steps_asked_for_are_capped(session, send):
    for _ in range(3):
        send(session, {"type": "step", "n": wire.LIMITS["max_steps_per_request"]})
    assert session.pending_steps == wire.LIMITS["max_steps_per_request"]


def test_reset_restores_the_initial_weights(session, send, run_until):
    first, _ = frame_of(session)
    send(session, {"type": "step", "n": 200})
    run_until(session, lambda: not session.busy)
    trained, _ = frame_of(session)
    assert trained["weights"] != first["weights"]
    assert send(session, {"type": "reset"}) == [{"type": "status", "state": "paused", "step": 0}]
    again, _ = frame_of(session)
    assert again["step"] == 0 and again["epoch"] == 0
    assert again["weights"] == first["weights"]


def test_regenerate_new_data_and_a_fresh_run(session, send):
    before = session.dataset_message()
    said = send(session, {"type": "regenerate"})
    assert [m["type"] for m in said] == ["config", "dataset", "status"]
    assert said[0]["config"]["seed"] == 2 and said[0]["applied"] == "rebuild"
    assert said[1]["train"] != before["train"]
    said = send(session, {"type": "regenerate", "seed": 1})
    assert said[1]["train"] == before["train"]           # the seed makes the data


def test_set_weight_and_bias(session, send):
    assert send(session, {"type": "set_weight", "layer": 0, "to": 1, "from": 0, "value": 2.5}) == []
    assert send(session, {"type": "set_weight", "layer": 1, "to": 0, "value": -0.75}) == []
    frame, _ = frame_of(session)
    assert frame["weights"][0]["W"][1][0] == 2.5
    assert frame["weights"][1]["b"][0] == -0.75
    said = send(session, {"type": "set_weight", "layer": 5, "to": 0, "value": 1})
    assert said[0]["type"] == "error" and said[0]["field"] == "layer" and "0 ≤ x ≤ 2" in said[0]["message"]
    assert said[0]["code"] == "out_of_range" and said[0]["params"] == {"got": "5", "range": "0 ≤ x ≤ 2"}
    said = send(session, {"type": "set_weight", "layer": 0, "to": 9, "from": 0, "value": 1})
    assert said[0]["type"] == "error" and said[0]["field"] == "to"


def test_set_speed_paces_training(session, send, run_until):
    send(session, {"type": "set_speed", "steps_per_second": 400})
    send(session, {"type": "play"})
    started = time.perf_counter()
    run_until(session, lambda: time.perf_counter() - started > 0.5)
    paced = session.trainer.step_count
    assert 100 < paced < 400                             # ~200 in half a second
    send(session, {"type": "set_speed", "steps_per_second": 0})
    started, before = time.perf_counter(), session.trainer.step_count
    run_until(session, lambda: time.perf_counter() - started > 0.5)
    assert session.trainer.step_count - before > 4 * paced   # as fast as it goes


def test_frames_report_the_measured_speed(session, send):
    send(session, {"type": "play"})
    started = time.perf_counter()
    while time.perf_counter() - started < 1.0:
        session.advance(time.perf_counter() + 0.01)
        time.sleep(0.005)
    frame, _ = frame_of(session)
    assert 0.5 * DEFAULT_SPEED < frame["steps_per_second"] < 1.5 * DEFAULT_SPEED
    send(session, {"type": "pause"})
    frame, _ = frame_of(session)
    assert frame["steps_per_second"] == 0.0


def test_set_view_resolution_and_maps(session, send):
    frame, maps = frame_of(session)
    header, grids = wire.unpack_grids(maps)
    assert grids.shape == (2 + 4 + 2 + 1, 50, 50)        # inputs, hidden 4 and 2, the output
    assert header["seq"] == frame["maps_seq"]
    assert np.isfinite(grids).all() and (np.abs(grids[-1]) <= 1).all()   # a tanh output
    send(session, {"type": "set_view", "grid_resolution": 20})
    frame, maps = frame_of(session)
    header, grids = wire.unpack_grids(maps)
    assert grids.shape == (9, 20, 20) and header["seq"] == frame["maps_seq"]
    send(session, {"type": "set_view", "maps": False})
    frame, maps = frame_of(session)
    assert maps is None and frame["maps_seq"] is None


def test_learning_rate_applies_live_and_keeps_the_run(session, send, run_until):
    send(session, {"type": "step", "n": 300})
    run_until(session, lambda: not session.busy)
    before, _ = frame_of(session)
    said = send(session, {"type": "set_config", "config": {"learning_rate": 0.3, "momentum": 0.5,
                                                            "batch_size": 5, "reg_rate": 0.001}})
    assert [m["type"] for m in said] == ["config"]
    assert said[0]["applied"] == "live" and said[0]["config"]["learning_rate"] == 0.3
    after, _ = frame_of(session)
    assert after["step"] == before["step"] == 300
    assert after["weights"] == before["weights"]
    assert after["learning_rate"] == 0.3
    send(session, {"type": "step", "n": 10})
    run_until(session, lambda: not session.busy)
    assert frame_of(session)[0]["step"] == 310


def test_hidden_rebuilds(session, send, run_until):
    send(session, {"type": "step", "n": 50})
    run_until(session, lambda: not session.busy)
    said = send(session, {"type": "set_config", "config": {"hidden": [5, 3, 2]}})
    assert [m["type"] for m in said] == ["config", "status"]     # same data: no dataset message
    assert said[0]["applied"] == "rebuild" and said[1]["step"] == 0
    frame, maps = frame_of(session)
    assert frame["step"] == 0
    assert [np.shape(layer["W"]) for layer in frame["weights"]] == [(5, 2), (3, 5), (2, 3), (1, 2)]
    assert wire.unpack_grids(maps)[1].shape[0] == 2 + 5 + 3 + 2 + 1


def test_dataset_change_sends_the_new_points(session, send):
    said = send(session, {"type": "set_config", "config": {"dataset": "blobs", "points": 300}})
    assert [m["type"] for m in said] == ["config", "dataset", "status"]
    assert said[1]["kind"] == "multiclass" and len(said[1]["train"]) + len(said[1]["test"]) == 300


def test_unchanged_config_is_applied_as_none(session, send):
    said = send(session, {"type": "set_config", "config": {"learning_rate": 0.03}})
    assert said[0]["applied"] == "none"


@pytest.mark.parametrize("patch, field", [
    ({"points": 1, "train_ratio": 0.1}, "config.points"),          # refused half-way through a rebuild
    ({"features": ["x1", "x1"], "activation": "linear"}, "config.features"),   # refused up front
])
def test_a_refused_change_leaves_the_run_as_it_was(session, send, run_until, patch, field):
    send(session, {"type": "step", "n": 40})
    run_until(session, lambda: not session.busy)
    before, _ = frame_of(session)
    said = send(session, {"type": "set_config", "config": patch})
    assert said[0]["type"] == "error" and said[0]["field"] == field
    assert session.trainer.config.to_dict() == Session().trainer.config.to_dict()
    after, _ = frame_of(session)
    assert after["step"] == 40 and after["weights"] == before["weights"]
    send(session, {"type": "set_config", "config": {"learning_rate": 0.3}})
    send(session, {"type": "step", "n": 300})
    run_until(session, lambda: not session.busy)
    trained, _ = frame_of(session)
    assert trained["step"] == 340
    assert trained["weights"] != after["weights"]                   # it still learns...
    assert trained["loss_train"] < after["loss_train"]              # ...and the loss falls


def test_engine_checks_reach_the_client_as_errors(session, send):
    said = send(session, {"type": "set_config", "config": {"dataset": "blobs", "output": "tanh"}})
    assert said == [{"type": "error", "code": "needs_softmax", "field": "config.output", "setting": "output",
                     "message": "Output activation: multi-class data needs softmax; got 'tanh'",
                     "params": {"got": "'tanh'"}}]
    assert session.trainer.config.dataset == "circle"


def test_divergence_is_a_status_with_step_and_hint_and_reset_recovers(session, send, drain, run_until):
    send(session, {"type": "set_config", "config": DIVERGING})
    send(session, {"type": "set_speed", "steps_per_second": 0})
    send(session, {"type": "play"})
    said = []
    end = time.perf_counter() + 10
    while time.perf_counter() < end and not any(m.get("state") == "diverged" for m in said):
        session.advance(time.perf_counter() + 0.005)
        frame_of(session)
        said += drain(session)
    status = next(m for m in said if m.get("state") == "diverged")
    assert status["hint"] == "hint_lower_learning_rate"
    assert 0 < status["step"] == session.trainer.diverged_at
    assert not session.playing and not session.busy
    frame, maps = frame_of(session)                      # NaN/inf become null, never invalid JSON
    # the engine stops a loss grown 1e6-fold (finite) or a non-finite one (null on the wire)
    assert frame["loss_train"] is None or frame["loss_train"] > 1e3
    json.dumps(frame, allow_nan=False)
    # play is refused while diverged; reset clears it and the run trains again
    assert send(session, {"type": "play"})[0]["state"] == "diverged"
    assert send(session, {"type": "reset"}) == [{"type": "status", "state": "paused", "step": 0}]
    send(session, {"type": "set_config", "config": {"learning_rate": 0.01}})
    start, _ = frame_of(session)
    send(session, {"type": "play"})
    run_until(session, lambda: session.trainer.step_count >= 600)
    end, _ = frame_of(session)
    assert end["step"] >= 600 and end["loss_train"] < start["loss_train"]


def test_loss_falls_on_the_default_run(session, send, run_until):
    start, _ = frame_of(session)
    send(session, {"type": "set_config", "config": {"learning_rate": 0.1}})
    send(session, {"type": "step", "n": 2000})
    run_until(session, lambda: not session.busy)
    end, _ = frame_of(session)
    assert end["loss_train"] < 0.5 * start["loss_train"]


def test_binary_messages_are_refused(session, send):
    said = send(session, b"\x00\x01")
    assert said[0]["type"] == "error" and said[0]["field"] == "message"


def test_outbox_is_bounded_and_keeps_one_dataset(session):
    for i in range(5):
        session.handle(json.dumps({"type": "regenerate", "seed": i}))
    assert [m["type"] for m in session.outbox].count("dataset") == 1
    for _ in range(MAX_OUTBOX * 3):
        session.handle("not json")
    assert len(session.outbox) == MAX_OUTBOX


@pytest.mark.parametrize("message", [{"type": "pause"}, {"type": "reset"}, {"type": "set_view", "maps": True}])
def test_harmless_verbs_on_a_fresh_session(session, message, send):
    said = send(session, message)
    assert all(m["type"] != "error" for m in said)


def test_flow_control_holds_frames_until_acknowledged(session, send):
    send(session, {"type": "set_view", "flow": 2})
    assert session.frame_allowed
    frame_of(session)
    frame_of(session)
    assert not session.frame_allowed                     # two out, none acknowledged
    send(session, {"type": "ack"})
    assert not session.frame_allowed                     # and never faster than about 75 a second
    time.sleep(MIN_FRAME_GAP)
    assert session.frame_allowed
    send(session, {"type": "set_view", "flow": 0})
    frame_of(session), frame_of(session), frame_of(session)
    assert session.frame_allowed                         # off: no acks expected


def test_node_thumbnails_at_their_own_resolution_and_the_output_map_after(session, send):
    send(session, {"type": "set_view", "grid_resolution": 60, "node_resolution": 12})
    frame, maps = frame_of(session)
    nodes, output = maps
    (h1, g1), (h2, g2) = wire.unpack_grids(nodes), wire.unpack_grids(output)
    assert g1.shape == (9, 12, 12) and h1["kind"] == wire.KIND_MAPS
    assert g2.shape == (1, 60, 60) and h2["kind"] == wire.KIND_OUTPUT
    assert h1["seq"] == h2["seq"] == frame["maps_seq"]
    # the same function at two resolutions: the corners of the grid agree
    assert np.allclose(g1[-1][[0, 0, -1, -1], [0, -1, 0, -1]], g2[0][[0, 0, -1, -1], [0, -1, 0, -1]], atol=1e-6)
