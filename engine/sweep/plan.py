"""From a grid to tasks: cells that share a network shape and data (everything but the learning
rate) form one group, trained as one batched crowd; groups are split along cell boundaries only
when there are fewer tasks than workers, or a group is larger than MAX_MODELS. Configurations the
crowd cannot train (regularisation) become one task per cell. The plan depends only on the grid
and the worker count, and a model's result does not depend on the plan (tests check it).
"""
from __future__ import annotations

import json
from dataclasses import replace

from ..network import param_count
from .axes import SweepGrid
from .models import batchable
from .task import make_task

MAX_MODELS = 256                     # models per crowd


def _group_key(config) -> str:
    return json.dumps(replace(config, learning_rate=1.0).to_dict(), sort_keys=True)


def _halve(chunks: list[list], i: int) -> None:
    c = chunks.pop(i)
    h = len(c) // 2
    chunks[i:i] = [c[:h], c[h:]]


def plan(grid: SweepGrid, workers: int = 1, batched: bool = True) -> list[dict]:
    """The tasks of a sweep, the costliest first."""
    groups: dict[str, list] = {}
    for cell in grid.cells:
        groups.setdefault(_group_key(cell.config), []).append(cell)
    chunks = []
    for cells in groups.values():
        if batched and batchable(cells[0].config):
            chunks.append(cells)
        else:
            chunks += [[c] for c in cells]
    seeds = grid.seeds
    while True:
        big = max(range(len(chunks)), key=lambda i: len(chunks[i]))
        if len(chunks[big]) < 2 or (len(chunks) >= workers and len(chunks[big]) * seeds <= MAX_MODELS):
            break
        _halve(chunks, big)

    def cost(cells) -> int:
        r = cells[0].config.resolved()
        return len(cells) * seeds * (param_count(r.sizes()) + 50) * r.points

    chunks.sort(key=lambda cells: (-cost(cells), cells[0].index))
    return [make_task(cells[0].config, cells, grid.init_seeds(), grid.epochs, batched) for cells in chunks]
