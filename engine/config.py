"""A training configuration: one flat record whose field names are the wire protocol's.

``Config.from_dict`` checks every field and raises ValueError("field: what is wrong; allowed: ...").
``resolved()`` fills what depends on the dataset (output, loss, point count) and applies the
Playground-compatible mode's fixed choices (points only).

Each task (engine.tasks) has its own defaults for the network and the optimiser (TASK_DEFAULTS):
whenever the dataset's task changes (``from_dict`` starts from the points defaults), the fields of
TASK_DEFAULTS not given in the same change take the new task's values. Fields a task does not use
are kept but not checked (points' features, noise, ... for digits and text; text's model, seq_len,
context, embed for the others).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace

from . import activations, datasets, features, losses, optimizers, regularizers, schedules
from .inits import INITS
from .registry import check as check_name

# fields that change a running trainer without rebuilding it
LIVE_FIELDS = {"learning_rate", "momentum", "beta1", "beta2", "batch_size", "reg_rate",
               "schedule", "shuffle", "regularization", "l1_freeze", "clip"}
# fields that only change the data (and so the run) but not the network's shape
DATA_FIELDS = {"dataset", "points", "noise", "train_ratio", "classes", "seed"}


# the largest text model and window the text task takes
MAX_TEXT = {"hidden": 1024, "seq_len": 512, "context": 64, "embed": 256, "batch_size": 4096}


@dataclass
class Config:
    dataset: str = "circle"
    points: int = 0                    # 0: the dataset's default (datasets.get(name).n_default)
    noise: float = 0.0                 # 0 to 0.5, the Playground's slider / 100
    train_ratio: float = 0.5
    classes: int = 3                   # for multi-class datasets
    features: list = field(default_factory=lambda: list(features.DEFAULT_FEATURES))
    hidden: list = field(default_factory=lambda: [4, 2])
    activation: str = "tanh"
    output: str = ""                   # "": tanh (binary), linear (regression), softmax (multi-class)
    loss: str = ""                     # "": half_mse, or softmax_ce for multi-class
    init: str = "playground"
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    schedule: str = "constant"
    batch_size: int = 10
    shuffle: bool = True               # reshuffle the training points every epoch
    regularization: str = "none"       # none, l1, l2, dropout (reg_rate is then the drop probability)
    reg_rate: float = 0.0
    l1_freeze: bool = False            # the Playground's L1 rule: weights crossing 0 freeze at 0
    seed: int = 1
    playground: bool = False           # reproduce TensorFlow Playground's training exactly
    clip: float = 0.0                  # gradient clipping by global norm; 0: none (text: 5)
    augment: bool = False              # digits: random shifts and rotations per batch
    model: str = "rnn"                 # text: rnn, gru, lstm, mlp, bigram
    seq_len: int = 32                  # text: characters per training window (truncated BPTT)
    context: int = 8                   # text, mlp: characters of context
    embed: int = 16                    # text, mlp: embedding size

    # -- construction and checks ------------------------------------------------------------
    @classmethod
    def from_dict(cls, d: dict) -> "Config":
        return cls().updated(d)

    def updated(self, d: dict) -> "Config":
        """A new Config with the fields of `d` replaced, each checked; a change of the dataset's
        task brings that task's defaults for the TASK_DEFAULTS fields `d` does not give."""
        if not isinstance(d, dict):
            raise ValueError("config: must be an object of field: value")
        names = {f.name for f in fields(self)}
        for k in d:
            if k not in names:
                raise ValueError(f"{k}: unknown config field; allowed: {', '.join(sorted(names))}")
        new = replace(self, **{k: _coerce(k, v, getattr(self, k)) for k, v in d.items()})
        if new.task != self.task:
            new = replace(new, **{k: v for k, v in TASK_DEFAULTS.get(new.task, {}).items() if k not in d})
        if self.dataset == "custom" != new.dataset and "classes" not in d and \
                not datasets.MIN_CLASSES <= new.classes <= datasets.MAX_CLASSES:
            new = replace(new, classes=Config.classes)      # a CSV's class count does not carry over
        new.check()
        return new

    def check(self) -> None:
        task = self.task
        check_name("optimizer", self.optimizer, optimizers.OPTIMIZERS)
        _in_range("clip", self.clip, 0.0, 1e6)
        if task == "text":
            text_check(self)
        else:
            if task == "points":
                self._check_points()
            _widths(self.hidden, 0)
            activations.get(self.activation)
            check_name("init", self.init, INITS)
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"learning_rate: must be a positive finite number; got {self.learning_rate!r}")
        _in_range("momentum", self.momentum, 0.0, 0.999)
        _in_range("beta1", self.beta1, 0.0, 0.999)
        _in_range("beta2", self.beta2, 0.0, 0.99999)
        check_name("schedule", self.schedule, schedules.SCHEDULES)
        _in_range("batch_size", self.batch_size, 1, 100_000)
        check_name("regularization", self.regularization, regularizers.REGULARIZATIONS)
        hi = 0.9 if self.regularization == "dropout" else 10.0
        _in_range("reg_rate", self.reg_rate, 0.0, hi)
        if task == "text":
            return
        r, kind = self.resolved(), self.kind
        if task == "digits" and r.output not in ("softmax", "sigmoid"):
            raise ValueError(f"output: digits need softmax or sigmoid outputs; got {r.output!r}")
        losses.check_pair(r.loss, r.output)
        if task == "points" and kind == "multiclass" and r.output != "softmax":
            raise ValueError(f"output: multi-class data needs softmax; got {r.output!r}")
        if kind != "multiclass" and r.output == "softmax":
            raise ValueError(f"output: softmax needs a multi-class dataset (blobs, digits); got {self.dataset!r}")
        if kind == "regression" and r.loss != "mse" and r.loss != "half_mse":
            raise ValueError(f"loss: regression needs mse or half_mse; got {r.loss!r}")

    def _check_points(self) -> None:
        _in_range("points", self.points, 0, 100_000)
        _in_range("noise", self.noise, 0.0, 0.5)
        _in_range("train_ratio", self.train_ratio, 0.1, 0.9)
        if self.dataset == "custom":
            if self.classes not in (0, *range(2, datasets.CUSTOM_CLASSES + 1)):
                raise ValueError(f"classes: {self.classes} for custom data; allowed: 0 (regression) "
                                 f"or 2 to {datasets.CUSTOM_CLASSES}")
        else:
            _in_range("classes", self.classes, datasets.MIN_CLASSES, datasets.MAX_CLASSES)
        features.check(self.features)

    # -- derived ----------------------------------------------------------------------------
    @property
    def task(self) -> str:
        """The engine.tasks entry that learns this dataset."""
        return datasets.get(self.dataset).task

    @property
    def kind(self) -> str:
        """classification, multiclass, regression or language; custom data by their classes (0:
        regression, 2: classification, more: multiclass)."""
        kind = datasets.get(self.dataset).kind
        if kind == "custom":
            return "regression" if self.classes == 0 else "classification" if self.classes == 2 else "multiclass"
        return kind

    def resolved(self) -> "Config":
        """Defaults that depend on the dataset filled in; Playground mode's rules applied (points only)."""
        ds, kind = datasets.get(self.dataset), self.kind
        if kind == "language":
            return replace(self, playground=False)
        output = self.output or {"classification": "tanh", "regression": "linear",
                                 "multiclass": "softmax"}[kind]
        loss = self.loss or ("softmax_ce" if output == "softmax" else "half_mse")
        r = replace(self, output=output, loss=loss, points=self.points or ds.n_default)
        if ds.task != "points":
            r = replace(r, playground=False)
        elif self.playground:
            r = replace(r, loss="half_mse", optimizer="sgd", shuffle=False, schedule="constant",
                        l1_freeze=True)
        return r

    def sizes(self) -> list[int]:
        """The points network's layer sizes."""
        k = self.classes if self.kind == "multiclass" else 1
        return [len(self.features), *self.hidden, k]

    def to_dict(self) -> dict:
        return asdict(self)


