"""DigitsTask: the articles' 784-16-16-10 network on the bundled digits. Parameter count,
batches, whole-network gradients at 784 inputs, reports, run-file references, and the accuracy
the issue claims."""
import numpy as np
import pytest

from engine import losses
from engine.config import TASK_DEFAULTS, Config
from engine.digits import bundled
from engine.tasks.digits import DigitsTask
from engine.trainer import Trainer

DEFAULTS = TASK_DEFAULTS["digits"]


def config(**changes):
    """The resolved digits config (the defaults of issue 9 unless changed)."""
    return Config.from_dict({"dataset": "digits", **changes}).resolved()


@pytest.fixture(scope="module")
def task():
    return DigitsTask(config())


def test_the_articles_network_has_13002_parameters(task):
    net = task.model(config())
    assert net.sizes == [784, 16, 16, 10]
    assert net.theta.size == 13_002 == 784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10
    assert task.extras(net)["parameters"] == 13_002
    assert task.model(config(hidden=[32])).theta.size == 784 * 32 + 32 + 32 * 10 + 10


def test_xavier_is_the_default_and_keeps_784_inputs_out_of_saturation(task):
    X, _ = task.batch(np.arange(200))
    slopes = {}
    for init in ("xavier", "playground"):
        net = task.model(config(init=init))
        S = net.activations_of(X)[1]
        slopes[init] = (S * (1 - S)).mean()        # sigmoid'(z) of the first layer, at most 0.25
    assert DEFAULTS["init"] == "xavier"
    assert slopes["xavier"] > 0.2 and slopes["playground"] < 0.15


def test_split_sizes_and_classes(task):
    assert task.n_train == 4000 and len(task.y_test) == 1000
    assert np.array_equal(np.bincount(task.y_test), [100] * 10)
    assert np.array_equal(np.bincount(task.y_train), [400] * 10)


def test_batch_scales_pixels_and_one_hot_targets(task):
    idx = np.array([0, 5, 17, 3999])
    X, Y = task.batch(idx, np.random.default_rng(0))
    assert X.shape == (4, 784) and X.dtype == np.float64 and 0 <= X.min() and X.max() <= 1
    assert np.allclose(X * 255, task.U_train[idx])
    assert Y.shape == (4, 10) and np.array_equal(Y.argmax(axis=1), task.y_train[idx]) and Y.sum() == 4


def test_evaluate_and_extras_of_an_untrained_network(task):
    net = task.model(config())
    e = task.evaluate(net)
    assert set(e) == {"loss_train", "loss_test", "accuracy_train", "accuracy_test"}
    assert 0.0 <= e["accuracy_test"] <= 0.3                  # about chance
    assert abs(e["loss_test"] - np.log(10)) < 0.5             # softmax CE near log 10
    x = task.extras(net, wrong_limit=20, samples=12)
    C = x["confusion"]
    assert C.shape == (10, 10) and C.sum() == 1000 and np.array_equal(C.sum(axis=1), [100] * 10)
    assert np.trace(C) == round(e["accuracy_test"] * 1000)
    assert x["wrong"]["count"] == 1000 - np.trace(C) and len(x["wrong"]["index"]) == 20
    i = x["wrong"]["index"]
    assert np.array_equal(x["wrong"]["images"], task.U_test[i])
    assert np.all(x["wrong"]["label"] == task.y_test[i]) and np.all(x["wrong"]["predicted"] != task.y_test[i])
    assert x["weight_images"].shape == (16, 28, 28)
    assert np.array_equal(x["weight_images"].reshape(16, -1), net.W[0].astype(np.float32))
    assert np.array_equal(x["samples"]["label"], task.y_test[:12])


