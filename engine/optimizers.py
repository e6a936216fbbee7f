"""Optimisers over one flat parameter vector, keyed by wire name.

Each keeps its state in flat arrays and exposes it keyed by parameter name (``state_by_name``),
so swapping sgd for adam never touches the network. Hyper-parameters (momentum, beta1, beta2,
eps) are plain attributes that may change between steps without losing state.
"""
from __future__ import annotations

import numpy as np


class Optimizer:
    name = ""
    slots: tuple[str, ...] = ()

    def __init__(self, size: int, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8):
        self.momentum, self.beta1, self.beta2, self.eps = momentum, beta1, beta2, eps
        self.t = 0
        self.state = {slot: np.zeros(size) for slot in self.slots}
        self._tmp = np.empty(size)

    def update(self, theta: np.ndarray, g: np.ndarray, lr: float, mask=None) -> None:
        """theta -= lr * direction(g), in place; entries where mask is 0 stay frozen."""
        self.t += 1
        d = np.multiply(self.direction(g), lr, self._tmp)
        if mask is not None:
            d *= mask
        np.subtract(theta, d, theta)

    def direction(self, g: np.ndarray) -> np.ndarray:
        """The step before the learning rate; may be g or the state itself (read, never written)."""
        raise NotImplementedError

    def state_by_name(self, layout: dict[str, slice]) -> dict[str, dict[str, np.ndarray]]:
        """{parameter name: {slot: view}} for inspection and saving."""
        return {p: {s: self.state[s][sl] for s in self.slots} for p, sl in layout.items()}

    def reset(self) -> None:
        self.t = 0
        for v in self.state.values():
            v.fill(0.0)


class SGD(Optimizer):
    name = "sgd"

    def direction(self, g):
        return g


class Momentum(Optimizer):
    """Heavy ball: z <- beta z + g; w <- w - lr z."""

    name, slots = "momentum", ("velocity",)

    def direction(self, g):
        z = self.state["velocity"]
        z *= self.momentum
        z += g
        return z


class Nesterov(Optimizer):
    """z <- beta z + g; w <- w - lr (g + beta z)  (look-ahead form)."""

    name, slots = "nesterov", ("velocity",)

    def direction(self, g):
        z = self.state["velocity"]
        z *= self.momentum
        z += g
        np.multiply(z, self.momentum, out=self._tmp)
        self._tmp += g
        return self._tmp


class RMSProp(Optimizer):
    """s <- rho s + (1 - rho) g^2; w <- w - lr g / (sqrt(s) + eps); rho is beta2 (default 0.9 here)."""

    name, slots = "rmsprop", ("square",)

    def __init__(self, size, momentum=0.9, beta1=0.9, beta2=0.9, eps=1e-8):
        super().__init__(size, momentum, beta1, beta2, eps)

    def direction(self, g):
        s = self.state["square"]
        s *= self.beta2
        np.multiply(g, g, out=self._tmp)
        self._tmp *= 1.0 - self.beta2
        s += self._tmp
        np.sqrt(s, out=self._tmp)
        self._tmp += self.eps
        np.divide(g, self._tmp, out=self._tmp)
        return self._tmp


class Adam(Optimizer):
    name, slots = "adam", ("m", "v")

    def direction(self, g):
        m, v = self.state["m"], self.state["v"]
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        mhat = 1.0 / (1.0 - self.beta1 ** self.t)
        vhat = 1.0 / (1.0 - self.beta2 ** self.t)
        np.multiply(v, vhat, out=self._tmp)
        np.sqrt(self._tmp, out=self._tmp)
        self._tmp += self.eps
        np.divide(m, self._tmp, out=self._tmp)
        self._tmp *= mhat
        return self._tmp


OPTIMIZERS = {o.name: o for o in (SGD, Momentum, Nesterov, RMSProp, Adam)}


def hyperparameters(config) -> dict:
    """momentum, beta1 and beta2 from a config (engine.Config's fields). RMSProp keeps its own
    rho (0.9) while beta2 is at the config's default, which is Adam's (0.999): beta2 None."""
    beta2 = None if config.optimizer == "rmsprop" and config.beta2 == 0.999 else config.beta2
    return {"momentum": config.momentum, "beta1": config.beta1, "beta2": beta2}


def make(name: str, size: int, **hyper) -> Optimizer:
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer: unknown {name!r}; allowed: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name](size, **{k: v for k, v in hyper.items() if v is not None})


# -- learning-rate schedules, by epoch ---------------------------------------------------------
def scheduled_rate(schedule: str, lr: float, epoch: float, *, gamma=0.5, step_size=100,
                   decay=0.01, period=1000) -> float:
    """The learning rate in force at `epoch` under `schedule`.

    constant: lr; step: lr * gamma ** floor(epoch / step_size); exponential: lr * exp(-decay epoch);
    cosine: lr * (1 + cos(pi * min(epoch, period) / period)) / 2.
    """
    if schedule == "constant":
        return lr
    if schedule == "step":
        return lr * gamma ** np.floor(epoch / step_size)
    if schedule == "exponential":
        return lr * float(np.exp(-decay * epoch))
    if schedule == "cosine":
        return lr * 0.5 * (1.0 + np.cos(np.pi * min(epoch, period) / period))
    raise ValueError(f"schedule: unknown {schedule!r}; allowed: {', '.join(SCHEDULES)}")


SCHEDULES = ["constant", "step", "exponential", "cosine"]
