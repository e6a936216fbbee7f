"""The training pass's buffers: one call gives f' of every hidden layer, and of the output when its
activation is the hidden layers'."""
import numpy as np

from engine.network import Network


def passed(net, n=6, seed=0):
    X = np.random.default_rng(seed).normal(0, 1, (n, net.sizes[0]))
    A, p = net.forward_pass(X)
    p.derivative(*p.all)
    return A, p


def test_one_call_gives_every_hidden_layers_and_the_matching_outputs_derivative():
    net = Network([2, 4, 3, 1], "tanh", "tanh", init="xavier", seed=1)
    A, p = passed(net)
    np.testing.assert_allclose(p.F_out, 1.0 - A ** 2, rtol=1e-15)
    for _, HT, _, _, _, _, _, _, In, F in p.backward:
        np.testing.assert_allclose(F, 1.0 - In ** 2, rtol=1e-15)
    assert 0.0 < np.abs(p.F_out).min() and p.F_out.max() < 1.0


def test_an_output_with_its_own_activation_leaves_its_derivative_to_the_loss():
    for hidden, output in [("relu", "tanh"), ("tanh", "sigmoid"), ("tanh", "softmax"), ("linear", "linear")]:
        net = Network([2, 4, 3 if output == "softmax" else 1], hidden, output, init="xavier", seed=2)
        _, p = passed(net)
        assert p.F_out is None, (hidden, output)
    relu = Network([2, 5, 1], "relu", "tanh", init="xavier", seed=3)
    _, p = passed(relu)
    (_, _, _, _, _, _, Z, _, _, F), = p.backward
    np.testing.assert_array_equal(F, (Z > 0).astype(float))