def test_sigmoid_outputs_with_mse(task):
    t = DigitsTask(config(output="sigmoid", loss="mse"))
    net = t.model(config(output="sigmoid", loss="mse"))
    assert net.output == "sigmoid" and t.loss.name == "mse"
    x = t.extras(net)
    assert x["confusion"].sum() == 1000
    pad = t.read_pad(net, np.eye(100))
    assert pad["probabilities"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("changes, message", [
    ({"output": "tanh"}, "output: digits need softmax or sigmoid outputs; got 'tanh'"),
    ({"output": "softmax", "loss": "mse"}, "loss: 'mse' does not work with output 'softmax'"),
])
def test_bad_settings_are_refused_clearly(changes, message):
    with pytest.raises(ValueError, match=message):
        DigitsTask(config(**changes))


def test_data_for_run_refers_to_the_bundled_file_and_rebuilds_the_same_split(task):
    ref = task.data_for_run()
    assert ref == {"source": "mnist_5k", "files": bundled.SHA256, "split": {"seed": 1, "n_test": 1000}}
    again = DigitsTask(config(seed=7), data=ref)          # the run file's split, not the new seed's
    assert np.array_equal(again.train_index, task.train_index)
    assert np.array_equal(again.test_index, task.test_index)


@pytest.mark.parametrize("data, message", [
    ({"source": "emnist"}, "data: unknown digits source 'emnist'; allowed: mnist_5k, mnist"),
    ({"source": "mnist_5k", "files": {"x": "0" * 64}}, "data: the run file's images have checksums"),
    ([[0, 0, 1]], "data: digits data must be a reference object"),
    ({"train": [[0, 0, 1]]}, "data: unknown field 'train' for digits; allowed: source, files, split"),
    ({"split": {"seed": "one"}}, "data: split must be"),
    ({"split": [1, 2]}, "data: split must be"),
    ({"split": {"seed": -1}}, "data: split must be"),
    ({"split": {"n_test": 5000}}, "n_test: 5000 is out of range; allowed: 1 to 4999"),
])
def test_bad_data_references_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        DigitsTask(config(), data=data)


def test_full_mnist_not_in_the_cache_names_the_command(monkeypatch, tmp_path):
    monkeypatch.setenv("LEARNSCAPE_CACHE", str(tmp_path))
    with pytest.raises(ValueError, match="run: python -m engine data mnist"):
        DigitsTask(config(), data={"source": "mnist"})


# -- whole-network gradients at 784 inputs ----------------------------------------------------
@pytest.mark.parametrize("activation, output, loss", [
    ("sigmoid", "softmax", "softmax_ce"), ("sigmoid", "sigmoid", "mse"), ("relu", "softmax", "softmax_ce")])
def test_gradient_matches_central_differences_at_784_inputs(activation, output, loss):
    r = config(activation=activation, output=output, loss=loss, init="he" if activation == "relu" else "xavier")
    task = DigitsTask(r)
    net = task.model(r)
    assert net.output == output
    L = losses.get(loss)
    X, Y = task.batch(np.arange(24))

    def mean_loss():                            # an independent forward pass (activations_of)
        acts = net.activations_of(X)
        Z = acts[-2] @ net.W[-1].T + net.b[-1]
        return losses.per_example(L, Z, acts[-1], Y, output).mean()

    net.gradient((X, Y))                       # the Model interface the Trainer calls
    grad = net.grad.copy()
    # a random subset of parameters from every block; first-layer weights only from inked pixels
    rng = np.random.default_rng(5)
    blocks, at = [], 0
    for W, b in zip(net.W, net.b):
        w = np.arange(at, at + W.size).reshape(W.shape)
        if W.shape[1] == 784:
            w = w[:, X.max(axis=0) > 0]
        biases = np.arange(at + W.size, at + W.size + b.size)
        blocks += [rng.choice(w.ravel(), 40, replace=False), rng.choice(biases, 8, replace=False)]
        at += W.size + b.size
    picked = np.concatenate(blocks)
    h = 1e-6
    numeric = np.empty(len(picked))
    for j, p in enumerate(picked):
        keep = net.theta[p]
        net.theta[p] = keep + h
        up = mean_loss()
        net.theta[p] = keep - h
        down = mean_loss()
        net.theta[p] = keep
        numeric[j] = (up - down) / (2 * h)
    assert np.abs(grad[picked]).max() > 1e-3                # not a vacuous match of zeros
    err = np.abs(grad[picked] - numeric) / np.maximum(1e-4, np.abs(grad[picked]) + np.abs(numeric))
    assert err.max() < 1e-5


# -- the accuracy the issue claims ------------------------------------------------------------
def fit(r, epochs):
    """The one Trainer on the digits task for `epochs` epochs: (its task, its network)."""
    t = Trainer(r)
    t.run_epochs(epochs, evaluate=True)
    assert len(t.history) == epochs and t.status == "ok"
    return t.task, t.model


def test_sigmoid_network_with_softmax_ce_reaches_089_in_30_epochs():
    r = config()            # 784-16-16-10 sigmoid, softmax CE, xavier, momentum 0.1, batch 32, seed 1
    assert (r.optimizer, r.learning_rate, r.batch_size, r.hidden) == ("momentum", 0.1, 32, [16, 16])
    task, net = fit(r, 30)
    e = task.evaluate(net)
    assert e["accuracy_test"] >= 0.89
    assert e["accuracy_train"] > e["accuracy_test"]
    # the drawing pad: a thin vertical line reads as a 1
    canvas = np.zeros((280, 280))
    canvas[40:240, 130:140] = 1.0
    assert task.read_pad(net, canvas)["probabilities"].argmax() == 1
    # and test images drawn ten times larger on the pad get the network's own answers for them
    direct = net.predict(task.U_test[:40] / 255.0).argmax(axis=1)
    for image, answer in zip(task.U_test[:40], direct):
        big = np.kron(image.reshape(28, 28), np.ones((10, 10)))
        assert task.read_pad(net, big)["probabilities"].argmax() == answer


def test_sigmoid_network_with_the_articles_mse_reaches_088_in_30_epochs():
    task, net = fit(config(output="sigmoid", loss="mse"), 30)
    assert task.evaluate(net)["accuracy_test"] >= 0.88
