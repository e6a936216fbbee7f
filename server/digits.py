"""The digits workspace on the wire: its dataset description, its frames and the drawing pad.

A digits frame is cheap JSON every frame period (step, epoch, speed, the layers after the first,
the current example's activations) and, at most every ``HEAVY_GAP`` seconds while training (at
once when idle), the expensive part: loss and accuracy on all 5,000 images, the confusion matrix,
the first layer's weights as images (binary kind 4) and the sample grid of test images with their
predictions (binary kind 5). Metrics between two evaluations are the last ones measured, and the
frame says at which step (``digits.measured_step``). docs/protocol.md, "Digits".
"""
from __future__ import annotations

import base64
import time

import numpy as np

from engine.digits import pad as pad_prep, report

from . import binary, protocol as wire
from .errors import ProtocolError
from .jsonsafe import finite, number, quiet

HEAVY_GAP = 0.25                  # seconds between evaluations while training
SAMPLES = 40                      # test images in the sample grid
TRAIN_MEASURED = 1000             # training images the live train loss/accuracy are measured on
SIDE = 28


def is_digits(trainer) -> bool:
    return getattr(trainer.task, "name", "") == "digits"


def dataset(trainer) -> dict:
    """The dataset message for digits: counts per class and the image size, not the images."""
    task = trainer.task
    return {"type": "dataset", "kind": task.kind, "task": "digits", "train": [], "test": [],
            "image_size": SIDE, "source": task.source,
            "counts_train": np.bincount(task.y_train, minlength=task.classes).tolist(),
            "counts_test": np.bincount(task.y_test, minlength=task.classes).tolist()}


class View:
    """Per session (session.extra["digits"]): when the last full evaluation ran and what it said."""

    def __init__(self):
        self.at = -1.0                # perf_counter of the last evaluation
        self.step = -1                # the step it measured
        self.metrics: dict = {}
        self.example = 0              # which sample's activations light the network


def view(session) -> View:
    return session.extra.setdefault("digits", View())


def frame(session) -> tuple[dict, tuple[bytes, bytes] | None]:
    """The frame (JSON-ready) and, when an evaluation is due, the two binary messages."""
    v, t = view(session), session.trainer
    net, task = t.network, t.task
    now = time.perf_counter()
    heavy = v.step != t.step_count and (not session.busy or now - v.at >= HEAVY_GAP) or v.step < 0
    binaries, confusion = None, None
    with quiet():
        if heavy:
            confusion = _evaluate(t, v)
            v.at, v.step = now, t.step_count
            v.example = (v.example + 1) % SAMPLES
        i = v.example                                      # the example lighting the network
        acts = [a[0] for a in net.activations_of(task.U_test[i:i + 1] * (1.0 / 255.0))]
        if heavy:
            images = task.U_test[:SAMPLES]
            predicted = task.probabilities(net.activations_of(images * (1.0 / 255.0))[-1]).argmax(axis=1)
            session.seq += 1
            binaries = (wire.pack_grids(binary.KIND_WEIGHT_IMAGES, session.seq, report.weight_images(net.W[0], SIDE)),
                        binary.pack_samples(session.seq, images, task.y_test[:SAMPLES], predicted))
    session.flow_control.sent()
    msg = {
        "type": "frame", "step": t.step_count, "epoch": t.epoch, **_metrics(v),
        "learning_rate": t.learning_rate, "weights": [], "gradients": [], "grad_norms": [], "weight_norms": [],
        "steps_per_second": round(session.pace.measured if session.busy else 0.0, 1),
        "maps_seq": session.seq if binaries else None,
        "task": "digits",
        "digits": {
            "parameters": int(net.theta.size),
            "measured_step": v.step,
            "confusion": confusion,
            "layers": [finite(np.round(W, 4)) for W in net.W[1:]],
            "example": {"sample": i, "label": int(task.y_test[i]), "predicted": int(np.argmax(acts[-1])),
                        "activations": [finite(np.round(a, 4)) for a in acts[1:]]},
            "step_us": round(session.pace.step_time * 1e6, 1),
        },
    }
    session._check_divergence()
    session.dirty = False
    return msg, binaries


