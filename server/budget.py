"""A session's work budget (limits in protocol.LIMITS, documented in docs/protocol.md): every
costly request is costed before it runs and scaled down to fit, with a message naming the limit.

- a training step: batch size x parameters (refused above the limit: a step cannot be split);
- a frame: grid points x (parameters + nodes), over the node maps and the output map;
- a live slice: grid points x training points x parameters;
- a crowd of networks: models x steps x batch x parameters (and its recorded losses);
- rebuilds (set_config that makes a new network, regenerate): a few a second; more wait.

Turns on the training thread are taken in order (one slice of at most a few milliseconds per
session per round), so no session gets more than its share of it.
"""
from __future__ import annotations

import math
import time

from . import protocol as wire

L = wire.LIMITS
MIN_SLICE_RESOLUTION = 11


TEXT_GATES = {"rnn": 1, "gru": 3, "lstm": 4, "mlp": 1, "bigram": 0}     # hidden x hidden products per character


def text_step_cost(config) -> int:
    """A text step's work, roughly: batch x seq_len x (gates x hidden^2 + 2 x hidden x 256)."""
    h = config.hidden[0] if config.hidden else 0
    return config.batch_size * config.seq_len * (TEXT_GATES.get(config.model, 4) * h * h + 2 * h * 256 + 256 * 256)


def step_cost(config) -> int:
    """A training step's work: batch size x parameters (of an engine Config)."""
    sizes = config.resolved().sizes()
    return config.batch_size * sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))


def check_step(config, field: str = "config.batch_size") -> None:
    """A turn on the training thread is a few milliseconds; one step must fit in it."""
    from .errors import ProtocolError, value_range
    if config.task == "text":
        cost = text_step_cost(config)
        if cost > L["max_text_step_work"]:
            raise ProtocolError("over_budget", field, cost=cost, limit=L["max_text_step_work"],
                                unit="batch × sequence length × hidden² work per step")
        return
    if any(w > L["max_neurons"] for w in config.hidden):          # the schema allows text's widths
        raise ProtocolError("out_of_range", "config.hidden", got=str(max(config.hidden)),
                            range=value_range(1, L["max_neurons"]))
    cost = step_cost(config)
    if cost > L["max_step_work"]:
        raise ProtocolError("over_budget", field, cost=cost, limit=L["max_step_work"],
                            unit="batch size × parameters per step")


def frame_cost(resolution: int, output_resolution: int | None, params: int, nodes: int) -> int:
    cost = resolution * resolution * (params + nodes)
    if output_resolution:
        cost += output_resolution * output_resolution * params
    return cost


def fit_resolution(asked: int, fixed_cost: int, per_point: int, limit: int, lowest: int) -> int:
    """The highest resolution <= asked whose cost (fixed + R^2 x per_point) fits the limit."""
    if fixed_cost + asked * asked * per_point <= limit:
        return asked
    room = max(limit - fixed_cost, 0) / max(per_point, 1)
    return max(lowest, min(asked, int(math.isqrt(int(room)))))


def frame_plan(node_res: int, output_res: int | None, params: int, nodes: int) -> tuple[int, int | None]:
    """(node resolution, output resolution) scaled to the frame limit: the node maps give way
    first (they are thumbnails), then the output map."""
    limit = L["max_frame_work"]
    out_cost = output_res * output_res * params if output_res else 0
    node_res2 = fit_resolution(node_res, out_cost, params + nodes, limit, 4)
    if output_res and frame_cost(node_res2, output_res, params, nodes) > limit:
        output_res = fit_resolution(output_res, node_res2 ** 2 * (params + nodes), params, limit,
                                    L["min_grid_resolution"])
    return node_res2, output_res


def slice_plan(resolution: int, points: int, params: int) -> tuple[int, int]:
    """(resolution, training points) of a live slice within the slice limit."""
    limit = L["max_slice_work"]
    res = fit_resolution(resolution, 0, points * params, limit, MIN_SLICE_RESOLUTION)
    if res * res * points * params > limit:
        points = max(1, limit // (res * res * params))
    return res, points


def crowd_plan(models: int, steps: int, batch: int, points: int, params: int) -> tuple[int, int, int]:
    """(steps, recorded losses, cost of the least it could do) of a crowd of networks within the
    exploration limit: steps = 0 when even one step and one recorded loss are over it."""
    limit = L["max_explore_work"]
    least = models * (batch + points) * params
    if least > limit:
        return 0, 0, least
    steps = max(1, min(steps, (limit - models * points * params) // max(models * batch * params, 1)))
    records = max(1, min(50, steps, limit // max(models * points * params, 1)))
    return steps, records, least


class RebuildLimit:
    """At most `rate` rebuilds a second (a token bucket holding one second's worth)."""

    def __init__(self, rate: float = L["max_rebuilds_per_second"]):
        self.rate, self.tokens, self.at = rate, float(rate), time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
        self.at = now

    def ready(self) -> bool:
        self._refill()
        return self.tokens >= 1

    def take(self) -> None:
        self._refill()
        self.tokens -= 1

    def wait(self) -> float:
        """Seconds until the next rebuild may run."""
        self._refill()
        return max(0.0, (1 - self.tokens) / self.rate)
