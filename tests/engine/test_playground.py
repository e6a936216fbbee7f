"""The Playground-compatible mode against TensorFlow Playground's nn.ts, worked in plain Python floats.

nn.ts semantics (docs/engine.md, "The Playground-compatible mode"): per example, forward then backprop with the error
derivative (a - y) of 1/2 (a - y)^2, gradients accumulated; after the (i+1)-th example of an epoch,
when (i+1) % batch_size == 0, every bias and live weight moves by lr * accumulated / count; each
weight then takes the regularisation step lr * rate * R'(w before the gradient step), and with L1 a
weight whose regularisation step crosses zero becomes 0 and dead. The leftover examples of an epoch
stay accumulated into the next epoch's first update. Loss: the mean of 1/2 (a - y)^2.
"""
import math

import numpy as np
import pytest

from engine.trainer import Trainer

ACT = {
    "tanh": (math.tanh, lambda z: 1 - math.tanh(z) ** 2),
    "relu": (lambda z: max(0.0, z), lambda z: 0.0 if z <= 0 else 1.0),
    "linear": (lambda z: z, lambda z: 1.0),
}
# the input features, from the point (x1, x2), as the Playground's INPUTS table computes them
FEAT = {"x1": lambda a, b: a, "x2": lambda a, b: b, "x1_sq": lambda a, b: a * a, "x2_sq": lambda a, b: b * b,
        "x1x2": lambda a, b: a * b, "sin_x1": lambda a, b: math.sin(a), "sin_x2": lambda a, b: math.sin(b)}


def sign(w):
    return -1.0 if w < 0 else (1.0 if w > 0 else 0.0)


class PlaygroundNet:
    """A line-by-line port of nn.ts's forwardProp / backProp / updateWeights, one scalar at a time."""

    def __init__(self, layers, hidden="tanh", reg="none", rate=0.0, output="tanh", features=("x1", "x2")):
        self.output, self.features = output, list(features)
        self.W = [[list(row) for row in layer["W"]] for layer in layers]
        self.b = [list(layer["b"]) for layer in layers]
        self.hidden, self.reg, self.rate = hidden, reg, rate
        self.dead = [[[False] * len(row) for row in W] for W in self.W]
        self.zero_acc()

    def zero_acc(self):
        self.accW = [[[0.0] * len(row) for row in W] for W in self.W]
        self.accb = [[0.0] * len(b) for b in self.b]
        self.count = 0

    def forward(self, x):
        outs, zs = [[FEAT[f](*x) for f in self.features]], []
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            f = ACT[self.output if l == len(self.W) - 1 else self.hidden][0]
            z = [b[i] + sum(W[i][j] * outs[-1][j] for j in range(len(W[i]))) for i in range(len(W))]
            zs.append(z)
            outs.append([f(v) for v in z])
        return outs, zs

    def backprop(self, x, label):
        outs, zs = self.forward(x)
        out_der = [outs[-1][0] - label]                # d/da of 1/2 (a - y)^2
        for l in range(len(self.W) - 1, -1, -1):
            der = ACT[self.output if l == len(self.W) - 1 else self.hidden][1]
            in_der = [out_der[i] * der(zs[l][i]) for i in range(len(zs[l]))]
            for i, d in enumerate(in_der):
                self.accb[l][i] += d
                for j in range(len(self.W[l][i])):
                    if not self.dead[l][i][j]:
                        self.accW[l][i][j] += d * outs[l][j]
            out_der = [sum(self.W[l][i][j] * in_der[i] for i in range(len(in_der)))
                       for j in range(len(outs[l]))]
        self.count += 1

    def update(self, lr):
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            for i in range(len(W)):
                b[i] -= lr * self.accb[l][i] / self.count
                for j in range(len(W[i])):
                    if self.dead[l][i][j]:
                        continue
                    w = W[i][j]
                    reg_der = {"l1": sign(w), "l2": w}.get(self.reg, 0.0)
                    w = w - (lr / self.count) * self.accW[l][i][j]
                    new = w - lr * self.rate * reg_der
                    if self.reg == "l1" and w * new < 0:
                        W[i][j], self.dead[l][i][j] = 0.0, True
                    else:
                        W[i][j] = new
        self.zero_acc()

    def epoch(self, train, batch_size, lr):
        for i, (x1, x2, label) in enumerate(train):
            self.backprop((x1, x2), label)
            if (i + 1) % batch_size == 0:
                self.update(lr)

    def loss(self, points):
        return sum(0.5 * (self.forward((x1, x2))[0][-1][0] - y) ** 2 for x1, x2, y in points) / len(points)


