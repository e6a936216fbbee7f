"""What a digits run reports beyond loss and accuracy: the confusion matrix, the test images it
gets wrong, and the first layer's weights seen as images."""
from __future__ import annotations

import numpy as np


def confusion(labels: np.ndarray, predicted: np.ndarray, classes: int = 10) -> np.ndarray:
    """C (classes, classes) int64: C[i, j] counts the images of digit i predicted as j (rows the
    truth, columns the prediction; the diagonal is what it gets right)."""
    labels, predicted = np.asarray(labels, np.int64), np.asarray(predicted, np.int64)
    return np.bincount(labels * classes + predicted, minlength=classes * classes).reshape(classes, classes)


def wrong(images: np.ndarray, labels: np.ndarray, probabilities: np.ndarray, limit: int = 64) -> dict:
    """The images the network gets wrong, most confidently wrong first (at most `limit`).

    images (n, 784) uint8, labels (n,), probabilities (n, k) -> {"index" (m,) int64 into the test
    set, "label", "predicted" (m,) int64, "confidence" (m,) float64 the probability of the wrong
    answer, "images" (m, 784) uint8, "count" the number wrong in all}."""
    predicted = probabilities.argmax(axis=1)
    bad = np.flatnonzero(predicted != labels)
    confidence = probabilities[bad, predicted[bad]]
    order = bad[np.argsort(-confidence, kind="stable")][:max(0, int(limit))]
    return {
        "index": order.astype(np.int64),
        "label": np.asarray(labels)[order].astype(np.int64),
        "predicted": predicted[order].astype(np.int64),
        "confidence": probabilities[order, predicted[order]].astype(np.float64),
        "images": np.asarray(images)[order],
        "count": int(bad.size),
    }


def weight_images(W0: np.ndarray, side: int = 28) -> np.ndarray:
    """The first layer's weights W0 (h, side*side) as h images (h, side, side), float32: neuron i's
    incoming weight from pixel (r, c) at [i, r, c]."""
    h, d = W0.shape
    if d != side * side:
        raise ValueError(f"weights: the first layer has {d} inputs, not a {side}x{side} image")
    return W0.reshape(h, side, side).astype(np.float32)
