"""Landscape benchmark: the cost of a 61 x 61 loss slice of the default Playground network
(2-4-2-1 tanh, circle, 250 training points), the aggregate speed of a crowd of 64 default networks
trained together against one engine.Trainer in the same run, and training speed while a slice is
taken every 200 ms, all in this one process.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/landscape.py [--seconds 2]

Targets (the landscape issue): slice <= 30 ms; crowd >= 10 million examples/s; >= 5 slices/s while
training keeps >= 80% of its speed.
"""
from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"       # before numpy: one BLAS thread, as measured

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import numpy as np  # noqa: E402

from engine import Trainer, landscape  # noqa: E402
from engine.landscape.networks import Networks  # noqa: E402

RESOLUTION, MODELS, SLICE_EVERY = 61, 64, 0.2


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def bench_slices(tr: Trainer, traj: np.ndarray, repeat: int = 25) -> dict:
    kinds = {"random": {"seed": 0}, "weights": {"i": 0, "j": 9}, "pca": {"trajectory": traj}}
    out = {}
    for kind, params in kinds.items():
        landscape.slice_trainer(tr, kind, resolution=RESOLUTION, **params)
        t = timed(lambda: landscape.slice_trainer(tr, kind, resolution=RESOLUTION, **params), repeat)
        out[kind] = (min(t) * 1e3, statistics.median(t) * 1e3)
    return out


def throughput(run, examples_per_step: int, seconds: float, window: int = 100) -> tuple[float, float]:
    """Examples/s of run(window) over about `seconds` of short windows: (best, median). The best
    window is the engine's speed when nothing else wants the CPU; the median shows the neighbours."""
    rates, t_end = [], time.perf_counter() + seconds
    while time.perf_counter() < t_end or len(rates) < 5:
        t = time.perf_counter()
        run(window)
        rates.append(window * examples_per_step / (time.perf_counter() - t))
    return max(rates), statistics.median(rates)


def training_while_slicing(tr: Trainer, rounds: int = 12, periods: int = 3) -> tuple[float, float, float]:
    """Training alone for `periods` x 200 ms, then the same with a random slice at the start of
    every 200 ms period, alternated `rounds` times so that a busy neighbour hurts both alike.
    Returns (median steps/s alone, median of the per-round speed fractions, slices/s)."""
    alone, fractions, slices, spent = [], [], 0, 0.0
    for _ in range(rounds):
        t0, steps = time.perf_counter(), 0
        for k in range(1, periods + 1):
            steps += tr.run(10**6, deadline=t0 + k * SLICE_EVERY)
        alone.append(steps / (time.perf_counter() - t0))
        t0, steps = time.perf_counter(), 0
        for k in range(1, periods + 1):
            landscape.slice_trainer(tr, "random", resolution=RESOLUTION)
            slices += 1
            steps += tr.run(10**6, deadline=t0 + k * SLICE_EVERY)
        spent += time.perf_counter() - t0
        fractions.append(steps / (time.perf_counter() - t0) / alone[-1])
    return statistics.median(alone), statistics.median(fractions), slices / spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="measuring time per figure")
    args = ap.parse_args()
    tr = Trainer({})
    traj = landscape.Trajectory()
    for _ in range(100):
        traj.add(tr.network.theta)
        tr.run(5)
    print(f"network {tr.network}, {len(tr.X_train)} training points, numpy {np.__version__}")

    for kind, (best, med) in bench_slices(tr, np.vstack([traj.array(), tr.network.theta])).items():
        print(f"slice {kind:8s} {RESOLUTION}x{RESOLUTION}: {best:6.1f} ms best, {med:6.1f} ms median"
              f"   (target <= 30 ms)")

    single, crowd = Trainer({}), Networks.from_trainer(Trainer({}), models=MODELS)
    bs = single.r.batch_size
    one, many = (0.0, 0.0), (0.0, 0.0)
    for _ in range(2):                                  # alternate, so both see the same neighbours
        one = max(one, throughput(single.run, bs, args.seconds / 2))
        many = max(many, throughput(crowd.run, bs * MODELS, args.seconds / 2))
    print(f"single Trainer: {one[0] / 1e6:6.2f} M examples/s best window ({bs / one[0] * 1e6:5.1f} us/step),"
          f" {one[1] / 1e6:5.2f} M median")
    print(f"crowd of {MODELS}:    {many[0] / 1e6:6.2f} M examples/s aggregate, best window"
          f" ({bs * MODELS / many[0] * 1e6:5.1f} us/step), {many[1] / 1e6:5.2f} M median;"
          f" {many[0] / one[0]:4.1f}x one Trainer   (target >= 10 M/s)")

    alone, fraction, rate = training_while_slicing(tr, rounds=max(4, int(6 * args.seconds)))
    print(f"training alone {alone:8.0f} steps/s; with a {RESOLUTION}x{RESOLUTION} slice every"
          f" {SLICE_EVERY * 1e3:.0f} ms: {fraction:5.1%} of that speed (median of rounds),"
          f" {rate:4.1f} slices/s   (target >= 80%, >= 5/s)")

if __name__ == "__main__":
    main()