def compare(layers, train, test, hidden, batch_size, lr, epochs, reg="none", rate=0.0, tol=1e-12,
            dataset="circle", features=("x1", "x2")):
    config = {"playground": True, "hidden": [len(l["b"]) for l in layers[:-1]], "activation": hidden,
              "batch_size": batch_size, "learning_rate": lr, "regularization": reg, "reg_rate": rate,
              "dataset": dataset, "features": list(features)}
    t = Trainer(config, data={"train": train, "test": test}, weights=layers)
    ref = PlaygroundNet(layers, hidden, reg, rate, t.r.output, features)
    rep = t.report()
    assert rep["loss_train"] == pytest.approx(ref.loss(train), abs=tol)
    for e in range(epochs):
        ref.epoch(train, batch_size, lr)
        t.run_epochs(1)
        rep = t.report()
        assert rep["epoch"] == e + 1
        assert rep["loss_train"] == pytest.approx(ref.loss(train), abs=tol), f"epoch {e + 1}"
        assert rep["loss_test"] == pytest.approx(ref.loss(test), abs=tol), f"epoch {e + 1}"
        for l, layer in enumerate(t.network.layers()):
            np.testing.assert_allclose(layer["W"], ref.W[l], rtol=0, atol=tol)
            np.testing.assert_allclose(layer["b"], ref.b[l], rtol=0, atol=tol)
    return t, ref


TRAIN = [[1.0, 2.0, 1.0], [-1.0, 0.5, -1.0], [0.5, -1.0, 1.0]]
TEST = [[2.0, 2.0, 1.0], [-2.0, -1.0, -1.0]]


def test_first_two_epochs_of_a_2_1_network_by_hand():
    """Three points, batch 2: epoch 1 updates on points 0, 1 and leaves point 2 accumulated; epoch 2's
    only update averages point 2 (at the weights after update 1) with points 0 and 1."""
    w1, w2, b, lr = 0.2, -0.3, 0.1, 0.1
    t = Trainer({"playground": True, "hidden": [], "batch_size": 2, "learning_rate": lr},
                data={"train": TRAIN, "test": TEST}, weights=[{"W": [[w1, w2]], "b": [b]}])

    def grads(w1, w2, b, points):
        """Summed dE/dw1, dE/dw2, dE/db of 1/2 (tanh(w.x + b) - y)^2 over `points`."""
        g1 = g2 = gb = 0.0
        for x1, x2, y in points:
            a = math.tanh(w1 * x1 + w2 * x2 + b)
            d = (a - y) * (1 - a * a)
            g1, g2, gb = g1 + d * x1, g2 + d * x2, gb + d
        return g1, g2, gb

    g1, g2, gb = grads(w1, w2, b, TRAIN[:2])
    w1, w2, b = w1 - lr * g1 / 2, w2 - lr * g2 / 2, b - lr * gb / 2
    t.run_epochs(1)
    assert (t.epoch, t.step_count) == (1, 1)
    np.testing.assert_allclose(t.network.W[0], [[w1, w2]], rtol=0, atol=1e-15)
    assert t.network.b[0][0] == pytest.approx(b, abs=1e-15)

    g1, g2, gb = grads(w1, w2, b, [TRAIN[2], TRAIN[0], TRAIN[1]])
    w1, w2, b = w1 - lr * g1 / 3, w2 - lr * g2 / 3, b - lr * gb / 3
    t.run_epochs(1)
    assert (t.epoch, t.step_count) == (2, 2)
    np.testing.assert_allclose(t.network.W[0], [[w1, w2]], rtol=0, atol=1e-15)
    assert t.network.b[0][0] == pytest.approx(b, abs=1e-15)
    loss = sum(0.5 * (math.tanh(w1 * x1 + w2 * x2 + b) - y) ** 2 for x1, x2, y in TRAIN) / 3
    assert t.report()["loss_train"] == pytest.approx(loss, abs=1e-15)
    # and the port agrees with the hand computation
    compare([{"W": [[0.2, -0.3]], "b": [0.1]}], TRAIN, TEST, "tanh", 2, lr, 2)


def test_one_hidden_neuron_five_points_with_l2():
    train = [[1.0, 2.0, 1.0], [-1.0, 0.5, -1.0], [0.5, -1.0, 1.0], [-2.0, -1.5, -1.0], [0.3, 0.8, 1.0]]
    layers = [{"W": [[0.4, -0.2]], "b": [0.1]}, {"W": [[0.7]], "b": [0.1]}]
    compare(layers, train, TEST, "tanh", 2, 0.3, 5, reg="l2", rate=0.1)


