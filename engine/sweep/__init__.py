"""Sweeps: the articles' grid search, a grid of settings times seeds, trained in batched groups on
this machine's cores or on a dask.distributed cluster. See docs/sweep.md.

    grid = SweepGrid(Config(dataset="circle", noise=0.25, hidden=[4]), {"hidden_width": [1, 2, 3]}, seeds=5)
    sweep = Sweep(grid, workers=2)            # or dask="tcp://scheduler:8786"
    for cell in sweep.results(): ...          # each cell as it finishes; sweep.cancel() from any thread
"""
from .axes import AXES, SweepGrid
from .execute import Sweep
from .plan import plan
from .task import METRICS, SEED_FIELDS, train_group

__all__ = ["AXES", "METRICS", "SEED_FIELDS", "Sweep", "SweepGrid", "plan", "train_group"]
