"""The network: whole-network gradients against central differences (float64), parameter views,
initialisers, per-weight edits, JSON layers, dropout, parameter count."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import engine
from engine import activations, losses
from engine.network import Network, param_count

SMOOTH = [a for a in activations.HIDDEN_ACTIVATIONS if a != "sign"]


def data_for(net, n, rng):
    X = rng.normal(0, 1.5, (n, net.sizes[0]))
    k = net.sizes[-1]
    if net.output == "softmax":
        Y = np.eye(k)[rng.integers(0, k, n)]
    elif net.output == "tanh":
        Y = rng.choice([-1.0, 1.0], (n, k))
    elif net.output == "sigmoid":
        Y = rng.choice([0.0, 1.0], (n, k))
    else:
        Y = rng.normal(0, 1, (n, k))
    return X, Y


def mean_loss(net, loss, X, Y, **forward):
    A = net.forward(X, **forward).copy()
    return losses.per_example(loss, net.output_z(len(X)), A, Y, net.output).mean()


def gradient_error(net, loss_name, X, Y, h=1e-6, rng_seed=None):
    """Relative error between backprop's gradient and central differences over every entry of theta."""
    loss = losses.get(loss_name)
    n = len(X)

    def forward_kwargs():             # the same dropout mask on every pass
        return {} if rng_seed is None else {"train": True, "rng": np.random.default_rng(rng_seed)}

    A = net.forward(X, **forward_kwargs())
    net.backward(loss.delta(net.output_z(n), A, Y, net.output) / n)
    analytic = net.grad.copy()
    numeric = np.empty_like(analytic)
    theta = net.theta
    for i in range(theta.size):
        keep = theta[i]
        theta[i] = keep + h
        up = mean_loss(net, loss, X, Y, **forward_kwargs())
        theta[i] = keep - h
        down = mean_loss(net, loss, X, Y, **forward_kwargs())
        theta[i] = keep
        numeric[i] = (up - down) / (2 * h)
    assert np.linalg.norm(analytic) > 1e-8, "a zero gradient would pass trivially"
    return np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic + numeric)


@pytest.mark.parametrize("sizes, activation, output, loss", [
    ([2, 1], "tanh", "tanh", "half_mse"),
    ([2, 4, 2, 1], "tanh", "tanh", "half_mse"),
    ([3, 5, 5, 5, 2], "tanh", "softmax", "softmax_ce"),
    ([7, 8, 1], "relu", "linear", "mse"),
    ([2, 6, 3, 1], "sigmoid", "sigmoid", "bce"),
    ([4, 5, 1], "elu", "tanh", "bce"),
    ([2, 3, 1], "swish", "sigmoid", "mse"),
])
def test_whole_network_gradient(sizes, activation, output, loss):
    rng = np.random.default_rng(sum(sizes))
    net = Network(sizes, activation, output, init="xavier", seed=4)
    net.b[0][:] = rng.normal(0, 0.3, net.b[0].shape)  # non-zero biases exercise db
    X, Y = data_for(net, 9, rng)
    assert gradient_error(net, loss, X, Y) < 1e-6


@pytest.mark.parametrize("activation", SMOOTH)
def test_gradient_for_every_hidden_activation(activation):
    rng = np.random.default_rng(7)
    net = Network([3, 5, 4, 1], activation, "tanh", init="playground", seed=2)
    X, Y = data_for(net, 8, rng)
    assert gradient_error(net, "half_mse", X, Y) < 1e-6


@pytest.mark.parametrize("loss, output", [("mse", "tanh"), ("mse", "sigmoid"), ("half_mse", "linear"),
                                          ("bce", "sigmoid"), ("bce", "tanh"), ("softmax_ce", "softmax")])
def test_gradient_for_every_loss_and_output(loss, output):
    rng = np.random.default_rng(11)
    k = 3 if output == "softmax" else 1
    net = Network([2, 4, k], "tanh", output, init="xavier", seed=5)
    X, Y = data_for(net, 6, rng)
    assert gradient_error(net, loss, X, Y) < 1e-6


PAIRS = [("half_mse", "tanh"), ("mse", "linear"), ("bce", "sigmoid"), ("bce", "tanh"), ("softmax_ce", "softmax")]


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(widths=st.lists(st.integers(1, 5), min_size=0, max_size=3), inputs=st.integers(1, 4),
       activation=st.sampled_from([a for a in SMOOTH if "relu" not in a]), pair=st.sampled_from(PAIRS),
       init=st.sampled_from(["playground", "xavier", "he"]), n=st.integers(1, 6), seed=st.integers(0, 99))
