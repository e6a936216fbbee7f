"""Losses, keyed by wire name, each paired with the output activations it accepts.

``value(Z, A, Y)`` returns the per-example loss (n,); ``delta(Z, A, Y, out_act)`` returns dL/dZ for
the output pre-activation Z (n, k), per example (the caller averages). Z is kept so that
cross-entropy is computed from logits, which never takes log(0). ``delta_into`` writes
``scale * delta`` into a buffer, fused with the output's derivative; ``delta_and_value`` (the
training loop's form) does the same and returns the batch's loss.
"""
from __future__ import annotations

import numpy as np

from . import activations
from .registry import lookup


class Loss:
    name = ""
    outputs: tuple[str, ...] = ()
    classification = True

    def value(self, Z, A, Y) -> np.ndarray:
        raise NotImplementedError

    def delta(self, Z, A, Y, output: str) -> np.ndarray:
        raise NotImplementedError

    def delta_into(self, Z, A, Y, output: str, scale, out, tmp) -> np.ndarray:
        """scale * delta(Z, A, Y, output), written into out (n, k) and returned; tmp (n, k) is
        scratch."""
        self.delta_and_value(Z, A, Y, output, scale, out, tmp)
        return out

    def delta_and_value(self, Z, A, Y, output: str, scale, out, tmp, fprime=None) -> float:
        """delta_into's work, returning scale * the summed loss instead (the batch's mean loss
        when scale is 1 / n): the training loop's form. fprime: the output's f'(Z) when the
        caller has it already (else computed here, when needed)."""
        np.multiply(self.delta(Z, A, Y, output), scale, out)
        return float(per_example(self, Z, A, Y, output).sum() * scale)


class MSE(Loss):
    """Mean squared error, sum over outputs: (a - y)^2, or the Playground's 0.5 (a - y)^2."""

    outputs = ("tanh", "sigmoid", "linear")
    classification = False

    def __init__(self, name: str, factor: float):
        self.name, self.factor = name, factor

    def value(self, Z, A, Y):
        D = A - Y
        return self.factor * np.einsum("ij,ij->i", D, D)

    def delta(self, Z, A, Y, output):
        D = A - Y
        D *= 2.0 * self.factor
        act = activations.get(output)
        return D * act.grad(Z, A, np.empty_like(Z))

    def delta_and_value(self, Z, A, Y, output, scale, out, tmp, fprime=None):
        # the same operations as delta, minus the exact no-ops (* 1.0, and * f' = 1 for linear)
        np.subtract(A, Y, out)
        value = self.factor * float(np.vdot(out, out)) * float(scale)
        if self.factor != 0.5:
            out *= 2.0 * self.factor
        if fprime is None and output != "linear":
            fprime = activations.ACTIVATIONS[output].grad(Z, A, tmp)      # tanh: 1 - a^2
        if fprime is not None:
            np.multiply(out, fprime, out)
        np.multiply(out, scale, out)
        return value


class BinaryCrossEntropy(Loss):
    """-[t log p + (1 - t) log(1 - p)], from logits.

    sigmoid output: p = sigmoid(z), t = y in {0, 1}.
    tanh output: p = (1 + tanh z) / 2 = sigmoid(2z), t = (y + 1) / 2 for y in {-1, +1}.
    """

    name = "bce"
    outputs = ("sigmoid", "tanh")

    @staticmethod
    def _logit_target(Z, Y, output):
        if output == "tanh":
            return 2.0 * Z, 0.5 * (Y + 1.0), 2.0
        return Z, Y, 1.0

    def value(self, Z, A, Y, output="sigmoid"):
        L, T, _ = self._logit_target(Z, Y, output)
        # softplus(l) - t l  ==  -[t log sigmoid(l) + (1-t) log(1 - sigmoid(l))]
        return (np.logaddexp(0.0, L) - T * L).sum(axis=1)

    def delta(self, Z, A, Y, output):
        L, T, scale = self._logit_target(Z, Y, output)
        P = activations.ACTIVATIONS["sigmoid"](L)
        return scale * (P - T)


class SoftmaxCrossEntropy(Loss):
    """-log softmax(z)[class], Y one-hot (n, k)."""

    name = "softmax_ce"
    outputs = ("softmax",)

    def value(self, Z, A, Y, output="softmax"):
        m = Z.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))
        return lse - np.einsum("ij,ij->i", Z, Y)

    def delta(self, Z, A, Y, output):
        return A - Y

    def delta_and_value(self, Z, A, Y, output, scale, out, tmp, fprime=None):
        value = float(self.value(Z, A, Y).sum() * scale)
        np.subtract(A, Y, out)
        np.multiply(out, scale, out)
        return value


LOSSES: dict[str, Loss] = {
    "mse": MSE("mse", 1.0),
    "half_mse": MSE("half_mse", 0.5),
    "bce": BinaryCrossEntropy(),
    "softmax_ce": SoftmaxCrossEntropy(),
}


def get(name: str) -> Loss:
    return lookup("loss", name, LOSSES)


def per_example(loss: Loss, Z, A, Y, output: str) -> np.ndarray:
    """Per-example loss; hides the fact that only cross-entropy needs the output's name."""
    if isinstance(loss, MSE):
        return loss.value(Z, A, Y)
    return loss.value(Z, A, Y, output)


def check_pair(loss: str, output: str) -> None:
    activations.output(output)
    if output not in get(loss).outputs:
        raise ValueError(
            f"loss: {loss!r} does not work with output {output!r}; "
            f"allowed outputs for {loss}: {', '.join(get(loss).outputs)}")
