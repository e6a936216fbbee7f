"""The run file the page downloads and opens: engine's run file (docs/engine.md: config, data,
the CURRENT weights) plus ``resume``, the rest of the Trainer's state, so a network opened from it
continues exactly where it was: the next steps equal those of a run that never left.

``resume`` holds the step and epoch, the optimiser's slots and step count, the random generator's
state, this epoch's batch order and where in it the next batch starts, and the divergence
bookkeeping. A file without ``resume`` (e.g. from ``python -m engine``) starts at step 0 from its
weights. The page never parses the file: it saves and sends back the text as the server wrote it
(the generator's state holds integers larger than JavaScript's numbers keep exactly).
"""
from __future__ import annotations

import json

import numpy as np

from engine import Trainer

MIME = "application/json"


def snapshot(trainer: Trainer) -> dict:
    """The run file of `trainer` as it is now."""
    doc = trainer.to_run(initial=False)
    feed, opt = trainer.feed, trainer.optimizer
    pos, carry = feed.ahead[-1][2] if feed.ahead else (feed.plan.pos, feed.plan.carry)
    doc["resume"] = {
        "step": trainer.step_count, "epoch": trainer.epoch, "status": trainer.status,
        "optimizer": {"name": trainer.r.optimizer, "t": opt.t,
                      "state": {k: v.tolist() for k, v in opt.state.items()}},
        "rng": trainer.rng.bit_generator.state,
        "order": feed.order.tolist(), "pos": pos, "carry": list(carry) if carry else None,
        "best": trainer._best if np.isfinite(trainer._best) else None,
        "losses": list(trainer._losses), "checked": trainer._checked,
        "alive": trainer.alive.tolist() if trainer.frozen else None, "frozen": trainer.frozen,
    }
    return doc


def text(trainer: Trainer) -> str:
    return json.dumps(snapshot(trainer), separators=(",", ":"))


def resume(doc) -> Trainer:
    """A Trainer continuing the run file `doc`; ValueError("field: what is wrong; allowed: ...")."""
    trainer = Trainer.from_run(doc)
    state = doc.get("resume")
    if state is None:
        return trainer
    try:
        _restore(trainer, state)
    except (KeyError, TypeError, ValueError, IndexError) as e:
        raise ValueError(f"resume: does not fit this run ({type(e).__name__}: {str(e)[:80]}); "
                         "allowed: the resume section as Learnscape wrote it, or none") from None
    return trainer


def _restore(t: Trainer, s: dict) -> None:
    n = t.task.n_train
    order = np.asarray(s["order"], dtype=np.int64)
    if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
        raise ValueError(f"order must be a permutation of the {n} training points")
    step, epoch = int(s["step"]), int(s["epoch"])
    if step < 0 or epoch < 0:
        raise ValueError("step and epoch must be >= 0")
    opt = s["optimizer"]
    if opt["name"] != t.r.optimizer:
        raise ValueError(f"optimizer {opt['name']!r} is not the config's {t.r.optimizer!r}")
    for k, v in t.optimizer.state.items():
        a = np.asarray(opt["state"][k], dtype=np.float64)
        if a.shape != v.shape or not np.isfinite(a).all():
            raise ValueError(f"optimizer slot {k} must have {v.size} finite values")
        v[...] = a
    t.optimizer.t = int(opt["t"])
    rng = np.random.default_rng()
    rng.bit_generator.state = s["rng"]          # numpy checks its shape (PCG64 by default)
    t.rng = t.feed.rng = rng
    feed = t.feed
    feed.new_epoch(False)
    feed.order = order
    pos, carry = int(s["pos"]), s.get("carry")
    if not 0 <= pos <= n:
        raise ValueError(f"pos must be 0 to {n}")
    feed.plan.pos, feed.plan.carry = pos, (tuple(int(c) for c in carry) if carry else None)
    t.step_count, t.epoch = step, epoch
    t.status = "diverged" if s.get("status") == "diverged" else "ok"
    t._best = float("inf") if s.get("best") is None else float(s["best"])
    t._losses, t._checked = [float(v) for v in s.get("losses", [])], int(s.get("checked", 0))
    if s.get("frozen"):
        t.alive = np.asarray(s["alive"], dtype=np.float64).reshape(t.model.theta.shape)
        t.frozen = True
    np.copyto(t._snapshot, t.model.theta)
