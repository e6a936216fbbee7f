"""Activation functions as (fn, grad) pairs, keyed by their wire names.

Each activation writes into caller-owned buffers so the training loop allocates nothing:
``fn(Z, out)`` stores f(Z) in ``out``; ``grad(Z, A, out)`` stores f'(Z) in ``out`` given A = f(Z).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .registry import lookup

LEAKY_SLOPE = 0.01
# a 0-d array: NumPy takes it faster than a Python float, which a tiny network's step notices
# (only in the derivatives, which run in float64; in float32 it would promote)
_ONE = np.array(1.0)


@dataclass(frozen=True)
class Activation:
    name: str
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None
    elementwise: bool = True           # False: softmax, which runs along the last axis

    def __call__(self, Z: np.ndarray) -> np.ndarray:
        return self.fn(Z, np.empty_like(Z))

    def derivative(self, Z: np.ndarray) -> np.ndarray:
        return self.grad(Z, self(Z), np.empty_like(Z))


def _linear(Z, out):
    out[...] = Z
    return out


def _linear_grad(Z, A, out):
    out.fill(1.0)
    return out


def _sigmoid(Z, out):
    # 0.5 * (1 + tanh(z / 2)) is exact and never overflows
    np.multiply(Z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def _sigmoid_grad(Z, A, out):
    np.subtract(_ONE, A, out)
    return np.multiply(out, A, out)


def _tanh_grad(Z, A, out):
    np.multiply(A, A, out)
    return np.subtract(_ONE, out, out)


def _relu(Z, out):
    return np.maximum(Z, 0.0, out=out)


def _relu_grad(Z, A, out):
    return np.greater(Z, 0.0, out=out, casting="unsafe")


def _leaky_relu(Z, out):
    np.multiply(Z, LEAKY_SLOPE, out=out)
    return np.maximum(Z, out, out=out)


def _leaky_relu_grad(Z, A, out):
    out[...] = np.where(Z > 0.0, 1.0, LEAKY_SLOPE)
    return out


def _elu(Z, out):
    np.minimum(Z, 0.0, out=out)
    np.expm1(out, out=out)
    np.copyto(out, Z, where=Z > 0.0)
    return out


def _elu_grad(Z, A, out):
    # for z <= 0, elu'(z) = exp(z) = elu(z) + 1
    np.add(A, 1.0, out=out)
    np.copyto(out, 1.0, where=Z > 0.0)
    return out


def _softplus(Z, out):
    return np.logaddexp(0.0, Z, out=out)


def _softplus_grad(Z, A, out):
    return _sigmoid(Z, out)


def _swish(Z, out):
    _sigmoid(Z, out)
    out *= Z
    return out


def _swish_grad(Z, A, out):
    # swish' = s + z s (1 - s) = s (1 + z (1 - s)), s = sigmoid(z)
    s = _sigmoid(Z, np.empty_like(Z))
    np.subtract(1.0, s, out=out)
    out *= Z
    out += 1.0
    out *= s
    return out


def _sign(Z, out):
    # the perceptron's step: +1 for z >= 0, -1 otherwise
    out[...] = np.where(Z >= 0.0, 1.0, -1.0)
    return out


def _sign_grad(Z, A, out):
    # zero almost everywhere: a network of steps gets no gradient, which is the lesson
    out.fill(0.0)
    return out


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("linear", _linear, _linear_grad),
        Activation("sigmoid", _sigmoid, _sigmoid_grad),
        Activation("tanh", np.tanh, _tanh_grad),          # the ufunc itself: np.tanh(Z, out)
        Activation("relu", _relu, _relu_grad),
        Activation("leaky_relu", _leaky_relu, _leaky_relu_grad),
        Activation("elu", _elu, _elu_grad),
        Activation("softplus", _softplus, _softplus_grad),
        Activation("swish", _swish, _swish_grad),
        Activation("sign", _sign, _sign_grad),
    ]
}

HIDDEN_ACTIVATIONS = list(ACTIVATIONS)


def softmax(Z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Softmax of Z (..., k) along its last axis, shifted by the max for stability."""
    np.subtract(Z, Z.max(axis=-1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


# output activations, keyed by the wire name of the config field ``output``: softmax is one of
# them (over the last axis, the outputs); it has no elementwise derivative and is only paired with
# softmax cross-entropy, whose dL/dZ is A - Y (see losses.py)
OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    "tanh": ACTIVATIONS["tanh"], "sigmoid": ACTIVATIONS["sigmoid"], "linear": ACTIVATIONS["linear"],
    "softmax": Activation("softmax", softmax, None, elementwise=False),
}


def get(name: str) -> Activation:
    return lookup("activation", name, ACTIVATIONS)


def output(name: str) -> Activation:
    return lookup("output", name, OUTPUT_ACTIVATIONS)
