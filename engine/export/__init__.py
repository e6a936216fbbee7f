"""Exports of a trained network: ``onnx`` (an ONNX graph) and ``numpy_code`` (one .py file).

Both start from a run file (docs/engine.md): its config and weights, optionally trained further
here. What they share lives in this module: the source arguments, the trainer, a summary line.
"""
from __future__ import annotations

import sys

from ..trainer import Trainer


def add_source_arguments(parser) -> None:
    parser.add_argument("run_file", help="a run file (JSON, docs/engine.md)")
    parser.add_argument("--epochs", type=int, default=0,
                        help="train this many epochs from the file's weights before exporting "
                             "(default 0: export the file's weights as they are)")


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
    """``python -m engine.export.onnx ...`` before the lead wires it into ``python -m engine``."""
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
