"""Sweep speed: 40 cells (hidden widths 1-8 x 5 seeds) of circle (noise 0.25, lr 0.03) for 100 epochs.

In one run, taking turns (so a busy spell on the shared machine slows them all alike):
  - reference: the 40 cells one after another, each by its own engine Trainer in this process,
    scored after every epoch as a sweep is (and, for the record, without the per-epoch scoring);
  - the sweep in this process (workers=0: batched crowds, one core);
  - the sweep on the local pool (workers=2, spawned processes, start-up included);
  - the sweep on a dask LocalCluster of 2 worker processes (cluster start-up timed separately).
Each figure is the median of --repeats runs, wall clock and CPU seconds (this process plus its
reaped children: the pool's workers count, the dask workers do not, they outlive the run). On a
shared machine the CPU figures are the steadier ones: on two idle cores a pool's wall time is about
its CPU time / 2 plus the start-up. The tables of the pool and the cluster are checked equal.

    .venv/bin/python bench/sweep.py [--repeats 3] [--no-dask]
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]   # this file is not `engine`
sys.path.insert(0, str(HERE.parent))

from engine import Config, Network, Trainer  # noqa: E402
from engine.sweep import SEED_FIELDS, Sweep, SweepGrid  # noqa: E402

BASE = Config(dataset="circle", noise=0.25, hidden=[4], learning_rate=0.03)
GRID = dict(axes={"hidden_width": list(range(1, 9))}, seeds=5, epochs=100)


def one_by_one(score: bool) -> None:
    grid = SweepGrid(BASE, **GRID)
    for cell in grid.cells:
        r = cell.config.resolved()
        for s in grid.init_seeds():
            t = Trainer(cell.config, weights=Network(r.sizes(), r.activation, r.output, r.init, seed=s).layers())
            if not score:
                t.run_epochs(grid.epochs)
                t.report()
                continue
            for _ in range(grid.epochs):
                t.run_epochs(1)
                t.evaluate(t.X_train, t.Y_train, t.y_train)
                t.evaluate(t.X_test, t.Y_test, t.y_test)


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def table(result) -> list:
    return [(c["index"], [[s[k] for k in SEED_FIELDS if k != "time_s"] for s in c["seeds"]]) for c in result["cells"]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    grid = SweepGrid(BASE, **GRID)
    print(f"cores {os.cpu_count()}, load average before {os.getloadavg()}")
    runs = {
        "reference: Trainer one by one, scored every epoch": lambda: one_by_one(True),
        "reference: Trainer one by one, scored at the end": lambda: one_by_one(False),
        "sweep, this process (workers=0)": lambda: Sweep(grid, workers=0).run(),
        "sweep, local pool (workers=2)": lambda: Sweep(grid, workers=2).run(),
    }
    cluster = client = None
    if not args.no_dask:
        from distributed import Client, LocalCluster
        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
        print(f"LocalCluster(2 workers) start-up: {time.perf_counter() - t0:.2f} s")
        runs["sweep, dask LocalCluster (2 workers)"] = lambda: Sweep(grid, dask=cluster.scheduler_address).run()
    times = {name: [] for name in runs}
    cpus = {name: [] for name in runs}
    results = {}
    for _ in range(args.repeats):
        for name, run in runs.items():
            c0, t0 = cpu(), time.perf_counter()
            results[name] = run()
            times[name].append(time.perf_counter() - t0)
            cpus[name].append(cpu() - c0)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    cpu_med = {name: statistics.median(cs) for name, cs in cpus.items()}
    ref = med["reference: Trainer one by one, scored every epoch"]
    cpu_ref = cpu_med["reference: Trainer one by one, scored every epoch"]
    print(f"{'run':52} {'median s':>9} {'best s':>7} {'speed-up':>9} {'CPU s':>7} {'CPU ratio':>9}")
    for name, ts in times.items():
        c = "    (n/a)" if "dask" in name else f"{cpu_med[name]:7.2f} {cpu_ref / cpu_med[name]:8.1f}x"
        print(f"{name:52} {med[name]:9.2f} {min(ts):7.2f} {ref / med[name]:8.1f}x {c}")
    pool = med["sweep, local pool (workers=2)"]
    print(f"speed-up of the pool against the Trainer one by one scored at the end: "
          f"{med['reference: Trainer one by one, scored at the end'] / pool:.1f}x")
    if cluster is not None:
        dask_name = "sweep, dask LocalCluster (2 workers)"
        same = table(results[dask_name]) == table(results["sweep, local pool (workers=2)"])
        print(f"dask overhead against the local pool: {med[dask_name] - pool:+.2f} s "
              f"({med[dask_name] / pool:.2f}x); identical tables: {same}")
        client.close()
        cluster.close()
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