_POINTS = Config()
# per task, the network and optimiser it starts with (points: the Playground's; digits: the
# articles' 784-16-16-10 as issue 9 trains it; text: Karpathy's RNN as issue 10 trains it)
TASK_DEFAULTS = {
    "points": {k: getattr(_POINTS, k) for k in ("hidden", "activation", "output", "loss", "init", "optimizer",
                                                 "learning_rate", "batch_size", "clip")},
    "digits": {"hidden": [16, 16], "activation": "sigmoid", "output": "softmax", "loss": "softmax_ce",
               "init": "xavier", "optimizer": "momentum", "learning_rate": 0.1, "batch_size": 32, "clip": 0.0},
    "text": {"hidden": [128], "activation": "tanh", "output": "", "loss": "", "init": "xavier",
             "optimizer": "adam", "learning_rate": 0.002, "batch_size": 32, "clip": 5.0},
}


def _coerce(name, value, current):
    """Accept JSON's types for each field; refuse anything else with a clear message."""
    kind = type(current)
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{name}: must be true or false; got {value!r}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            raise ValueError(f"{name}: must be a whole number; got {value!r}")
        return int(value)
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{name}: must be a finite number; got {value!r}")
        return float(value)
    if kind is list:
        if not isinstance(value, list):
            raise ValueError(f"{name}: must be a list; got {value!r}")
        if name == "hidden":
            return [_coerce("hidden", v, 0) for v in value]
        return list(value)
    if not isinstance(value, str):
        raise ValueError(f"{name}: must be a string; got {value!r}")
    return value


def _widths(hidden, most: int) -> None:
    """hidden: a list of whole numbers >= 1 (exactly `most` of them when most > 0)."""
    if not isinstance(hidden, list) or any(not isinstance(h, int) or h < 1 for h in hidden):
        raise ValueError(f"hidden: a list of layer widths, each a whole number >= 1; got {hidden!r}")
    if most and len(hidden) != most:
        raise ValueError(f"hidden: {hidden!r}; allowed: one width for a text model, e.g. [128]")


def text_check(c) -> None:
    """The text task's fields (the text models' sizes and the window)."""
    from .text import MODELS
    check_name("model", c.model, MODELS)
    _widths(c.hidden, 1)
    for name, hi in (("hidden", MAX_TEXT["hidden"]), ("seq_len", MAX_TEXT["seq_len"]),
                     ("context", MAX_TEXT["context"]), ("embed", MAX_TEXT["embed"]),
                     ("batch_size", MAX_TEXT["batch_size"])):
        value = c.hidden[0] if name == "hidden" else getattr(c, name)
        _in_range(name, value, 1, hi)


def _in_range(name, value, lo, hi):
    if not lo <= value <= hi:
        raise ValueError(f"{name}: {value} is out of range; allowed: {lo} to {hi}")
