"""Exports of a trained network: ``onnx`` (an ONNX graph) and ``numpy_code`` (one .py file).

``python -m engine export run.json --onnx model.onnx --numpy model.py [--epochs N]``: both start
from a run file (docs/engine.md), its config and weights, optionally trained N epochs here.
This module holds the command (``add_arguments``, ``run``) and what the two exports share.
"""
from __future__ import annotations

import sys

from ..trainer import Trainer


def add_arguments(parser) -> None:
    parser.add_argument("run_file", help="a run file (JSON, docs/engine.md)")
    parser.add_argument("--epochs", type=int, default=0,
                        help="train this many epochs from the file's weights before exporting "
                             "(default 0: export the file's weights as they are)")
    parser.add_argument("--onnx", metavar="PATH", help="write the network as an ONNX model here")
    parser.add_argument("--numpy", metavar="PATH", help="write the network as one NumPy .py file here")


def run(args) -> int:
    """Export to every format asked for; 0 on success. Bad input raises ValueError."""
    if not (args.onnx or args.numpy):
        raise ValueError("export: nothing to write; allowed: --onnx PATH and/or --numpy PATH")
    trainer = source(args)
    if args.onnx:
        from . import onnx                         # needs the onnx package (learnscape[export])
        onnx.export(trainer, args.onnx)
    if args.numpy:
        from . import numpy_code
        numpy_code.export(trainer, args.numpy)
    for path in (args.onnx, args.numpy):
        if path:
            print(f"wrote {path}: {summary(trainer)}")
    return 0


def trainer_of(doc: dict, epochs: int = 0) -> Trainer:
    """The run file's network, trained `epochs` more epochs (0: its weights as given)."""
    if epochs < 0:
        raise ValueError(f"epochs: {epochs} is out of range; allowed: a whole number >= 0")
    trainer = Trainer.from_run(doc)
    trainer.run_epochs(epochs)
    return trainer


def source(args) -> Trainer:
    from ..cli import load_run                     # the one reader of run files
    return trainer_of(load_run(args.run_file), args.epochs)


def summary(trainer: Trainer) -> str:
    rep, net = trainer.report(), trainer.network
    acc = rep["accuracy_test"]
    return (f"{'-'.join(map(str, net.sizes))} {net.activation.name} network, output {net.output}, "
            f"step {rep['step']}, loss_train {rep['loss_train']:.6g}, loss_test {rep['loss_test']:.6g}"
            + ("" if acc is None else f", accuracy_test {acc:.4g}"))


def standalone(add_arguments, run, argv=None, prog=None) -> int:
    """Run a command on its own (``python -m engine.export ...``, ``python -m engine.report ...``)."""
    import argparse

    from ..cli import UsageError
    parser = argparse.ArgumentParser(prog=prog)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (ValueError, OSError, UsageError) as e:
        print(f"error: {str(e).splitlines()[0] if str(e) else type(e).__name__}", file=sys.stderr)
        return 2
