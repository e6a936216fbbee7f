"""The sweep's grid: axes, cells, and one-line refusals naming the axis and what is allowed."""
import pytest

from engine import Config
from engine.sweep import SweepGrid


def test_cells_are_the_product_of_the_axes_in_row_major_order():
    g = SweepGrid(Config(hidden=[4, 2]), {"learning_rate": [0.01, 0.1], "hidden_width": [2, 3, 5]}, seeds=3)
    assert [c.setting for c in g.cells][:3] == [{"hidden_width": 2, "learning_rate": 0.01},
                                                {"hidden_width": 2, "learning_rate": 0.1},
                                                {"hidden_width": 3, "learning_rate": 0.01}]
    assert len(g.cells) == 6 and g.models == 18 and g.init_seeds() == [1, 2, 3]
    assert g.cells[0].config.hidden == [2, 2]                 # every hidden layer, base depth 2
    d = SweepGrid(Config(hidden=[6]), {"depth": [0, 1, 3]})
    assert [c.config.hidden for c in d.cells] == [[], [6], [6, 6, 6]]
    n = SweepGrid(Config(), {"noise": [0, 0.5], "activation": ["relu", "tanh"], "optimizer": ["adam"]})
    assert (n.cells[3].config.noise, n.cells[3].config.activation, n.cells[3].config.optimizer) == (0.5, "tanh", "adam")


@pytest.mark.parametrize("axes, seeds, epochs, message", [
    ({"width": [1]}, 1, 10, "axes: unknown axis 'width'; allowed: hidden_width, depth"),
    ({"hidden_width": [0, 2]}, 1, 10, "hidden_width: 0 is not allowed; allowed: whole numbers 1 to 1024"),
    ({"hidden_width": [2.5]}, 1, 10, "hidden_width: 2.5 is not allowed"),
    ({"learning_rate": [-1]}, 1, 10, "learning_rate: -1 is not allowed; allowed: numbers above 0.0 to 10.0"),
    ({"noise": [0.7]}, 1, 10, "noise: 0.7 is not allowed; allowed: numbers 0.0 to 0.5"),
    ({"activation": ["tanh", "softsign"]}, 1, 10, "activation: 'softsign' is not allowed; allowed: "),
    ({"optimizer": ["sgd", "lbfgs"]}, 1, 10, "optimizer: 'lbfgs' is not allowed; allowed: sgd"),
    ({"batch_size": [10, 10]}, 1, 10, "batch_size: a value appears twice"),
    ({"learning_rate": []}, 1, 10, "learning_rate: needs a list of 1 to 64 values"),
    ({"reg_rate": [0.1, 0.2]}, 1, 10, "reg_rate: an axis over it needs a regularization; allowed: l1, l2, dropout"),
    ({"hidden_width": [1, 2], "depth": [1, 2], "learning_rate": [0.1, 0.2], "noise": [0, 0.1]}, 1, 10,
     "axes: 4 axes vary (hidden_width, depth, learning_rate, noise); allowed: 1 to 3"),
    ({"hidden_width": [1]}, 0, 10, "seeds: 0 is not allowed; allowed: whole numbers 1 to 100"),
    ({"hidden_width": [1]}, 1, -5, "epochs: -5 is not allowed; allowed: whole numbers 1 to 100000"),
])
def test_bad_axes_and_values_are_refused_on_one_line(axes, seeds, epochs, message):
    with pytest.raises(ValueError) as e:
        SweepGrid(Config(), axes, seeds, epochs)
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_a_value_the_base_config_refuses_names_the_setting():
    with pytest.raises(ValueError, match=r"activation: .*'softmax'"):
        SweepGrid(Config(), {"activation": ["softmax"]})
