"""The optimiser rules, keyed by wire name: one rule set on parameter arrays of any shape.

The Trainer updates one flat vector (P,), the walkers of engine.landscape a matrix of points
(N, 2), the crowd of networks a flat vector of M models: every rule is elementwise, and the
learning rate is a number or an array that broadcasts against the parameters (one rate per walker
or per model). Each optimiser keeps its state in arrays shaped like the parameters
(``state``, keyed by slot; ``state_by_name`` for a flat vector's named parameters).
Hyper-parameters (momentum, beta1, beta2, eps) are plain attributes that may change between steps
without losing state. Their defaults are decided here, once (``DEFAULTS``; RMSProp's rho is its
beta2, 0.9 by default, see ``hyperparameters``).

    sgd       d = g
    momentum  z <- beta z + g;                       d = z         (heavy ball)
    nesterov  z <- beta z + g;                       d = g + beta z (look-ahead form)
    rmsprop   s <- rho s + (1 - rho) g^2;            d = g / (sqrt(s) + eps)
    adam      m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
              d = (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
    then      w <- w - lr d   (entries where mask is 0 stay frozen)
"""
from __future__ import annotations

import numpy as np

from .registry import lookup

DEFAULTS = {"momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
RMSPROP_RHO = 0.9


class Optimizer:
    name = ""
    slots: tuple[str, ...] = ()
    beta2_default = DEFAULTS["beta2"]

    def __init__(self, shape, momentum=None, beta1=None, beta2=None, eps=None):
        """shape: the parameters' shape (an int for a flat vector); a hyper-parameter left None
        takes its default."""
        self.shape = (int(shape),) if np.ndim(shape) == 0 else tuple(shape)
        self.momentum = DEFAULTS["momentum"] if momentum is None else momentum
        self.beta1 = DEFAULTS["beta1"] if beta1 is None else beta1
        self.beta2 = self.beta2_default if beta2 is None else beta2
        self.eps = DEFAULTS["eps"] if eps is None else eps
        self.t = 0
        self.state = {slot: np.zeros(self.shape) for slot in self.slots}
        self._tmp = np.empty(self.shape)
        self._d = np.empty(self.shape)

    def update(self, theta: np.ndarray, g: np.ndarray, lr, mask=None) -> None:
        """theta -= lr * direction(g), in place; lr a number or an array broadcasting against
        theta; entries where mask is 0 stay frozen."""
        self.t += 1
        d = np.multiply(self.direction(g), lr, self._d)
        if mask is not None:
            d *= mask
        np.subtract(theta, d, theta)

    def direction(self, g: np.ndarray) -> np.ndarray:
        """The step before the learning rate; may be g or the state itself (read, never written)."""
        raise NotImplementedError

    def state_by_name(self, layout: dict[str, slice]) -> dict[str, dict[str, np.ndarray]]:
        """{parameter name: {slot: view}} for inspection and saving (a flat vector's state)."""
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
    name, slots = "momentum", ("velocity",)

    def direction(self, g):
        z = self.state["velocity"]
        z *= self.momentum
        z += g
        return z


class Nesterov(Momentum):
    name = "nesterov"

    def direction(self, g):
        z = super().direction(g)
        np.multiply(z, self.momentum, out=self._tmp)
        self._tmp += g
        return self._tmp


class RMSProp(Optimizer):
    name, slots = "rmsprop", ("square",)
    beta2_default = RMSPROP_RHO

    def direction(self, g):
        s, tmp = self.state["square"], self._tmp
        s *= self.beta2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - self.beta2
        s += tmp
        np.sqrt(s, out=tmp)
        tmp += self.eps
        return np.divide(g, tmp, out=tmp)


class Adam(Optimizer):
    name, slots = "adam", ("m", "v")

    def direction(self, g):
        m, v, tmp = self.state["m"], self.state["v"], self._tmp
        m *= self.beta1
        np.multiply(g, 1.0 - self.beta1, out=tmp)
        m += tmp
        v *= self.beta2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - self.beta2
        v += tmp
        np.multiply(v, 1.0 / (1.0 - self.beta2 ** self.t), out=tmp)
        np.sqrt(tmp, out=tmp)
        tmp += self.eps
        np.divide(m, tmp, out=tmp)
        tmp *= 1.0 / (1.0 - self.beta1 ** self.t)
        return tmp


OPTIMIZERS = {o.name: o for o in (SGD, Momentum, Nesterov, RMSProp, Adam)}


def hyperparameters(config) -> dict:
    """momentum, beta1 and beta2 from a config (engine.Config's fields). RMSProp keeps its own
    rho while beta2 is at the config's default, which is Adam's: beta2 None (the optimiser's own)."""
    beta2 = None if config.optimizer == "rmsprop" and config.beta2 == DEFAULTS["beta2"] else config.beta2
    return {"momentum": config.momentum, "beta1": config.beta1, "beta2": beta2}


def make(name: str, shape, **hyper) -> Optimizer:
    """The optimiser `name` for parameters of `shape` (an int: a flat vector)."""
    return lookup("optimizer", name, OPTIMIZERS)(shape, **hyper)


# the schedules' old home; engine.schedules is theirs (kept for server/, which still reads them here)
from .schedules import SCHEDULES  # noqa: E402,F401
