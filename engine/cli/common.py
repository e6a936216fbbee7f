"""What the commands share: one-line usage errors, the config's flags (train and sweep take
them), and the one reader of run files."""
from __future__ import annotations

import argparse
import json
import math

import numpy as np

from .. import activations, datasets, features, losses, optimizers, regularizers, schedules
from ..config import Config
from ..inits import INITS
from ..text import MODELS

DEFAULTS = Config()


class UsageError(Exception):
    """A one-line message for the user: "field: what is wrong; allowed: ..."."""


class Parser(argparse.ArgumentParser):
    def error(self, message):                        # argparse's own errors, on one line too
        raise UsageError(message)


def _words(s: str) -> list[str]:
    return [w.strip() for w in s.split(",") if w.strip()]


def _widths(s: str) -> list[int]:
    if s.strip().lower() in ("", "none"):
        return []
    try:
        return [int(w) for w in s.split(",")]
    except ValueError:
        raise UsageError(f"hidden: {s!r} is not a list of whole numbers; "
                         "allowed: comma-separated widths >= 1, e.g. 4,2 (or none)") from None


def _number(kind):
    def convert(field: str, s: str):
        try:
            return kind(s)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise UsageError(f"{field}: must be {what}; got {s!r}") from None
    return convert


def _rate(s: str) -> float:
    try:
        lr = float(s)
    except ValueError:
        lr = math.nan
    if not (math.isfinite(lr) and lr > 0):
        raise UsageError(f"learning_rate: must be a positive finite number; got {s!r}")
    return lr


# flag -> (config field, converter, help); the help names every allowed value
FLAGS = [
    ("--dataset", "dataset", str, f"data set; allowed: {', '.join(datasets.DATASETS)}"),
    ("--points", "points", _number(int), "number of points; 0: the data set's default"),
    ("--noise", "noise", _number(float), "noise, 0 to 0.5 (the Playground's slider / 100)"),
    ("--train-ratio", "train_ratio", _number(float), "share of points used for training, 0.1 to 0.9"),
    ("--classes", "classes", _number(int), "classes of the blobs data set, 3 to 5"),
    ("--features", "features", lambda f, s: _words(s),
     f"comma-separated input features; allowed: {', '.join(features.FEATURES)}"),
    ("--hidden", "hidden", lambda f, s: _widths(s), "hidden layer widths, e.g. 4,2 (none: no hidden layer)"),
    ("--activation", "activation", str, f"hidden activation; allowed: {', '.join(activations.ACTIVATIONS)}"),
    ("--output", "output", str, "output activation (default: tanh, linear for regression, softmax for "
     f"blobs); allowed: {', '.join(activations.OUTPUT_ACTIVATIONS)}"),
    ("--loss", "loss", str, f"loss (default: half_mse, softmax_ce for blobs); allowed: {', '.join(losses.LOSSES)}"),
    ("--init", "init", str, f"initialiser; allowed: {', '.join(INITS)}"),
    ("--optimizer", "optimizer", str, f"optimiser; allowed: {', '.join(optimizers.OPTIMIZERS)}"),
    ("--lr", "learning_rate", lambda f, s: _rate(s), "learning rate, a positive finite number"),
    ("--momentum", "momentum", _number(float), "momentum (momentum, nesterov), 0 to 0.999"),
    ("--beta1", "beta1", _number(float), "adam's beta1, 0 to 0.999"),
    ("--beta2", "beta2", _number(float), "adam's beta2 (rmsprop's decay), 0 to 0.99999"),
    ("--schedule", "schedule", str, f"learning-rate schedule by epoch; allowed: {', '.join(schedules.SCHEDULES)}"),
    ("--batch-size", "batch_size", _number(int), "examples per update"),
    ("--regularization", "regularization", str,
     f"allowed: {', '.join(regularizers.REGULARIZATIONS)}"),
    ("--reg-rate", "reg_rate", _number(float), "regularisation rate (0 to 10), or the dropout probability"),
    ("--seed", "seed", _number(int), "seed of the data, the initial weights and the shuffling"),
    ("--clip", "clip", _number(float), "gradient clipping by global norm, 0: none (text: 5)"),
    ("--model", "model", str, f"text model; allowed: {', '.join(MODELS)}"),
    ("--seq-len", "seq_len", _number(int), "text: characters per training window (truncated BPTT)"),
    ("--context", "context", _number(int), "text, mlp model: characters of context"),
    ("--embed", "embed", _number(int), "text, mlp model: embedding size"),
]
SWITCHES = [
    ("--shuffle", "shuffle", "reshuffle the training points every epoch"),
    ("--l1-freeze", "l1_freeze", "the Playground's L1 rule: a weight whose L1 step crosses 0 stays 0"),
    ("--playground", "playground", "reproduce TensorFlow Playground's training exactly (half_mse, sgd, "
     "fixed order, leftover batch carried over, its regularisation step and L1 freezing)"),
    ("--augment", "augment", "digits: random shifts and rotations of the training images per batch"),
]


def overrides_of(args) -> dict:
    out = {}
    for flag, name, convert, _ in FLAGS:
        value = getattr(args, name)
        if value is not None:
            out[name] = value if convert is str else convert(name, value)
    for _, name, _ in SWITCHES:
        if getattr(args, name) is not None:
            out[name] = getattr(args, name)
    return out


def load_run(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise UsageError(f"run_file: cannot read {path!r} ({e.strerror}); allowed: a readable JSON file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise UsageError(f"run_file: {path!r} does not parse ({e}); allowed: a JSON run file") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("config", {}), dict):
        raise UsageError("run_file: must be a JSON object with a 'config' object")
    data = doc.get("data")
    if isinstance(data, dict) and "train" in data:            # points inline (digits, text: by reference)
        for part in ("train", "test"):
            rows = data.get(part, []) if isinstance(data, dict) else None
            if not (rows == [] or _numbers(rows, 2) and len(rows[0]) == 3):
                raise UsageError(f"data: {part} must be a list of [x1, x2, label] rows of finite numbers")
    layers = doc.get("weights", [])
    if isinstance(layers, dict):                                # a text model's: its model checks them
        return doc
    if not (isinstance(layers, list) and all(isinstance(l, dict) and _numbers(l.get("W"), 2)
                                             and _numbers(l.get("b"), 1) for l in layers)):
        raise UsageError('weights: must be a list of {"W": [[...]], "b": [...]} of finite numbers, one per layer')
    return doc


def _numbers(value, ndim: int) -> bool:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.ndim == ndim and a.size > 0 and bool(np.isfinite(a).all())


