"""``python -m engine train``: train a configuration, a run file or a CSV table and print, per
report, the losses (and accuracies for classification): a compact table, or JSON lines.

Reports come every N epochs (``--epochs``, ``--every``), or every N steps with ``--steps`` (the
text task's default: 3000 steps, a report every 500). A text report carries ``step``,
``loss_train``, ``loss_val`` (the engine's loss_test: the held-out last 10% of the text) and a
``sample``. Divergence is a result, not an error: it is reported and the exit code stays 0.
"""
from __future__ import annotations

import argparse
import json
import math
import sys

from .. import csvdata
from ..config import DATA_FIELDS, Config
from ..trainer import Trainer
from .common import DEFAULTS, FLAGS, SWITCHES, UsageError, _number, load_run, overrides_of

# overrides of these fields beside --run-file re-initialise the file's weights
WEIGHT_FIELDS = {"hidden", "features", "classes", "dataset", "init", "seed", "model", "context", "embed"}
TEXT_STEPS, TEXT_EVERY = 3000, 500           # the text task's default budget, in steps


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = ("Train and print, per report, the train and test loss and (for classification) "
                     "accuracy. Flags given beside --run-file override its config.")
    for flag, name, _, text in FLAGS:
        default = getattr(DEFAULTS, name)
        default = ",".join(map(str, default)) if isinstance(default, list) else default
        p.add_argument(flag, dest=name, metavar=name.upper(),
                       help=f"{name}: {text}" + (f" (default: {default})" if default != "" else ""))
    for flag, name, text in SWITCHES:
        p.add_argument(flag, dest=name, action=argparse.BooleanOptionalAction,
                       help=f"{name}: {text} (default: {str(getattr(DEFAULTS, name)).lower()})")
    p.add_argument("--epochs", default=None, help="epochs to train (default: 100)")
    p.add_argument("--steps", default=None, help="steps (updates) to train instead of epochs; --every then "
                   f"counts steps (text's default: {TEXT_STEPS} steps, every {TEXT_EVERY})")
    p.add_argument("--every", default=None, help="report every N epochs (steps with --steps), the start "
                   "and the end included (default: about ten reports)")
    p.add_argument("--run-file", metavar="PATH", help="start from a run file (JSON: config, data, weights); "
                   "flags override its config, and changing the data fields regenerates its data, "
                   "changing hidden, features, classes, dataset, init, seed or the text model its weights")
    p.add_argument("--data-csv", metavar="PATH", help="train on a CSV table (dataset custom): a header row, "
                   "numeric columns; pick them with --x and --y")
    p.add_argument("--x", metavar="COLS", help="with --data-csv: one or two input columns, e.g. x1,x2")
    p.add_argument("--y", metavar="COL", help="with --data-csv: the label (or target) column")
    p.add_argument("--csv-task", default="auto", help="with --data-csv: auto (classification for 2 to 10 "
                   "distinct labels, else regression), classification or regression")
    p.add_argument("--standardize", action="store_true", help="with --data-csv: standardise the inputs")
    p.add_argument("--save-run", metavar="PATH", help="write the run file that reproduces this run")
    p.add_argument("--json", action="store_true", help="print one JSON object per report: epoch, loss_train, "
                   "loss_test and, for classification, accuracy_train, accuracy_test (text: step, "
                   "loss_train, loss_val, sample)")


def _csv_trainer(args, changes: dict) -> Trainer:
    if not (args.x and args.y):
        raise UsageError("x, y: --data-csv needs --x COLS and --y COL; allowed: the table's column names")
    try:
        with open(args.data_csv, "rb") as f:
            source = f.read(csvdata.MAX_BYTES + 1)
    except OSError as e:
        raise UsageError(f"data_csv: cannot read {args.data_csv!r} ({e.strerror}); allowed: a readable CSV file") from None
    base = Config.from_dict({"dataset": "custom", **changes})
    table = csvdata.load(source, args.x, args.y, task=args.csv_task, standardize=args.standardize,
                         train_ratio=base.train_ratio, seed=base.seed)
    classes = 0 if table.kind == "regression" else len(table.classes)
    features = changes.get("features", ["x1"] if len(table.inputs) == 1 else ["x1", "x2"])
    return Trainer(base.updated({"classes": classes, "features": features}), data=table.data)


