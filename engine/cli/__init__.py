"""Headless use: ``python -m engine COMMAND ...``.

| command | module |
|---|---|
| `train` | engine.cli.train: a configuration, a run file or a CSV table, its losses per report |
| `data mnist` | engine.digits.mnist: download the full MNIST into the cache |
| `lesson` | engine.lessons.cli: list the lessons, check a lesson's claim |
| `sweep` | engine.sweep.cli: a grid of settings times seeds |
| `export` | engine.export: a run file's network as ONNX or one NumPy file |
| `report` | engine.report: a run file trained into one offline HTML report |

Bad input ends with one line ``error: <field>: <what is wrong>; allowed: ...`` on stderr and exit
code 2.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from .common import FLAGS, SWITCHES, Parser, UsageError, load_run

__all__ = ["FLAGS", "SWITCHES", "Parser", "UsageError", "build_parser", "load_run", "main"]
DATA_SOURCES = ("mnist",)


def build_parser() -> Parser:
    from .. import export, report
    from ..lessons import cli as lessons
    from ..sweep import cli as sweep
    from . import train
    top = Parser(prog="python -m engine", formatter_class=argparse.RawDescriptionHelpFormatter,
                 description="Learnscape's learning engine, headless.")
    sub = top.add_subparsers(dest="command", metavar="{train,data,lesson,sweep,export,report}")
    for name, module, text in (("train", train, "train a configuration, a run file or a CSV and print its losses"),
                               ("lesson", lessons, "list the lessons or check a lesson's claim"),
                               ("sweep", sweep, "train a grid of settings times seeds"),
                               ("export", export, "export a run file's network (ONNX, NumPy)"),
                               ("report", report, "write a run file's offline HTML report")):
        p = sub.add_parser(name, help=text)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
        if name == "train":
            top.epilog = "options of train:\n" + p.format_help().split("options:\n", 1)[1]
    p = sub.add_parser("data", help="fetch data that do not ship with the project (data mnist --help)")
    p.add_argument("source", help=f"allowed: {', '.join(DATA_SOURCES)}")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="the source's own options")
    p.set_defaults(run=_data)
    return top


def _data(args, out=None) -> int:
    if args.source not in DATA_SOURCES:
        raise UsageError(f"source: unknown {args.source!r}; allowed: {', '.join(DATA_SOURCES)}")
    from ..digits import mnist
    return mnist.main(args.rest)


def main(argv=None, out=None) -> int:
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            raise UsageError("command: missing; allowed: train, data, lesson, sweep, export, report "
                             "(see python -m engine --help)")
        with np.errstate(all="ignore"):             # a diverging run is reported, not warned about
            code = args.run(args, out) if args.command in ("train", "lesson", "sweep") else args.run(args)
    except (UsageError, ValueError, OSError) as e:
        print(f"error: {str(e).splitlines()[0] if str(e) else type(e).__name__}", file=sys.stderr)
        return 2
    except BrokenPipeError:                            # e.g. piped into head
        return 0
    return code or 0
