"""Headless use: ``python -m engine train ...`` trains a configuration or a run file and prints
a compact table (or JSON lines) of losses and accuracies per reported epoch.

Bad input ends with one line ``error: <field>: <what is wrong>; allowed: ...`` on stderr and exit
code 2. Divergence is a result, not an error: it is reported and the exit code stays 0.
"""
from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np

from . import activations, datasets, features, losses, optimizers, regularizers, schedules
from .inits import INITS
from .config import DATA_FIELDS, Config
from .trainer import Trainer

DEFAULTS = Config()
# overrides of these fields beside --run-file re-initialise the file's weights
WEIGHT_FIELDS = {"hidden", "features", "classes", "dataset", "init", "seed"}


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
]
SWITCHES = [
    ("--shuffle", "shuffle", "reshuffle the training points every epoch"),
    ("--l1-freeze", "l1_freeze", "the Playground's L1 rule: a weight whose L1 step crosses 0 stays 0"),
    ("--playground", "playground", "reproduce TensorFlow Playground's training exactly (half_mse, sgd, "
     "fixed order, leftover batch carried over, its regularisation step and L1 freezing)"),
]


def build_parser() -> Parser:
    top = Parser(prog="python -m engine", formatter_class=argparse.RawDescriptionHelpFormatter,
                 description="Learnscape's learning engine, headless.")
    sub = top.add_subparsers(dest="command", metavar="train")
    p = sub.add_parser("train", help="train a configuration or a run file and print its losses",
                       description="Train and print, per reported epoch, the train and test loss and "
                       "(for classification) accuracy. Flags given beside --run-file override its config.")
    for flag, name, _, text in FLAGS:
        default = getattr(DEFAULTS, name)
        default = ",".join(map(str, default)) if isinstance(default, list) else default
        p.add_argument(flag, dest=name, metavar=name.upper(),
                       help=f"{name}: {text}" + (f" (default: {default})" if default != "" else ""))
    for flag, name, text in SWITCHES:
        p.add_argument(flag, dest=name, action=argparse.BooleanOptionalAction,
                       help=f"{name}: {text} (default: {str(getattr(DEFAULTS, name)).lower()})")
    p.add_argument("--epochs", default="100", help="epochs to train (default: 100)")
    p.add_argument("--every", default=None, help="report every N epochs, epoch 0 (before training) "
                   "and the last included (default: about ten reports)")
    p.add_argument("--run-file", metavar="PATH", help="start from a run file (JSON: config, data, weights); "
                   "flags override its config, and changing the data fields regenerates its data, "
                   "changing hidden, features, classes, dataset, init or seed its weights")
    p.add_argument("--save-run", metavar="PATH", help="write the run file that reproduces this run")
    p.add_argument("--json", action="store_true", help="print one JSON object per reported epoch: "
                   "epoch, loss_train, loss_test and, for classification, accuracy_train, accuracy_test")
    top.epilog = "options of train:\n" + p.format_help().split("options:\n", 1)[1]
    return top


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
    if data is not None:
        for part in ("train", "test"):
            rows = data.get(part, []) if isinstance(data, dict) else None
            if not (rows == [] or _numbers(rows, 2) and len(rows[0]) == 3):
                raise UsageError(f"data: {part} must be a list of [x1, x2, label] rows of finite numbers")
    layers = doc.get("weights", [])
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


def make_trainer(args) -> Trainer:
    changes = overrides_of(args)
    if args.run_file is None:
        return Trainer(Config.from_dict(changes))
    doc = dict(load_run(args.run_file))
    base = Config.from_dict(doc.get("config", {}))
    changed = {k for k, v in changes.items() if getattr(base, k) != v}
    if changed & DATA_FIELDS:
        doc.pop("data", None)
    if changed & WEIGHT_FIELDS:
        doc.pop("weights", None)
    return Trainer.from_run(doc, changes)


def _count(name: str, s, lo: int) -> int:
    n = _number(int)(name, s)
    if n < lo:
        raise UsageError(f"{name}: {n} is out of range; allowed: a whole number >= {lo}")
    return n


def _finite(x):
    return x if x is not None and math.isfinite(x) else None


def train(args, out) -> None:
    epochs = _count("epochs", args.epochs, 0)
    every = _count("every", args.every, 1) if args.every is not None else max(1, epochs // 10)
    trainer = make_trainer(args)
    if args.save_run:
        try:
            with open(args.save_run, "w", encoding="utf-8") as f:
                json.dump(trainer.to_run(), f)
        except OSError as e:
            raise UsageError(f"save_run: cannot write {args.save_run!r} ({e.strerror})") from None
    classify = trainer.r.kind != "regression"
    if not args.json:
        print(f"{'epoch':>7} {'step':>8} {'train loss':>11} {'test loss':>11}"
              + (f" {'train acc':>9} {'test acc':>9}" if classify else ""), file=out)
    while True:
        rep = trainer.report()
        row = {"epoch": rep["epoch"], "loss_train": _finite(rep["loss_train"]),
               "loss_test": _finite(rep["loss_test"])}
        if classify:
            row.update(accuracy_train=rep["accuracy_train"], accuracy_test=rep["accuracy_test"])
        if rep["status"] == "diverged":
            row.update(status="diverged", diverged_at=rep["diverged_at"])
        if args.json:
            print(json.dumps(row), file=out)
        else:
            cells = [f"{row['epoch']:>7}", f"{rep['step']:>8}", *(_cell(row[k], 11) for k in ("loss_train", "loss_test"))]
            if classify:
                cells += [_cell(row[k], 9, ".3f") for k in ("accuracy_train", "accuracy_test")]
            print(" ".join(cells), file=out)
        if rep["status"] == "diverged":
            print(f"diverged at step {rep['diverged_at']} (epoch {rep['epoch']}): a loss or weight stopped "
                  "being finite; the last finite weights are kept", file=sys.stderr if args.json else out)
            return
        if trainer.epoch >= epochs:
            return
        trainer.run_epochs(min(every, epochs - trainer.epoch))


def _cell(x, width, fmt=".6g"):
    return f"{'-' if x is None else format(x, fmt):>{width}}"


def main(argv=None, out=None) -> int:
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
        if args.command != "train":
            raise UsageError("command: missing; allowed: train (see python -m engine --help)")
        with np.errstate(all="ignore"):             # a diverging run is reported, not warned about
            train(args, out)
    except (UsageError, ValueError) as e:
        print(f"error: {str(e).splitlines()[0] if str(e) else type(e).__name__}", file=sys.stderr)
        return 2
    except BrokenPipeError:                            # e.g. piped into head
        return 0
    return 0
