"""The points workspace's side of the server (task ``points``, see tasks.py): its dataset message
(the points themselves) and its frame, the state as JSON (messages.frame) and its binary maps, at
resolutions scaled to the frame budget (budget.frame_plan), with a notice when they were."""
from __future__ import annotations

import numpy as np

from . import budget, messages, protocol as wire
from .jsonsafe import quiet


def dataset(trainer) -> dict:
    t = trainer
    return {"type": "dataset", "kind": t.r.kind,
            "train": np.column_stack([t.P_train, t.y_train]).tolist(),
            "test": np.column_stack([t.P_test, t.y_test]).tolist()}


def frame(session) -> tuple[dict, bytes | tuple[bytes, bytes] | None]:
    """The current state as a frame (JSON-ready dict) and its binary maps: None, the maps, or
    with a node_resolution of its own (set_view), the maps and then the output map. The
    resolutions are scaled to the frame budget (budget.frame_plan), with a notice."""
    t, net = session.trainer, session.trainer.network
    node_res, out_res = plan(session)
    with quiet():
        rep = t.report(maps=session.send_maps, resolution=node_res)
        maps = None
        if session.send_maps:
            session.seq += 1
            maps = wire.pack_grids(wire.KIND_MAPS, session.seq, rep["maps"])
            if out_res:
                output = t.maps(out_res)[-net.sizes[-1]:]
                maps = (maps, wire.pack_grids(wire.KIND_OUTPUT, session.seq, output))
    session.flow_control.sent()
    speed = session.pace.measured if session.busy else 0.0
    msg = messages.frame(rep, net, speed, session.seq if maps is not None else None)
    session._check_divergence()                     # found by evaluation, not by a step
    session.dirty = False
    return msg, maps


def plan(session) -> tuple[int, int | None]:
    net = session.trainer.network
    asked = (session.node_resolution or session.resolution,
             session.resolution if session.node_resolution and session.node_resolution != session.resolution else None)
    if not session.send_maps:
        return asked
    fitted = budget.frame_plan(*asked, net.theta.size, sum(net.sizes))
    if fitted != asked and session.frame_told != (fitted, asked):
        session.frame_told = (fitted, asked)
        session._say(messages.error("scaled_down", "view.node_resolution", asked=asked[0], used=fitted[0],
                                    limit=wire.LIMITS["max_frame_work"], unit="grid points × (parameters + nodes)"))
    return fitted
