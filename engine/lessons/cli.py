"""``python -m engine lesson``: list the lessons, or check one lesson's claim.

``--list`` prints one lesson ID per line. ``ID --check [--seeds N] [--json]`` measures the claim
over N seeds and prints each number beside its threshold (with --json, one object: id, passed,
numbers); exit 1 if the claim fails. Bad input: one line ``error: ...`` naming what is allowed,
exit 2. ``ID`` alone prints the lesson's data as JSON.
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from . import IDS, check, get

MAX_SEEDS = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lesson", nargs="?", metavar="ID", help=f"a lesson; allowed: {', '.join(IDS)}")
    parser.add_argument("--list", action="store_true", help="print one lesson ID per line")
    parser.add_argument("--check", action="store_true", help="measure the lesson's claim and compare it "
                        "with its thresholds (exit 1 if it fails)")
    parser.add_argument("--seeds", default="5", help=f"seeds to measure over, 1 to {MAX_SEEDS} (default: 5)")
    parser.add_argument("--json", action="store_true", help="with --check: print one JSON object "
                        "(id, passed, numbers); without: the lesson's data")


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run(args, out=None) -> int:
    out = out or sys.stdout
    if args.list:
        print("\n".join(IDS), file=out)
        return 0
    if args.lesson is None:
        return _error(f"lesson: missing; allowed: {', '.join(IDS)} (or --list)")
    if args.lesson not in IDS:
        return _error(f"lesson: unknown {args.lesson!r}; allowed: {', '.join(IDS)}")
    try:
        seeds = int(args.seeds)
    except ValueError:
        return _error(f"seeds: must be a whole number; got {args.seeds!r}; allowed: 1 to {MAX_SEEDS}")
    if not 1 <= seeds <= MAX_SEEDS:
        return _error(f"seeds: {seeds} is out of range; allowed: 1 to {MAX_SEEDS}")
    if not args.check:
        print(json.dumps(get(args.lesson).to_dict(), ensure_ascii=False, indent=1), file=out)
        return 0
    with np.errstate(all="ignore"):
        result = check(args.lesson, seeds)
    if args.json:
        print(json.dumps(_jsonable(result), ensure_ascii=False), file=out)
    else:
        print(f"{result['id']}: {'passed' if result['passed'] else 'FAILED'} over {seeds} seeds", file=out)
        print(f"  {'claim':<34} {'worst seed':>12}    {'threshold':<14} {'mean':>12}", file=out)
        for name, n in result["numbers"].items():
            mark = "" if n["passed"] else "   <- fails"
            print(f"  {name:<34} {n['measured']:>12.4g} {n['op']:>2} {n['threshold']:<14.4g} {n['mean']:>12.4g}{mark}",
                  file=out)
    return 0 if result["passed"] else 1


def _jsonable(x):
    """inf and nan are not JSON: they become null."""
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_jsonable(v) for v in x]
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.lessons", description="Learnscape's lessons.")
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:                      # argparse's own errors already printed one line
        return 0 if e.code == 0 else 2
    return run(args)
