"""Where a sweep runs: this process, a local pool of spawned processes, a real dask LocalCluster.
Same tables everywhere; cancelling leaves no process behind; cells stream as they finish."""
import multiprocessing as mp
import os
import threading
import time

import pytest

from engine import Config
from engine.sweep import SEED_FIELDS, Sweep, SweepGrid

GRID = dict(base=Config(dataset="circle", noise=0.25, hidden=[4]),
            axes={"hidden_width": [1, 2, 3], "learning_rate": [0.03, 0.1]}, seeds=2, epochs=5)


def table(result):
    return [(c["index"], c["setting"], [[s[k] for k in SEED_FIELDS if k != "time_s"] for s in c["seeds"]],
             {k: v for k, v in c["mean"].items() if k != "time_s"}) for c in result["cells"]]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_local_pool_streams_every_cell_with_progress_and_equals_this_process():
    grid = SweepGrid(**GRID)
    here = Sweep(grid, workers=0).run()
    seen = []
    pooled = Sweep(grid, workers=2).run(on_cell=seen.append)
    assert table(pooled) == table(here)
    assert sorted(c["done"] for c in seen) == list(range(1, 7)) and {c["cells"] for c in seen} == {6}
    assert pooled["summary"]["cells"] == 6 and not pooled["summary"]["cancelled"]
    assert mp.active_children() == []


def running_pool(sweep: Sweep, timeout=20.0):
    """Start sweep.results() in a thread; return (thread, the pool's pids) once its workers run."""
    got = []
    th = threading.Thread(target=lambda: got.extend(sweep.results()), daemon=True)
    th.start()
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        kids = mp.active_children()
        if len(kids) == 2 and sweep._pool is not None:
            return th, got, [p.pid for p in kids]
        time.sleep(0.05)
    pytest.fail("the pool's workers did not start")


def test_cancel_terminates_the_pool_workers_at_once(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    grid = SweepGrid(Config(dataset="circle", hidden=[4]), {"hidden_width": [2, 3, 4, 5]}, seeds=4, epochs=20_000)
    sweep = Sweep(grid, workers=2)
    th, got, pids = running_pool(sweep)
    assert all(alive(p) for p in pids)
    for p in pids:                                   # single-threaded NumPy in the workers, not here
        with open(f"/proc/{p}/environ", "rb") as f:
            assert b"OPENBLAS_NUM_THREADS=1" in f.read().split(b"\0")
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    t0 = time.monotonic()
    sweep.cancel()
    th.join(5)
    assert not th.is_alive() and time.monotonic() - t0 < 5
    assert got == [] and mp.active_children() == []
    assert not any(alive(p) for p in pids)


def test_leaving_the_stream_early_cancels_the_rest():
    """batch 250 takes one step per epoch, batch 1 takes 250: the first cell comes long before the second."""
    grid = SweepGrid(Config(dataset="circle", hidden=[4]), {"batch_size": [1, 250]}, seeds=2, epochs=400)
    sweep = Sweep(grid, workers=2)
    stream = sweep.results()
    first = next(stream)
    pids = [p.pid for p in mp.active_children()]
    assert first["setting"] == {"batch_size": 250} and len(pids) == 2 and all(alive(p) for p in pids)
    stream.close()
    assert mp.active_children() == [] and not any(alive(p) for p in pids)


def test_cancel_in_this_process_stops_at_an_epoch_boundary():
    grid = SweepGrid(Config(dataset="circle", hidden=[4]), {"hidden_width": [2, 3]}, seeds=2, epochs=50_000)
    sweep = Sweep(grid, workers=0)
    threading.Timer(0.5, sweep.cancel).start()
    t0 = time.monotonic()
    result = sweep.run()
    assert time.monotonic() - t0 < 3 and result["cells"] == [] and result["summary"]["cancelled"]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as c, distributed.Client(c) as client:
        yield c, client


def test_a_dask_local_cluster_gives_the_same_table_as_the_local_pool(cluster, monkeypatch):
    c, _ = cluster
    grid = SweepGrid(**GRID)
    on_dask = Sweep(grid, dask=c.scheduler_address).run()
    assert table(on_dask) == table(Sweep(grid, workers=2).run())
    monkeypatch.setenv("LEARNSCAPE_DASK", c.scheduler_address)
    assert Sweep(grid).dask == c.scheduler_address


def test_cancel_on_dask_stops_the_running_tasks(cluster):
    c, client = cluster
    grid = SweepGrid(Config(dataset="circle", hidden=[4]), {"hidden_width": [2, 3, 4, 5]}, seeds=2, epochs=50_000)
    sweep = Sweep(grid, dask=c.scheduler_address)
    got = []
    th = threading.Thread(target=lambda: got.extend(sweep.results()), daemon=True)
    th.start()
    end = time.monotonic() + 20
    while time.monotonic() < end and sum(len(v) for v in client.processing().values()) < 2:
        time.sleep(0.1)
    assert sum(len(v) for v in client.processing().values()) >= 2      # both workers busy
    sweep.cancel()
    th.join(5)
    assert not th.is_alive() and got == []

    def executing():                                 # threads still running a task, on every worker
        return sum(client.run(lambda dask_worker: len(dask_worker.state.executing)).values())
    assert executing() > 0                           # dask cannot kill a running thread: the task must notice
    end = time.monotonic() + 10
    while time.monotonic() < end and executing():
        time.sleep(0.1)
    assert executing() == 0 and not any(client.processing().values())


def test_an_unreachable_scheduler_is_a_one_line_error():
    pytest.importorskip("distributed")
    sweep = Sweep(SweepGrid(**GRID), dask="tcp://127.0.0.1:9", dask_timeout=1.0)
    with pytest.raises(ValueError, match=r"^dask: cannot reach a scheduler at 'tcp://127.0.0.1:9'"):
        sweep.run()


def test_the_pool_forks_only_from_a_single_threaded_process():
    """Forking a process with other threads can copy a held lock: the server's sweeps spawn."""
    import threading

    from engine.sweep.execute import _context
    got = {}
    t = threading.Thread(target=lambda: got.update(method=_context().get_start_method()))
    t.start()
    t.join()
    assert got["method"] == "spawn"
    assert _context().get_start_method() == ("fork" if threading.active_count() == 1 else "spawn")
