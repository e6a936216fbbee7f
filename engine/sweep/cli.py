"""``python -m engine sweep ...`` (and ``python -m engine.sweep ...``): run a grid of settings
times seeds and print one line per cell as it finishes, then the best setting.

Axis flags take comma-separated values (``--hidden-widths 1,2,3 --lr 0.01,0.03``); every other
flag of ``python -m engine train`` sets the base configuration. The network has one hidden layer
of width 4 unless --hidden-widths / --depths say otherwise. Bad input: one line
``error: <axis or field>: <what is wrong>; allowed: ...`` on stderr and exit code 2.
"""
from __future__ import annotations

import argparse
import json
import sys

from .. import activations, optimizers
from .. import cli as engine_cli
from ..config import Config
from .axes import AXES, MAX_AXES, SweepGrid
from .execute import Sweep
from .summary import write_csv

AXIS_HELP = {
    "hidden_width": "width of every hidden layer, e.g. 1,2,4,8 (default: 4)",
    "depth": "hidden layers, e.g. 1,2,3 (default: 1)",
    "learning_rate": "learning rates, e.g. 0.01,0.03,0.1",
    "batch_size": "batch sizes, e.g. 1,10,30",
    "reg_rate": "regularisation rates (needs --regularization l1, l2 or dropout)",
    "activation": f"hidden activations, e.g. tanh,relu; allowed: {', '.join(activations.ACTIVATIONS)}",
    "optimizer": f"optimisers, e.g. sgd,adam; allowed: {', '.join(optimizers.OPTIMIZERS)}",
    "noise": "data noise levels, 0 to 0.5, e.g. 0,0.25",
}
AXIS_FLAGS = {flag for _, flag in AXES.values()} | {"--hidden"}
SWEEP_DEFAULTS = {"hidden": [4]}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = ("Train a grid of settings (1 to %d axes with several values) times seeds; print a line per "
                     "cell as it finishes, then the best setting by mean test loss." % MAX_AXES)
    for name, (_, flag) in AXES.items():
        p.add_argument(flag, dest=name, metavar="V,V,...", help=f"axis {name}: {AXIS_HELP[name]}")
    for flag, name, _, text in engine_cli.FLAGS:
        if flag not in AXIS_FLAGS:
            p.add_argument(flag, dest=name, metavar=name.upper(), help=f"{name}: {text}")
    for flag, name, text in engine_cli.SWITCHES:
        p.add_argument(flag, dest=name, action=argparse.BooleanOptionalAction, help=f"{name}: {text}")
    p.add_argument("--seeds", default="1", help="initial weights per setting: seed + 0, 1, ... (default: 1)")
    p.add_argument("--epochs", default="100", help="epochs each model trains (default: 100)")
    p.add_argument("--workers", default=None, help="local processes (default: the number of cores; "
                   "0: this process)")
    p.add_argument("--dask", metavar="ADDRESS", default=None, help="run on this dask.distributed scheduler "
                   "(default: $LEARNSCAPE_DASK if set, else the local pool)")
    p.add_argument("--json", action="store_true", help="one JSON object per cell, then one with 'summary'")
    p.add_argument("--csv", metavar="PATH", default=None, help="save the table: one row per cell and seed")


def _values(s: str) -> list:
    out = []
    for w in s.split(","):
        w = w.strip()
        for kind in (int, float):
            try:
                w = kind(w)
                break
            except ValueError:
                pass
        out.append(w)
    return out


def _whole(name: str, s) -> int:
    try:
        return int(s)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: must be a whole number; got {s!r}") from None


def grid_of(args) -> SweepGrid:
    base = dict(SWEEP_DEFAULTS)
    for _, name, convert, _ in engine_cli.FLAGS:
        value = getattr(args, name, None)
        if value is not None and name not in AXES and name != "hidden":
            base[name] = value if convert is str else convert(name, value)
    for _, name, _ in engine_cli.SWITCHES:
        if getattr(args, name, None) is not None:
            base[name] = getattr(args, name)
    axes = {name: [AXES[name][0](v) for v in _values(getattr(args, name))]       # the axis's own message
            for name in AXES if getattr(args, name, None) is not None}
    for name in ("learning_rate", "batch_size", "reg_rate", "activation", "optimizer", "noise"):
        if len(axes.get(name, ())) == 1:              # one value: a base setting the config checks too
            base[name] = axes[name][0]
    return SweepGrid(Config.from_dict(base), axes, _whole("seeds", args.seeds), _whole("epochs", args.epochs))


def _text(cell: dict) -> str:
    setting = "  ".join(f"{k}={v}" for k, v in cell["setting"].items()) or "(base)"
    m, s = cell["mean"], cell["spread"]
    line = f"[{cell['done']}/{cell['cells']}] {setting}: "
    line += "test loss -" if m["loss_test"] is None else f"test loss {m['loss_test']:.4f} ± {s['loss_test']:.4f}"
    if m["accuracy_test"] is not None:
        line += f", test accuracy {m['accuracy_test']:.3f} ± {s['accuracy_test']:.3f}"
    return line + (f", {cell['diverged']} diverged" if cell["diverged"] else "")


def _summary_text(summary: dict) -> str:
    b = summary["best"]
    if b is None:
        return "best: none (every seed diverged)"
    setting = "  ".join(f"{k}={v}" for k, v in b["setting"].items()) or "(base)"
    return (f"best: {setting}: mean test loss {b['mean']:.4f} ± {b['spread']:.4f} (range {b['min']:.4f} to "
            f"{b['max']:.4f}, {b['seeds']} seeds); {summary['cells']} cells in {summary['time_s']:.1f} s")


def run(args, out=None) -> int:
    out = out or sys.stdout
    try:
        grid = grid_of(args)
        workers = None if args.workers is None else _whole("workers", args.workers)
        sweep = Sweep(grid, workers=workers, dask=args.dask)
        if args.csv:
            _writable(args.csv)                        # before the sweep, not after it
        cells = []
        result = sweep.run(on_cell=lambda c: (cells.append(c), _emit(c, args.json, out)))
        summary = result["summary"]
        print(json.dumps({"summary": summary}) if args.json else _summary_text(summary), file=out, flush=True)
        if args.csv:
            _writable(args.csv)
            write_csv(args.csv, list(grid.axes), result["cells"])
    except (ValueError, engine_cli.UsageError) as e:
        print(f"error: {str(e).splitlines()[0] if str(e) else type(e).__name__}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cancelled: the sweep's workers were stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 0


def _writable(path: str) -> None:
    try:
        open(path, "a", encoding="utf-8").close()
    except OSError as e:
        raise ValueError(f"csv: cannot write {path!r} ({e.strerror}); allowed: a writable path") from None


def _emit(cell: dict, as_json: bool, out) -> None:
    if as_json:
        row = {"cell": cell["index"], **{k: cell[k] for k in ("setting", "seeds", "mean", "spread", "diverged",
                                                              "done", "cells", "elapsed_s", "left_s")}}
        print(json.dumps(row), file=out, flush=True)
    else:
        print(_text(cell), file=out, flush=True)


def main(argv=None) -> int:
    p = engine_cli.Parser(prog="python -m engine.sweep")
    add_arguments(p)
    try:
        args = p.parse_args(argv)
    except engine_cli.UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return run(args)