def make_trainer(args) -> Trainer:
    changes = overrides_of(args)
    if args.data_csv is not None:
        return _csv_trainer(args, changes)
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


def _budget(args, trainer) -> tuple[str, int, int]:
    """("epoch" or "step", how many, report every)."""
    text = trainer.r.kind == "language"
    if args.steps is not None or (text and args.epochs is None):
        total = _count("steps", args.steps, 0) if args.steps is not None else TEXT_STEPS
        default_every = TEXT_EVERY if args.steps is None else max(1, total // 10)
        unit = "step"
    else:
        total = _count("epochs", args.epochs, 0) if args.epochs is not None else 100
        default_every, unit = max(1, total // 10), "epoch"
    every = _count("every", args.every, 1) if args.every is not None else default_every
    return unit, total, every


def _row(rep: dict, kind: str) -> dict:
    if kind == "language":               # issue 10's lines: the held-out loss under its name there
        return {"step": rep["step"], "epoch": rep["epoch"], "loss_train": _finite(rep["loss_train"]),
                "loss_val": _finite(rep["loss_test"]), "sample": rep["sample"]}
    row = {"epoch": rep["epoch"], "loss_train": _finite(rep["loss_train"]), "loss_test": _finite(rep["loss_test"])}
    if kind != "regression":
        row.update(accuracy_train=rep["accuracy_train"], accuracy_test=rep["accuracy_test"])
    return row


def run(args, out=None) -> int:
    out = out or sys.stdout
    trainer = make_trainer(args)
    unit, total, every = _budget(args, trainer)
    if args.save_run:
        try:
            with open(args.save_run, "w", encoding="utf-8") as f:
                json.dump(trainer.to_run(), f)
        except OSError as e:
            raise UsageError(f"save_run: cannot write {args.save_run!r} ({e.strerror})") from None
    kind = trainer.r.kind
    columns = ["loss_train", "loss_val" if kind == "language" else "loss_test"]
    columns += ["accuracy_train", "accuracy_test"] if kind not in ("regression", "language") else []
    if not args.json:
        print(f"{'epoch':>7} {'step':>8}" + "".join(f" {HEADS[c]:>{_width(c)}}" for c in columns), file=out)
    while True:
        rep = trainer.report()
        row = _row(rep, kind)
        if rep["status"] == "diverged":
            row.update(status="diverged", diverged_at=rep["diverged_at"])
        if args.json:
            print(json.dumps(row), file=out)
        else:
            print(f"{rep['epoch']:>7} {rep['step']:>8}" + "".join(f" {_cell(row[c], c):>{_width(c)}}" for c in columns),
                  file=out)
            if kind == "language":
                print("  " + rep["sample"][:160].replace("\n", " / "), file=out)
        if rep["status"] == "diverged":
            print(f"diverged at step {rep['diverged_at']} (epoch {rep['epoch']}): a loss or weight stopped "
                  "being finite; the last finite weights are kept", file=sys.stderr if args.json else out)
            return 0
        done = trainer.step_count if unit == "step" else trainer.epoch
        if done >= total:
            return 0
        if unit == "step":
            trainer.run(min(every, total - done))
        else:
            trainer.run_epochs(min(every, total - done))


HEADS = {"loss_train": "train loss", "loss_test": "test loss", "loss_val": "val loss",
         "accuracy_train": "train acc", "accuracy_test": "test acc"}


def _width(column: str) -> int:
    return 9 if column.startswith("accuracy") else 11


def _cell(x, column: str) -> str:
    return "-" if x is None else format(x, ".3f" if column.startswith("accuracy") else ".6g")
