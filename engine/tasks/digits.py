"""The digits task: handwritten 28x28 digits, ten classes, for the one Trainer (docs/engine.md, "Tasks").

Data: the bundled MNIST subset (4,000 training / 1,000 test images, a seeded class-stratified
split) or, when it is in the cache, the full MNIST (its own 60,000 / 10,000 split). Pixels are
scaled to [0, 1]. The model is the MLP (engine.network.Network) with sizes [784, *hidden, 10] and
either softmax outputs with softmax cross-entropy, or the articles' sigmoid outputs with mean
squared error (or bce). Targets are one-hot in both cases.
The config's digits defaults (784-16-16-10, sigmoid, xavier, momentum 0.1, batch 32) are
engine.config.TASK_DEFAULTS["digits"].
"""
from __future__ import annotations

import numpy as np

from .. import losses
from ..digits import bundled, mnist, pad, report
from ..digits.augment import augment
from ..network import Network
from .points import dropout_rate

SOURCES = ("mnist_5k", "mnist")
_EVAL_CHUNK = 5000


def _reference(data) -> dict:
    """A run file's digits data reference, checked: {"source", "files", "split": {"seed", "n_test"}}."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValueError("data: digits data must be a reference object like {'source': 'mnist_5k'}")
    unknown = set(data) - {"source", "files", "split"}
    if unknown:
        raise ValueError(f"data: unknown field {sorted(unknown)[0]!r} for digits; allowed: source, files, split")
    split = data.get("split", {})
    if not isinstance(split, dict) or set(split) - {"seed", "n_test"} or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in split.values()):
        raise ValueError("data: split must be {'seed': whole number >= 0, 'n_test': whole number >= 1}")
    return {**data, "split": split}


class DigitsTask:
    name = "digits"
    kind = "multiclass"
    classes = 10

    def __init__(self, r, data: dict | None = None):
        """r: the resolved config (hidden, activation, output, loss, init, seed, regularization,
        reg_rate, augment are read); data: a run file's data reference (data_for_run), or None."""
        data = _reference(data)
        self.source = data.get("source", "mnist_5k")
        if self.source not in SOURCES:
            raise ValueError(f"data: unknown digits source {self.source!r}; allowed: {', '.join(SOURCES)}")
        self.output, self.loss_name = r.output, r.loss           # checked by the Config
        self.loss = losses.get(self.loss_name)
        self.augment = r.augment
        self.split_seed = data["split"].get("seed", r.seed)
        self._rng = np.random.default_rng([self.split_seed, 11])     # augmentation without an rng
        if self.source == "mnist_5k":
            self._load_bundled(data)
        else:
            self._load_full(data)
        self.n_train = len(self.y_train)
        self.d = self.U_train.shape[1]
        self._eye = np.eye(self.classes)

    def _check_files(self, data: dict, expected: dict) -> None:
        given = data.get("files")
        if given is not None and given != expected:
            raise ValueError(f"data: the run file's images have checksums {given}, "
                             f"this copy of {self.source} has {expected}")

    def _load_bundled(self, data: dict) -> None:
        self._check_files(data, bundled.SHA256)
        images, labels = bundled.load()
        n_test = data["split"].get("n_test", bundled.N_TEST)
        train, test = bundled.split(labels, n_test, self.split_seed)
        flat = images.reshape(len(images), -1)
        self.U_train, self.y_train = flat[train], labels[train].astype(np.int64)
        self.U_test, self.y_test = flat[test], labels[test].astype(np.int64)
        self.train_index, self.test_index = train, test

    def _load_full(self, data: dict) -> None:
        expected = {name: sha for name, sha, _ in mnist.FILES.values()}
        self._check_files(data, expected)
        a = mnist.load()
        self.U_train = a["train_images"].reshape(len(a["train_images"]), -1)
        self.U_test = a["test_images"].reshape(len(a["test_images"]), -1)
        self.y_train, self.y_test = a["train_labels"].astype(np.int64), a["test_labels"].astype(np.int64)
        self.train_index, self.test_index = np.arange(len(self.y_train)), np.arange(len(self.y_test))

    # -- the model and its batches ----------------------------------------------------------
    def sizes(self, r) -> list[int]:
        return [self.d, *r.hidden, self.classes]

    def model(self, r) -> Network:
        """A fresh MLP [784, *hidden, 10] for this config (dropout from the config)."""
        return Network(self.sizes(r), r.activation, r.output, r.init, seed=r.seed, dropout=dropout_rate(r),
                       loss=r.loss)

    def batch(self, idx: np.ndarray, rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The training examples idx: (X (b, 784) float64 in [0, 1], Y (b, 10) one-hot); shifted and
        rotated afresh when augmentation is on (from rng, else the task's own generator)."""
        X = self.U_train[idx] * (1.0 / 255.0)
        if self.augment:
            X = augment(X, self._rng if rng is None else rng)
        return X, self._eye[self.y_train[idx]]

    # -- reports ----------------------------------------------------------------------------
    def _outputs(self, model: Network, U: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(Z, A): output pre-activations and outputs for uint8 images U, in chunks."""
        Z, A = np.empty((len(U), self.classes)), np.empty((len(U), self.classes))
        W, b = model.W[-1], model.b[-1]
        for s in range(0, len(U), _EVAL_CHUNK):
            acts = model.activations_of(U[s:s + _EVAL_CHUNK] * (1.0 / 255.0))
            Z[s:s + _EVAL_CHUNK] = acts[-2] @ W.T + b
            A[s:s + _EVAL_CHUNK] = acts[-1]
        return Z, A

    def _measure(self, model: Network, U: np.ndarray, y: np.ndarray) -> tuple[float, float, np.ndarray]:
        if len(y) == 0:
            return float("nan"), None, np.empty((0, self.classes))
        Z, A = self._outputs(model, U)
        loss = losses.per_example(self.loss, Z, A, self._eye[y], self.output).mean()
        return float(loss), float((A.argmax(axis=1) == y).mean()), A

    def evaluate(self, model: Network) -> dict:
        """Mean loss and accuracy on the training and test images (no dropout, no augmentation)."""
        loss_train, acc_train, _ = self._measure(model, self.U_train, self.y_train)
        loss_test, acc_test, _ = self._measure(model, self.U_test, self.y_test)
        return {"loss_train": loss_train, "loss_test": loss_test,
                "accuracy_train": acc_train, "accuracy_test": acc_test}

    def probabilities(self, A: np.ndarray) -> np.ndarray:
        """Outputs as a distribution over the ten digits (sigmoid outputs normalised to sum 1)."""
        if self.output == "softmax":
            return A
        total = A.sum(axis=1, keepdims=True)
        return np.divide(A, total, out=np.full_like(A, 1.0 / self.classes), where=total > 0)

    def extras(self, model: Network, wrong_limit: int = 64, samples: int = 0, **view) -> dict:
        """confusion (10, 10) int64 on the test images (rows truth, columns prediction); wrong: the
        misclassified test images (report.wrong); weight_images (h1, 28, 28) float32, the first
        layer's weights; parameters: their count; samples: predictions for the first `samples`
        test images ({"label", "predicted"} int64 arrays)."""
        _, _, A = self._measure(model, self.U_test, self.y_test)
        P = self.probabilities(A)
        predicted = P.argmax(axis=1)
        side = int(round(np.sqrt(self.d)))
        out = {
            "confusion": report.confusion(self.y_test, predicted, self.classes),
            "wrong": report.wrong(self.U_test, self.y_test, P, wrong_limit),
            "weight_images": report.weight_images(model.W[0], side),
            "parameters": int(model.theta.size),
        }
        if samples:
            out["samples"] = {"label": self.y_test[:samples].copy(), "predicted": predicted[:samples]}
        return out

    def read_pad(self, model: Network, canvas: np.ndarray) -> dict:
        """The drawing pad: canvas (H, W) ink -> {"image" (28, 28) what the network sees,
        "activations" [each layer's (size,) values, input first], "probabilities" (10,)}."""
        image = pad.prepare(canvas)
        acts = [a[0] for a in model.activations_of(image.reshape(1, -1))]
        return {"image": image, "activations": acts,
                "probabilities": self.probabilities(acts[-1][None, :])[0]}

    # -- run files --------------------------------------------------------------------------
    def data_for_run(self) -> dict:
        """The data by reference: the source, its files' sha256, and the split that was made."""
        if self.source == "mnist_5k":
            return {"source": "mnist_5k", "files": dict(bundled.SHA256),
                    "split": {"seed": self.split_seed, "n_test": len(self.y_test)}}
        return {"source": "mnist", "files": {name: sha for name, sha, _ in mnist.FILES.values()}}