def test_gradient_of_random_shapes(widths, inputs, activation, pair, init, n, seed):
    loss, output = pair
    k = 3 if output == "softmax" else 1
    net = Network([inputs, *widths, k], activation, output, init=init, seed=seed)
    X, Y = data_for(net, n, np.random.default_rng(seed))
    assert gradient_error(net, loss, X, Y) < 1e-6


@pytest.mark.parametrize("sizes, activation, output, loss", [
    ([2, 4, 2, 1], "tanh", "tanh", "half_mse"),         # the output's f' from the hidden layers' call
    ([3, 5, 2], "sigmoid", "sigmoid", "mse"),
    ([2, 3, 3, 2], "linear", "linear", "mse"),
    ([2, 1], "tanh", "tanh", "half_mse"),               # no hidden layer: that call is the output's alone
    ([2, 4, 1], "relu", "tanh", "half_mse"),            # the loss computes the output's f' itself
    ([3, 4, 3], "tanh", "softmax", "softmax_ce"),
    ([2, 5, 1], "tanh", "tanh", "bce"),
])
def test_the_training_gradient_is_backprops_with_the_mean_loss(sizes, activation, output, loss):
    """gradient() (the Trainer's path, f' before the loss) gives what forward, the loss's delta and
    backward give, for X and for [X 1], and returns the batch's mean loss."""
    rng = np.random.default_rng(len(sizes))
    net = Network(sizes, activation, output, init="xavier", seed=6, loss=loss)
    net.b[0][:] = rng.normal(0, 0.3, net.b[0].shape)
    X, Y = data_for(net, 7, rng)
    L = losses.get(loss)
    A = net.forward(X)
    net.backward(L.delta(net.output_z(7), A, Y, output) / 7)
    want, want_loss = net.grad.copy(), losses.per_example(L, net.output_z(7), A, Y, output).mean()
    for inputs in (X, np.column_stack([X, np.ones(7)])):
        fresh = Network(sizes, activation, output, init="zeros", loss=loss)    # buffers of its own
        fresh.theta[:] = net.theta
        got_loss = fresh.gradient((inputs, Y), None, False)
        np.testing.assert_allclose(fresh.grad, want, rtol=1e-12, atol=1e-15)
        assert got_loss == pytest.approx(want_loss, rel=1e-12)


def test_gradient_with_a_fixed_dropout_mask():
    rng = np.random.default_rng(3)
    net = Network([2, 6, 6, 1], "tanh", "tanh", init="xavier", seed=1, dropout=0.3)
    X, Y = data_for(net, 10, rng)
    assert gradient_error(net, "half_mse", X, Y, rng_seed=42) < 1e-6


def test_dropout_is_inverted_and_off_at_evaluation():
    h = 400
    net = Network([2, h, 1], "linear", "linear", init="zeros", dropout=0.5)
    net.b[0][:] = 1.0                                  # every hidden unit outputs 1
    net.W[1][:] = 1.0 / h                              # the output averages them: 1 without dropout
    X = np.zeros((50, 2))
    out = net.forward(X, train=True, rng=np.random.default_rng(0)).copy()
    kept = out[:, 0] * h / 2.0                         # each kept unit counts 1 / (1 - p) = 2
    np.testing.assert_allclose(kept, np.rint(kept), atol=1e-9)
    assert len(np.unique(np.rint(kept))) > 5 and abs(out.mean() - 1.0) < 0.02
    np.testing.assert_allclose(net.forward(X), 1.0, rtol=1e-12)
    np.testing.assert_allclose(net.predict(X), 1.0, rtol=1e-12)


def test_param_count():
    assert param_count([784, 16, 16, 10]) == engine.param_count([784, 16, 16, 10]) == 13002
    assert Network([784, 16, 16, 10], output="softmax").theta.size == 13002
    assert param_count([2, 4, 2, 1]) == 12 + 10 + 3


