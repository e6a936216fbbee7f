"""The run state: three names from engine to page, transitions only through the table, an
illegal one raises; the session's answers follow it."""
import json

import pytest

from server.messages import status
from server.nouns import Status
from server.runstate import EVENTS, TRANSITIONS, IllegalTransition, Run, RunState
from server.session import Session


def test_the_wire_names_are_the_enum_and_the_status_model_takes_exactly_them():
    assert [s.value for s in RunState] == ["paused", "running", "diverged"]
    assert set(Status.model_fields["state"].annotation.__args__) == {s.value for s in RunState}
    assert Session().hello()["run_states"] == ["paused", "running", "diverged"]


def test_every_state_and_event_pair_is_either_in_the_table_or_raises():
    for state in RunState:
        for event in EVENTS:
            run = Run()
            run.state = state
            if (state, event) in TRANSITIONS:
                assert run.fire(event) is TRANSITIONS[(state, event)]
            else:
                with pytest.raises(IllegalTransition, match=f"{event!r} is not allowed while {state.value}"):
                    run.fire(event)
                assert run.state is state                   # unchanged
    run = Run()
    with pytest.raises(IllegalTransition):
        run.fire("fly")


def test_diverged_waits_for_reset_and_reset_always_pauses():
    run = Run()
    assert run.fire("play") is RunState.RUNNING and run.fire("diverge") is RunState.DIVERGED
    assert not run.allows("play") and run.fire("reset") is RunState.PAUSED
    run.fire("play")
    assert run.fire("rebuild") is RunState.RUNNING and run.fire("restore") is RunState.PAUSED


def test_the_session_answers_in_that_vocabulary():
    s = Session()
    s.start()
    said = []
    for m in ("play", "reset", "play", "pause"):
        s.handle(json.dumps({"type": m}))
        said += [x["state"] for x in s.outbox if x["type"] == "status"]
        s.outbox.clear()
    assert said == ["running", "paused", "running", "paused"]
    assert status(RunState.DIVERGED, s.trainer)["hint"] == "hint_lower_learning_rate"
