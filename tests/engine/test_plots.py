"""The figures of engine/plots.py carry the run's own numbers."""
import numpy as np
import pytest

from engine import Trainer, plots


@pytest.fixture(scope="module")
def circle():
    t = Trainer({"dataset": "circle", "hidden": [3, 2], "features": ["x1", "x2", "x1_sq"], "seed": 3})
    history = [t.report()]
    for _ in range(4):
        t.run_epochs(2)
        history.append(t.report())
    return t, history


def test_loss_curves_plot_the_history(circle):
    t, history = circle
    fig = plots.loss_curves(history)
    train, test, acc_train, acc_test = fig.data
    assert list(train.x) == [0, 2, 4, 6, 8] and list(train.y) == [h["loss_train"] for h in history]
    assert list(test.y) == [h["loss_test"] for h in history]
    assert list(acc_test.y) == [h["accuracy_test"] for h in history] and acc_test.yaxis == "y2"
    regression = [{"epoch": 0, "loss_train": 2.0, "loss_test": float("nan"), "accuracy_test": None}]
    fig = plots.loss_curves(regression)
    assert len(fig.data) == 2 and fig.data[1].y == (None,)          # non-finite: a gap, not NaN
    assert plots.loss_curves(history, "zh").data[0].name == "训练损失"
    with pytest.raises(ValueError, match="lang: unknown 'fr'; allowed: en, zh"):
        plots.loss_curves(history, "fr")


def test_decision_map_is_the_networks_output_with_the_data(circle):
    t, _ = circle
    fig = plots.decision_map(t, resolution=30)
    heat, train, test = fig.data
    np.testing.assert_array_equal(np.asarray(heat.z), t.maps(30)[-1])
    assert (heat.zmin, heat.zmax) == (-1.0, 1.0)
    assert len(train.x) == len(t.P_train) and len(test.x) == len(t.P_test)
    assert list(train.marker.color).count(plots.BLUE) == int((t.y_train > 0).sum())


def test_decision_map_multiclass_and_regression():
    blobs = Trainer({"dataset": "blobs", "classes": 4, "hidden": [5], "seed": 1})
    blobs.run_epochs(3)
    heat = plots.decision_map(blobs, resolution=20).data[0]
    np.testing.assert_array_equal(np.asarray(heat.z), blobs.maps(20)[-4:].argmax(axis=0))
    reg = Trainer({"dataset": "reg-plane", "hidden": [3], "seed": 1})
    heat = plots.decision_map(reg, resolution=20).data[0]
    z = reg.maps(20)[-1]
    assert heat.zmax == pytest.approx(np.abs(z).max()) and heat.zmin == pytest.approx(-np.abs(z).max())


def test_network_draws_every_weight_and_bias(circle):
    t, _ = circle
    fig = plots.network(t)
    nodes = fig.data[-1]
    midpoints = fig.data[-2]
    assert list(nodes.text) == ["x1", "x2", "x1_sq", "h1.1", "h1.2", "h1.3", "h2.1", "h2.2", "output"]
    W = t.network.W
    assert len(midpoints.text) == sum(w.size for w in W)
    assert f"{W[1][1, 2]:.4g}" in midpoints.text[W[0].size + 1 * 3 + 2]   # W1[1, 2]
    np.testing.assert_array_equal(nodes.marker.color[3:6], t.network.b[0])
    lines = fig.data[:-2]
    # every weight is one segment (3 entries: from, to, gap) in exactly one line trace
    assert sum(len(tr.x) for tr in lines) == 3 * sum(w.size for w in W)
    colors = {tr.line.color for tr in lines}
    assert colors == {plots.BLUE, plots.ORANGE}


def test_config_table():
    fig = plots.config_table({"dataset": "xor", "hidden": [4, 2], "shuffle": True}, "zh")
    cells = fig.data[0].cells.values
    assert list(cells[0]) == ["dataset", "hidden", "shuffle"] and list(cells[1]) == ["xor", "[4, 2]", "true"]
    assert fig.layout.title.text == "配置"