def _evaluate(t, v: View) -> list:
    """Loss and accuracy on every test image and on the first TRAIN_MEASURED training images (a
    seeded shuffle: every digit is there), into v.metrics; the confusion matrix on the test images.
    A loss that is not finite is divergence, as in Trainer.report. (One pass over 2,000 images: the
    engine's report passes over all 5,000 and the test images twice, too slow a few times a second.)"""
    task, net = t.task, t.network
    n = min(TRAIN_MEASURED, task.n_train)
    loss_train, acc_train, _ = task._measure(net, task.U_train[:n], task.y_train[:n])
    loss_test, acc_test, A = task._measure(net, task.U_test, task.y_test)
    if t.status == "ok" and not (np.isfinite(loss_train) and np.isfinite(loss_test)):
        t.status, t.diverged_at = "diverged", t.step_count
    v.metrics = {"loss_train": number(loss_train), "loss_test": number(loss_test),
                 "accuracy_train": number(acc_train), "accuracy_test": number(acc_test)}
    return report.confusion(task.y_test, task.probabilities(A).argmax(axis=1), task.classes).tolist()


def _metrics(v: View) -> dict:
    keys = ("loss_train", "loss_test", "accuracy_train", "accuracy_test")
    return {k: v.metrics.get(k) for k in keys}


# -- the drawing pad -----------------------------------------------------------------------------
def decode_canvas(msg) -> np.ndarray:
    """The pad's canvas (height, width) of uint8 ink from its base64 pixels, checked."""
    try:
        raw = base64.b64decode(msg.pixels, validate=True)
    except (ValueError, TypeError):
        raise ProtocolError("pad_pixels", "pixels", detail="not base64") from None
    if len(raw) != msg.width * msg.height:
        raise ProtocolError("pad_pixels", "pixels",
                            detail=f"{len(raw)} bytes for a {msg.width}x{msg.height} canvas "
                                   f"(needs {msg.width * msg.height})")
    return np.frombuffer(raw, np.uint8).reshape(msg.height, msg.width)


def step_seconds(session) -> float:
    """One training step's time: the measured average while it trains, else one timed gradient
    and update-sized pass on a training batch (the weights are left as they were)."""
    if session.pace.step_time > 0:
        return session.pace.step_time
    t = session.trainer
    b = min(t.config.batch_size, t.task.n_train)
    batch = t.task.batch(np.arange(b), np.random.default_rng(0))
    saved = t.network.grad.copy()
    started = time.perf_counter()
    with quiet():
        t.network.gradient(batch)
    took = time.perf_counter() - started
    t.network.grad[:] = saved
    return took


def on_read_pad(session, msg) -> None:
    if not is_digits(session.trainer):
        raise ProtocolError("pad_needs_digits", "type", got=session.trainer.config.dataset)
    canvas = decode_canvas(msg)
    t = session.trainer
    with quiet():
        started = time.perf_counter()
        image = pad_prep.prepare(canvas)
        prepared = time.perf_counter()
        acts = [a[0] for a in t.network.activations_of(image.reshape(1, -1))]
        inferred = time.perf_counter()
        probs = t.task.probabilities(acts[-1][None, :])[0]
    session._say({"type": "pad", "id": msg.id, "image": finite(np.round(image, 4)),
                  "probabilities": finite(probs), "predicted": int(np.argmax(probs)),
                  "activations": [finite(np.round(a, 4)) for a in acts[1:]],
                  "inference_us": round((inferred - prepared) * 1e6, 1),
                  "preprocess_us": round((prepared - started) * 1e6, 1),
                  "step_us": round(step_seconds(session) * 1e6, 1), "step": t.step_count})


HANDLERS = {"read_pad": on_read_pad}
