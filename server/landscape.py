"""Loss landscapes for a session: the live slice through its network, refreshed while it trains
(liveslice.py), and one-off explorations (exact two-parameter surfaces, optimiser races, crowds of
walkers, crowds of networks). Both answer with a JSON message and a float32 surface as a binary
message."""
from __future__ import annotations

import numpy as np

from engine.landscape import networks as crowd_engine
from engine import landscape as ls
from engine.landscape import surfaces, walkers

from . import budget, messages, protocol as wire
from .errors import ProtocolError, from_engine
from .liveslice import LiveSlice, MIN_INTERVAL  # noqa: F401  (the session's live slice)


def house_data(seed: int):
    """The house prices the exact "house" surface is drawn from (server/lessons.py reads its rates)."""
    return ls.house(points=100, noise=0.05, seed=seed)


def _surface(msg, trainer):
    if msg.surface == "house":
        x, y = house_data(msg.seed)
        return ls.linear_regression(x, y, loss="mse")
    if msg.surface == "neuron":
        P, y = ls.neuron_data(seed=msg.seed)
        return ls.neuron(P, y)
    params = {"condition": msg.condition} if msg.surface == "quadratic" else {}
    return surfaces.get(msg.surface, **params)


def explore(msg, trainer, seq: int) -> tuple[dict, bytes | None, dict | None]:
    """One exploration, its surface (or None) and a notice if the budget scaled it down; raises
    ProtocolError for what cannot be done."""
    if msg.mode == "networks":
        return _networks(msg, trainer)
    try:
        s = _surface(msg, trainer)
    except ValueError as e:
        raise ProtocolError("refused", "surface", detail=str(e).partition(": ")[2] or str(e)) from None
    g = surfaces.grid(s, resolution=msg.resolution)
    hyper = {"momentum": msg.momentum}
    if msg.mode == "path":
        lr = msg.learning_rate or s.rates.get(msg.optimizer, 0.01)
        result = ls.gd_path(s, start=msg.start, lr=lr, steps=msg.steps, optimizer=msg.optimizer, **hyper) \
            if s.hessian is not None else walkers.race(s, [msg.optimizer], {msg.optimizer: lr}, msg.start,
                                                      msg.steps, **hyper)["racers"][msg.optimizer]
        if s.hessian is not None:
            result["presets"] = ls.lr_presets(s)
    elif msg.mode == "race":
        result = walkers.race(s, list(msg.rates) if msg.rates else None, msg.rates, msg.start, msg.steps, **hyper)
        if s.hessian is not None:
            result["theory"] = surfaces.theory(np.linalg.eigvalsh(s.hessian), msg.momentum)
    else:
        result = walkers.crowd(s, walkers=msg.walkers, optimizer=msg.optimizer, lr=msg.learning_rate,
                               steps=msg.steps, seed=msg.seed, **hyper)
    out = messages.exploration(msg.mode, result, s.describe(), g, seq)
    return out, messages.surface(seq, g["z"], np.float32(3e38)), None


def _networks(msg, trainer) -> tuple[dict, None, dict | None]:
    """A crowd of networks like this one, trained together within the exploration budget."""
    try:
        crowd = crowd_engine.Networks.from_trainer(trainer, models=msg.models)
    except ValueError as e:
        raise from_engine(e) from None
    P, n = trainer.network.theta.size, len(trainer.X_train)
    steps, records, least = budget.crowd_plan(msg.models, msg.steps, min(trainer.r.batch_size, n), n, P)
    if steps == 0:
        raise ProtocolError("over_budget", "explore.models", cost=least, limit=wire.LIMITS["max_explore_work"],
                            unit="networks × (batch + points) × parameters")
    notice = None
    if steps < msg.steps:
        notice = messages.error("scaled_down", "explore.steps", asked=msg.steps, used=steps,
                                limit=wire.LIMITS["max_explore_work"], unit="networks × steps × batch × parameters")
    rep = crowd.train(steps, record_every=max(1, steps // records))
    return messages.exploration("networks", rep), None, notice