def test_the_leftover_carries_across_epochs_when_the_batch_does_not_divide():
    """Five points, batch 3: updates after 3, then 2 + 3, then 2 + 3 ... examples."""
    train = [[1.0, 2.0, 1.0], [-1.0, 0.5, -1.0], [0.5, -1.0, 1.0], [-2.0, -1.5, -1.0], [0.3, 0.8, 1.0]]
    t, _ = compare([{"W": [[0.4, -0.2]], "b": [0.1]}], train, TEST, "tanh", 3, 0.5, 4)
    assert t.step_count == 4                           # one update per epoch


def test_l1_freezes_a_weight_whose_step_crosses_zero():
    # x1 is small, so w1's gradient step is small; its L1 step of lr * rate = 0.01 crosses zero
    train = [[0.01, 2.0, 1.0], [-0.02, 0.5, -1.0], [0.01, -1.0, 1.0]]
    layers = [{"W": [[0.004, -0.3]], "b": [0.1]}]
    t, ref = compare(layers, train, TEST, "tanh", 2, 0.1, 6, reg="l1", rate=0.1)
    assert t.network.W[0][0, 0] == 0.0 and ref.dead[0][0] == [True, False]
    assert t.network.dW[0][0, 0] != 0.0               # it has a gradient, yet stays frozen
    assert t.network.W[0][0, 1] != -0.3
    t.reset()
    assert t.network.W[0][0, 0] == 0.004 and t.alive.min() == 1.0


def test_default_network_on_circle_data_matches_for_several_epochs():
    base = Trainer({"points": 46, "seed": 3})          # 23 train points, playground initialiser
    train = np.column_stack([base.P_train, base.y_train]).tolist()
    test = np.column_stack([base.P_test, base.y_test]).tolist()
    layers = base.network.layers()
    compare(layers, train, test, "tanh", 10, 0.03, 4, reg="l2", rate=0.01)
    t, ref = compare(layers, train, test, "relu", 10, 0.3, 4, reg="l1", rate=0.3)
    assert any(any(row) for dead in ref.dead for row in dead), "the L1 case should freeze some weight"


def test_playground_mode_forces_its_choices():
    t = Trainer({"playground": True, "loss": "mse", "optimizer": "adam", "shuffle": True,
                 "schedule": "cosine", "regularization": "l1", "reg_rate": 0.01})
    r = t.r
    assert (r.loss, r.optimizer, r.shuffle, r.schedule, r.l1_freeze) == ("half_mse", "sgd", False, "constant", True)


def test_only_the_first_epoch_keeps_the_generated_order_when_shuffling():
    def losses(config):
        t = Trainer({"points": 40, **config})
        out = []
        for _ in range(3):
            t.run_epochs(1)
            out.append(t.report()["loss_train"])
        return out
    fixed, shuffled, playground = losses({"shuffle": False}), losses({}), losses({"playground": True})
    assert shuffled[0] == fixed[0] == playground[0]     # 20 points, batch 10: no leftover
    assert shuffled[1] != fixed[1] and playground[1:] == fixed[1:]


def test_regression_with_a_linear_output_matches_the_reference():
    """reg-plane: a linear output (derivative 1), real-valued labels, L2, a leftover each epoch."""
    base = Trainer({"dataset": "reg-plane", "points": 54, "noise": 0.1, "seed": 4, "hidden": [3, 2]})
    train = np.column_stack([base.P_train, base.y_train]).tolist()          # 27 points: batch 4 leaves 3
    test = np.column_stack([base.P_test, base.y_test]).tolist()
    assert base.r.output == "linear"
    t, _ = compare(base.network.layers(), train, test, "tanh", 4, 0.01, 4, reg="l2", rate=0.01,
                   dataset="reg-plane")
    assert t.step_count == 4 * (27 // 4)


def test_non_default_features_match_the_reference():
    """Five input features, computed from the raw points by the engine and by the port alike."""
    feats = ("x1", "x2_sq", "x1x2", "sin_x1", "sin_x2")
    base = Trainer({"points": 40, "seed": 5, "hidden": [4], "features": list(feats)})
    train = np.column_stack([base.P_train, base.y_train]).tolist()
    test = np.column_stack([base.P_test, base.y_test]).tolist()
    assert base.network.W[0].shape == (4, 5)
    compare(base.network.layers(), train, test, "relu", 3, 0.05, 4, reg="l1", rate=0.01, features=feats)
    base = Trainer({"dataset": "reg-gauss", "points": 40, "seed": 6, "hidden": [5], "features": ["x1_sq", "x2_sq"]})
    compare(base.network.layers(), np.column_stack([base.P_train, base.y_train]).tolist(),
            np.column_stack([base.P_test, base.y_test]).tolist(), "tanh", 7, 0.1, 3,
            dataset="reg-gauss", features=("x1_sq", "x2_sq"))
