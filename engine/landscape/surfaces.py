"""Classic 2-D test surfaces for optimiser races and crowds, keyed by wire name.

Every surface evaluates many points at once: ``value(P)`` maps P (..., 2) to (...) and
``gradient(P)`` maps P (..., 2) to (..., 2). ``get(name, **params)`` builds one; ``grid`` samples
one for drawing. The quadratic's theory (convergence limits and rates of gradient descent and
heavy-ball momentum) lives here too, so the measured rate of a race can stand beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..registry import lookup


@dataclass
class Surface:
    name: str
    value: Callable[[np.ndarray], np.ndarray]          # P (..., 2) -> (...)
    gradient: Callable[[np.ndarray], np.ndarray]       # P (..., 2) -> (..., 2)
    extent: tuple[float, float, float, float]          # x0, x1, y0, y1 of the drawn square
    minima: np.ndarray                                 # (k, 2) known minima, global ones first
    global_value: float | None                         # f at the global minimum (None: unbounded)
    start: tuple[float, float]                         # where races begin
    rates: dict[str, float]                            # a learning rate per optimiser that works
    hessian: np.ndarray | None = None                  # (2, 2) when constant (quadratics)
    params: dict = field(default_factory=dict)
    log_scale: bool = True                             # colour by log(f - min) reads better

    def describe(self) -> dict:
        """What a page needs to draw and label it, as plain lists and numbers."""
        out = {"name": self.name, "params": self.params, "extent": list(self.extent),
               "minima": self.minima.tolist(), "global_value": self.global_value,
               "start": list(self.start), "rates": dict(self.rates), "log_scale": self.log_scale}
        if self.hessian is not None:
            lam = np.linalg.eigvalsh(self.hessian)
            out["eigenvalues"] = lam.tolist()
            out["limits"] = {"sgd": 2.0 / lam[-1], "momentum": 2.0 * (1.0 + 0.9) / lam[-1]}
        return out


def _xy(P):
    P = np.asarray(P, dtype=np.float64)
    return P[..., 0], P[..., 1]


def quadratic(condition: float = 10.0, angle: float = 0.0) -> Surface:
    """f = 1/2 p^T H p, H with eigenvalues 1 and `condition` (kappa), turned by `angle` radians."""
    kappa = float(condition)
    if not kappa >= 1.0:
        raise ValueError(f"condition: must be at least 1; got {condition!r}")
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    H = R @ np.diag([1.0, kappa]) @ R.T

    def value(P):
        P = np.asarray(P, dtype=np.float64)
        return 0.5 * np.einsum("...i,ij,...j->...", P, H, P)

    def gradient(P):
        return np.asarray(P, dtype=np.float64) @ H

    rates = {"sgd": 1.0 / kappa, "momentum": 0.5 / kappa, "nesterov": 0.5 / kappa,
             "rmsprop": 0.05, "adam": 0.1}
    return Surface("quadratic", value, gradient, (-3.0, 3.0, -3.0, 3.0), np.zeros((1, 2)), 0.0,
                   (-2.5, 1.5), rates, H, {"condition": kappa, "angle": float(angle)})


def rosenbrock() -> Surface:
    """(1 - x)^2 + 100 (y - x^2)^2: a curved valley, minimum 0 at (1, 1)."""
    def value(P):
        x, y = _xy(P)
        return (1 - x) ** 2 + 100.0 * (y - x * x) ** 2

    def gradient(P):
        x, y = _xy(P)
        r = y - x * x
        return np.stack([-2.0 * (1 - x) - 400.0 * x * r, 200.0 * r], axis=-1)

    rates = {"sgd": 0.001, "momentum": 0.0005, "nesterov": 0.0005, "rmsprop": 0.005, "adam": 0.05}
    return Surface("rosenbrock", value, gradient, (-2.0, 2.0, -1.0, 3.0), np.array([[1.0, 1.0]]),
                   0.0, (-1.2, 1.0), rates)


_BEALE_C = (1.5, 2.25, 2.625)


def beale() -> Surface:
    """sum_i (c_i - x + x y^i)^2, c = 1.5, 2.25, 2.625: flat plateaus and steep rims; min 0 at (3, 0.5)."""
    def value(P):
        x, y = _xy(P)
        return sum((c - x + x * y ** i) ** 2 for i, c in enumerate(_BEALE_C, 1))

    def gradient(P):
        x, y = _xy(P)
        gx = gy = 0.0
        for i, c in enumerate(_BEALE_C, 1):
            r = c - x + x * y ** i
            gx = gx + 2.0 * r * (y ** i - 1.0)
            gy = gy + 2.0 * r * i * x * y ** (i - 1)
        return np.stack([gx, gy], axis=-1)

    rates = {"sgd": 0.005, "momentum": 0.001, "nesterov": 0.001, "rmsprop": 0.01, "adam": 0.05}
    return Surface("beale", value, gradient, (-4.5, 4.5, -4.5, 4.5), np.array([[3.0, 0.5]]), 0.0,
                   (1.0, 1.4), rates)


HIMMELBLAU_MINIMA = np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186],
                              [3.584428, -1.848126]])


def himmelblau() -> Surface:
    """(x^2 + y - 11)^2 + (x + y^2 - 7)^2: four minima with f = 0, a maximum near (-0.27, -0.92)."""
    def value(P):
        x, y = _xy(P)
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def gradient(P):
        x, y = _xy(P)
        a, b = x * x + y - 11, x + y * y - 7
        return np.stack([4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b], axis=-1)

    rates = {"sgd": 0.01, "momentum": 0.002, "nesterov": 0.002, "rmsprop": 0.02, "adam": 0.1}
    return Surface("himmelblau", value, gradient, (-5.0, 5.0, -5.0, 5.0), HIMMELBLAU_MINIMA.copy(),
                   0.0, (-0.3, -0.3), rates)


def saddle() -> Surface:
    """x^2 - y^2: no minimum; gradient descent slows near the saddle point and then escapes."""
    def value(P):
        x, y = _xy(P)
        return x * x - y * y

    def gradient(P):
        x, y = _xy(P)
        return np.stack([2.0 * x, -2.0 * y], axis=-1)

    rates = {"sgd": 0.05, "momentum": 0.01, "nesterov": 0.01, "rmsprop": 0.01, "adam": 0.02}
    return Surface("saddle", value, gradient, (-2.0, 2.0, -2.0, 2.0), np.zeros((0, 2)), None,
                   (-1.8, 0.01), rates, np.diag([2.0, -2.0]), log_scale=False)


def rastrigin() -> Surface:
    """20 + sum (x_i^2 - 10 cos 2 pi x_i): a bowl covered in local minima; global 0 at (0, 0)."""
    def value(P):
        x, y = _xy(P)
        return 20.0 + x * x + y * y - 10.0 * (np.cos(2 * np.pi * x) + np.cos(2 * np.pi * y))

    def gradient(P):
        x, y = _xy(P)
        k = 20.0 * np.pi
        return np.stack([2.0 * x + k * np.sin(2 * np.pi * x), 2.0 * y + k * np.sin(2 * np.pi * y)], axis=-1)

    rates = {"sgd": 0.002, "momentum": 0.001, "nesterov": 0.001, "rmsprop": 0.01, "adam": 0.05}
    return Surface("rastrigin", value, gradient, (-5.12, 5.12, -5.12, 5.12), np.zeros((1, 2)), 0.0,
                   (2.2, 3.1), rates)


SURFACES: dict[str, Callable[..., Surface]] = {
    "quadratic": quadratic, "rosenbrock": rosenbrock, "beale": beale,
    "himmelblau": himmelblau, "saddle": saddle, "rastrigin": rastrigin,
}


def get(name: str, **params) -> Surface:
    return lookup("surface", name, SURFACES)(**params)


def grid(surface: Surface, resolution: int = 61, extent=None) -> dict:
    """f on a resolution x resolution grid: {"x", "y" axes, "z" float32 (R, R)}; row i is y = y[i]."""
    x0, x1, y0, y1 = surface.extent if extent is None else extent
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    P = np.stack(np.meshgrid(xs, ys), axis=-1)                      # (R, R, 2)
    return {"x": xs.tolist(), "y": ys.tolist(), "z": surface.value(P).astype(np.float32)}


# -- theory for quadratics f = 1/2 w^T H w -------------------------------------------------------
def predicted_rate(optimizer: str, lr: float, eigenvalues, momentum: float = 0.9) -> float:
    """The asymptotic per-step contraction of the error (>= 1: no convergence).

    sgd: max |1 - lr lam|. momentum / nesterov: the largest |root| over lam of the 2 x 2 iteration
    on (w, z) (Polyak's heavy ball; nesterov in engine.optimizers' look-ahead form)."""
    lam = np.asarray(eigenvalues, dtype=np.float64).ravel()
    if optimizer == "sgd":
        return float(np.abs(1.0 - lr * lam).max())
    if optimizer not in ("momentum", "nesterov"):
        raise ValueError(f"optimizer: no closed-form rate for {optimizer!r}; allowed: sgd, momentum, nesterov")
    b = momentum
    T = np.zeros((len(lam), 2, 2))              # state (z, w): z' = b z + lam w, w' = w - lr d
    T[:, 0, 0], T[:, 0, 1] = b, lam
    if optimizer == "momentum":
        T[:, 1, 0], T[:, 1, 1] = -lr * b, 1.0 - lr * lam
    else:
        T[:, 1, 0], T[:, 1, 1] = -lr * b * b, 1.0 - lr * lam * (1.0 + b)
    return float(np.abs(np.linalg.eigvals(T)).max())


def theory(eigenvalues, momentum: float = 0.9) -> dict:
    """Limits and best settings for eigenvalues lam_1 <= ... <= lam_n, kappa = lam_n / lam_1:
    gd converges iff lr < 2 / lam_n, best lr 2 / (lam_1 + lam_n), rate (kappa - 1) / (kappa + 1);
    heavy ball converges iff lr < (2 + 2 beta) / lam_n, best lr (2 / (sqrt lam_1 + sqrt lam_n))^2,
    beta ((sqrt kappa - 1) / (sqrt kappa + 1))^2, rate (sqrt kappa - 1) / (sqrt kappa + 1).
    Where a quantity does not exist it is None: no condition number unless lam_1 > 0 (a flat or
    saddle direction), no limit unless lam_n > 0."""
    lam = np.sort(np.asarray(eigenvalues, dtype=np.float64).ravel())
    l1, ln = float(lam[0]), float(lam[-1])
    if ln <= 0:
        return {"eigenvalues": lam.tolist(), "condition": None,
                "sgd": {"limit": None, "best_lr": None, "best_rate": None},
                "momentum": {"limit": None, "best_lr": None, "best_momentum": None, "best_rate": None}}
    k = ln / l1 if l1 > 0 else None                       # lam_1 <= 0: no convergence along it
    rk = float(np.sqrt(k)) if k is not None else None
    return {
        "eigenvalues": lam.tolist(), "condition": k,
        "sgd": {"limit": 2.0 / ln, "best_lr": 2.0 / (l1 + ln) if k else None,
                "best_rate": (k - 1) / (k + 1) if k else None},
        "momentum": {"limit": (2.0 + 2.0 * momentum) / ln,
                     "best_lr": (2.0 / (np.sqrt(l1) + np.sqrt(ln))) ** 2 if k else None,
                     "best_momentum": ((rk - 1) / (rk + 1)) ** 2 if rk else None,
                     "best_rate": (rk - 1) / (rk + 1) if rk else None},
    }