def test_parameters_are_views_of_one_flat_vector():
    net = Network([2, 3, 1])
    net.theta[:] = np.arange(net.theta.size)
    # layout: per layer [W.T; b] (in + 1, out) row by row: W0.T (2, 3), b0 (3,), W1.T (3, 1), b1 (1,)
    assert net.W[0].tolist() == [[0, 3], [1, 4], [2, 5]]
    assert net.b[0].tolist() == [6, 7, 8]
    assert net.W[1].tolist() == [[9, 10, 11]] and net.b[1].tolist() == [12]
    assert net.names == ["W0", "b0", "W1", "b1"]
    assert net.weight_mask.tolist() == [1] * 6 + [0] * 3 + [1] * 3 + [0]
    net.W[1][0, 2] = -1.0
    assert net.theta[11] == -1.0
    net.W[0][2, 0] = -2.0
    assert net.theta[2] == -2.0
    assert all(np.shares_memory(v, net.theta) for v in net.params().values())
    assert all(np.shares_memory(v, net.grad) for v in net.grads().values())


def test_w_i_j_is_the_weight_from_node_j_into_node_i():
    net = Network([2, 3, 1], "linear", "linear", init="zeros")
    net.set_weight(0, 2, 1, 5.0)                        # x2 -> hidden node 2
    net.set_weight(1, 0, 2, 1.0)                        # hidden node 2 -> output
    net.set_weight(1, 0, None, 0.25)                    # output bias
    out = net.predict(np.array([[1.0, 3.0]]))
    assert out[0, 0] == 5.0 * 3.0 + 0.25
    assert net.W[0][2, 1] == 5.0 and net.b[1][0] == 0.25


@pytest.mark.parametrize("args, field", [((2, 0, 0, 1.0), "layer"), ((0, 3, 0, 1.0), "to"),
                                         ((0, 0, 2, 1.0), "from"), ((0, 0, 0, float("nan")), "value")])
def test_set_weight_refuses_out_of_range(args, field):
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match=f"^{field}: "):
        net.set_weight(*args)


def test_layers_round_trip_and_shape_checks():
    a = Network([2, 4, 2, 1], seed=1)
    b = Network([2, 4, 2, 1], seed=2)
    assert not np.array_equal(a.theta, b.theta)
    b.load_layers(a.layers())
    np.testing.assert_array_equal(a.theta, b.theta)
    layers = a.layers()
    assert len(layers) == 3 and np.shape(layers[0]["W"]) == (4, 2) and len(layers[0]["b"]) == 4
    with pytest.raises(ValueError, match="^weights: expected 3 layers"):
        b.load_layers(layers[:2])
    layers[1]["W"] = [[0.0] * 3] * 2
    with pytest.raises(ValueError, match="^weights: layer 1 needs W"):
        b.load_layers(layers)


def test_inits():
    pg = Network([2, 50, 50, 1], init="playground", seed=1)
    W = np.concatenate([w.ravel() for w in pg.W])
    assert W.min() >= -0.5 and W.max() < 0.5 and W.std() > 0.25
    assert all(np.all(b == 0.1) for b in pg.b)
    np.testing.assert_array_equal(pg.theta, Network([2, 50, 50, 1], init="playground", seed=1).theta)
    assert not np.array_equal(pg.theta, Network([2, 50, 50, 1], init="playground", seed=2).theta)
    xa = Network([100, 300, 1], init="xavier", seed=1)
    bound = np.sqrt(6 / 400)
    assert np.abs(xa.W[0]).max() <= bound and np.abs(xa.W[0]).max() > 0.95 * bound
    he = Network([200, 400, 1], init="he", seed=1)
    assert he.W[0].std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)
    assert not np.any(Network([2, 4, 1], init="zeros").theta)
    with pytest.raises(ValueError, match="^init: unknown"):
        Network([2, 1], init="orthogonal")


def test_zero_initialisation_never_breaks_symmetry():
    """The lesson of the zeros initialiser: every neuron of a layer stays the same."""
    from engine.trainer import Trainer
    t = Trainer({"init": "zeros", "hidden": [4, 3], "activation": "sigmoid", "learning_rate": 0.3})
    t.run(200)
    W0, W1 = t.network.W[0], t.network.W[1]
    assert np.any(W1)                                  # it did learn something
    np.testing.assert_allclose(W0, W0[[0]].repeat(4, 0), rtol=0, atol=1e-12)
    np.testing.assert_allclose(W1, W1[[0]].repeat(3, 0), rtol=0, atol=1e-12)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="^hidden: "):
        Network([2, 0, 1])
    with pytest.raises(ValueError, match="^output: unknown"):
        Network([2, 1], output="relu")


def test_repr_names_the_shape():
    assert repr(Network([2, 4, 2, 1])) == "Network(2-4-2-1, tanh, output=tanh, params=25)"
