"""A sweep's cell against the same configuration trained alone by engine.Trainer, epoch by epoch."""
import numpy as np
import pytest

from engine import Config, Network, Trainer
from engine.sweep import SEED_FIELDS, Sweep, SweepGrid, plan, train_group

BASES = [
    ({"dataset": "circle", "noise": 0.25, "hidden": [3]}, {"hidden_width": [2, 3], "learning_rate": [0.03, 0.1]}),
    ({"dataset": "blobs", "optimizer": "adam", "hidden": [5]}, {"learning_rate": [0.01, 0.003]}),
    ({"dataset": "reg-plane", "points": 200, "hidden": [3]}, {"depth": [1, 2], "optimizer": ["sgd", "momentum"]}),
    ({"dataset": "xor", "playground": True, "batch_size": 7}, {"learning_rate": [0.03, 0.3]}),
    ({"dataset": "circle", "regularization": "l2", "hidden": [4]}, {"reg_rate": [0.001, 0.01]}),
]


def alone(config: Config, init_seed: int, epochs: int) -> dict:
    """The reference: one Trainer from Network(..., seed=init_seed), scored after every epoch."""
    r = config.resolved()
    t = Trainer(config, weights=Network(r.sizes(), r.activation, r.output, r.init, seed=init_seed).layers())
    best = {"loss_train": np.inf, "loss_test": np.inf, "accuracy_train": -np.inf, "accuracy_test": -np.inf}
    for epoch in range(1, epochs + 1):
        t.run_epochs(1)
        ev = t.task.evaluate(t.model)
        lt, at, ls, acs = ev["loss_train"], ev["accuracy_train"], ev["loss_test"], ev["accuracy_test"]
        if ls < best["loss_test"]:
            best_epoch = epoch
        best = {"loss_train": min(best["loss_train"], lt), "loss_test": min(best["loss_test"], ls),
                "accuracy_train": max(best["accuracy_train"], -np.inf if at is None else at),
                "accuracy_test": max(best["accuracy_test"], -np.inf if acs is None else acs)}
    assert t.status == "ok"
    final = {"loss_train": lt, "accuracy_train": at, "loss_test": ls, "accuracy_test": acs}
    return {**final, **{f"best_{k}": (None if v == -np.inf else v) for k, v in best.items()}, "best_epoch": best_epoch}


def close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= 1e-10)


@pytest.mark.parametrize("base, axes", BASES)
def test_a_cell_equals_the_trainer_alone(base, axes):
    grid = SweepGrid(Config.from_dict(base), axes, seeds=2, epochs=6)
    cells = Sweep(grid, workers=0).run()["cells"]
    assert [c["index"] for c in cells] == list(range(len(grid.cells)))
    for cell, gc in zip(cells, grid.cells):
        assert cell["setting"] == gc.setting
        for i, seed in enumerate(cell["seeds"]):
            assert seed["seed"] == grid.base.seed + i and seed["diverged_epoch"] is None
            ref = alone(gc.config, grid.base.seed + i, 6)
            for k, v in ref.items():
                assert close(seed[k], v), (cell["setting"], i, k, seed[k], v)


def test_seed_zero_is_a_fresh_trainer_and_the_data_is_the_configs():
    grid = SweepGrid(Config(dataset="circle", noise=0.25, hidden=[3], seed=4), {"learning_rate": [0.1]},
                     seeds=3, epochs=4)
    seeds = Sweep(grid, workers=0).run()["cells"][0]["seeds"]
    t = Trainer(grid.cells[0].config)
    t.run_epochs(4)
    assert seeds[0]["seed"] == 4 and abs(seeds[0]["loss_test"] - t.report()["loss_test"]) <= 1e-10
    assert seeds[1]["loss_test"] != seeds[0]["loss_test"]          # another start, same data


def table(result):
    return [(c["index"], c["setting"], [{k: s[k] for k in SEED_FIELDS if k != "time_s"} for s in c["seeds"]])
            for c in result["cells"]]


def test_batched_cells_equal_unbatched_ones_and_divergence_is_recorded_alike():
    grid = SweepGrid(Config(dataset="reg-gauss", hidden=[4]), {"learning_rate": [0.01, 0.03, 3.0]},
                     seeds=3, epochs=8)
    batched, unbatched = Sweep(grid, workers=0).run(), Sweep(grid, workers=0, batched=False).run()
    for (i, s, a), (j, t, b) in zip(table(batched), table(unbatched)):
        assert (i, s) == (j, t)
        for x, y in zip(a, b):
            assert all(close(x[k], y[k]) if isinstance(x[k], float) else x[k] == y[k] for k in x), (x, y)
    fast = batched["cells"][2]
    assert all(s["diverged_epoch"] is not None and s["loss_test"] is None for s in fast["seeds"])
    assert fast["diverged"] == 3 and fast["mean"]["loss_test"] is None
    assert batched["summary"]["best"]["setting"]["learning_rate"] != 3.0


def test_results_do_not_depend_on_how_cells_are_split_into_tasks():
    grid = SweepGrid(Config(dataset="circle", hidden=[3]), {"learning_rate": [0.01, 0.03, 0.1, 0.3]},
                     seeds=2, epochs=3)
    one = Sweep(grid, workers=0).run()                    # one crowd of 8 models
    assert len(plan(grid, 1)) == 1 and len(plan(grid, 4)) == 4
    split = [c for task in plan(grid, 4) for c in train_group(task)]
    split.sort(key=lambda c: c["index"])
    for a, b in zip(one["cells"], split):
        assert [s["loss_test"] for s in a["seeds"]] == pytest.approx([s["loss_test"] for s in b["seeds"]], abs=1e-12)
