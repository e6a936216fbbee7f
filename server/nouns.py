"""The wire protocol, server -> client: nouns. Part of the protocol (protocol.py re-exports them);
every one of them is built in messages.py."""
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, Field, TypeAdapter

from .errors import PHRASES
from .runstate import RunState

class Hello(BaseModel):
    type: Literal["hello"]
    protocol_version: int
    config: dict[str, Any]
    limits: dict[str, int]
    datasets: list[dict[str, Any]]
    activations: list[str]
    outputs: list[str]
    losses: list[str]
    optimizers: list[str]
    features: list[str]
    regularizations: list[str]
    schedules: list[str]
    initialisers: list[str]
    binary_layouts: dict[str, Any]
    run_states: list[str]                   # the run state's names (status.state)
    errors: dict[str, dict[str, str]]       # error code -> {"en": phrase, "zh": 中文} with {params}
    settings: dict[str, dict[str, str]]     # a setting's wire name -> {"en": label, "zh": 标签}
    models: list[str] = []                  # the text models (config.model)


class ConfigMessage(BaseModel):
    type: Literal["config"]
    config: dict[str, Any]
    applied: Literal["live", "rebuild", "none", "restored"]


class DatasetMessage(BaseModel):
    type: Literal["dataset"]
    kind: Literal["classification", "regression", "multiclass", "language"]
    train: list[list[float]]                 # [x1, x2, label] in training order (digits, text: empty)
    test: list[list[float]]
    task: Optional[str] = None               # "digits": the images stay on the server, described by
    image_size: Optional[int] = None         # their side in pixels,
    source: Optional[str] = None             # where they come from,
    counts_train: Optional[list[int]] = None  # and the images per class on each side
    counts_test: Optional[list[int]] = None
    text: Optional[dict[str, Any]] = None    # a text data set described (TextData), never its corpus


class Layer(BaseModel):
    W: list[list[Optional[float]]]          # W[i][j]: from node j of the previous layer into node i
    b: list[Optional[float]]


class Frame(BaseModel):
    type: Literal["frame"]
    step: int
    epoch: int
    loss_train: Optional[float]
    loss_test: Optional[float]
    accuracy_train: Optional[float]
    accuracy_test: Optional[float]
    learning_rate: float
    weights: list[Layer]
    gradients: list[Layer]
    grad_norms: list[Optional[float]]
    weight_norms: list[Optional[float]]
    steps_per_second: float                 # measured training speed
    maps_seq: Optional[int]                 # the seq of the binary maps message sent with it
    task: Optional[str] = None              # "digits": weights/gradients empty, see `digits`
    digits: Optional[dict[str, Any]] = None  # server/digits.py, docs/protocol.md "Digits"
    text: Optional[dict[str, Any]] = None   # a text run: TextFrame (bits, reference lines, eval_step)


class Status(BaseModel):
    type: Literal["status"]
    state: Literal[tuple(s.value for s in RunState)]
    step: int
    hint: Optional[str] = None              # an i18n key, e.g. "hint_lower_learning_rate"


class Error(BaseModel):
    type: Literal["error"]
    code: Literal[tuple(PHRASES)]           # stable: the phrase (errors.py, hello.errors) in en and zh
    field: str                              # the wire path at fault ("message" when it is the whole thing)
    setting: str                            # the setting it names (hello.settings has its label)
    message: str                            # English: "<setting label>: what was wrong; allowed: ..."
    params: dict[str, Any]                  # the phrase's {placeholders}


class Landscape(BaseModel):
    """A live slice: its surface follows as a binary "surface" message with seq ``surface_seq``."""

    type: Literal["landscape"]
    mode: Literal["random", "pca", "weights"]
    x: list[float]                          # the grid's axis values (columns)
    y: list[float]                          # (rows)
    center: list[float]                     # where the weights are now, in these coordinates
    loss_center: Optional[float]
    path: list[list[Optional[float]]]       # recent positions projected on the plane
    explained: Optional[list[Optional[float]]]        # pca: share of the trajectory's variance per axis
    params: Optional[list[int]]             # weights: the two flat parameter indices
    step: int
    surface_seq: int


class Exploration(BaseModel):
    """The answer to ``explore``; the surface (if any) follows as a binary "surface" message."""

    type: Literal["exploration"]
    mode: Literal["path", "race", "crowd", "networks"] = "path"
    surface: Optional[dict[str, Any]]       # name, extent, minima, start, rates, eigenvalues...
    x: Optional[list[float]] = None
    y: Optional[list[float]] = None
    surface_seq: Optional[int]
    result: dict[str, Any]                  # path / racers / walkers / the networks' losses


# data in, model out (built in server/uploads.py and server/downloads.py)
class UploadProgress(BaseModel):
    type: Literal["upload_progress"]
    purpose: Literal["csv", "run", "text"]
    name: str
    received: int                           # parts received so far
    parts: int
    bytes: int                              # UTF-8 bytes so far
    done: bool                              # the whole file arrived (it is being used now)


class CsvTable(BaseModel):
    """An uploaded CSV read: the page offers its numeric columns (the label may be any column)."""

    type: Literal["csv_table"]
    name: str
    header: list[str]
    numeric: list[str]
    rows: int


class CsvData(BaseModel):
    """The session trains on the table now (a config and a dataset message came before it)."""

    type: Literal["csv_data"]
    name: str
    kind: Literal["classification", "regression", "multiclass"]
    classes: list[Any]                      # the label values in class order (-1, +1 / 0..k-1)
    inputs: list[str]
    label: str
    mean: list[float]
    std: list[float]
    rows: int


class File(BaseModel):
    """A file for the page to save: text as it is, or base64 for binary."""

    type: Literal["file"]
    what: Literal["run", "onnx", "numpy", "report"]
    name: str
    mime: str
    encoding: Literal["text", "base64"]
    data: str


class Pad(BaseModel):
    """The answer to ``read_pad``: what the network saw and said, and how long it took."""

    type: Literal["pad"]
    id: int                                  # the read_pad's id
    image: list[list[float]]                 # 28 x 28 in [0, 1], as the network sees the drawing
    probabilities: list[Optional[float]]     # ten, summing to 1
    predicted: int
    activations: list[list[Optional[float]]]  # every layer after the input, the output last
    inference_us: float                      # one forward pass, microseconds (server side)
    preprocess_us: float                     # crop, scale, centre
    step_us: float                           # one training step, microseconds
    step: int


# -- the text task (issue 10): dataset.text, frame.text and two messages of its own -----------------
class TextData(BaseModel):
    """dataset.text: a text data set described (its corpus never travels)."""

    name: str
    chars: list[str]                        # the vocabulary, in id order
    vocab_size: int
    size: int                               # characters in all; train_size + val_size (the last 10%)
    train_size: int
    val_size: int
    uniform: float                          # log V, nats per character: the uniform guess
    unigram: float                          # entropy of the character frequencies, nats per character
    uniform_bits: float
    unigram_bits: float
    sha256: str


class TextFrame(BaseModel):
    """frame.text: the losses in bits and the two reference lines (nats); eval_step: the step the
    losses were measured at (they are measured at most 10% of the time while training plays)."""

    bits_train: Optional[float]
    bits_test: Optional[float]
    uniform: float
    unigram: float
    eval_step: Optional[int]


class Sample(BaseModel):
    """One entry of the samples' timeline: every set_samples.every iterations while training."""

    type: Literal["sample"]
    step: int
    loss_train: Optional[float]
    loss_test: Optional[float]              # nats per character on the held-out last 10%
    bits_test: Optional[float]
    temperature: float
    text: str


class NextChar(BaseModel):
    """The answer to predict_next."""

    type: Literal["next_char"]
    prompt: str                             # the last 200 characters of the prompt
    read: str                               # what the model read (outside the vocabulary: replaced or left out)
    step: int
    temperature: float
    chars: list[str]
    probs: list[Optional[float]]            # one per character of chars, summing to 1
    top: int
    top_char: str
    unknown: list[str]                      # prompt characters outside the vocabulary
    costs: list[Optional[float]]            # -log p of each prompt character given the ones before (nats)
    follows: Optional[dict[str, Any]]       # {char, part ("val"/"train"), at, cost}: what really follows


class Inference(BaseModel):
    """The answer to ``infer`` (lesson 12; built in server/lessons.py)."""

    type: Literal["inference"]
    point: list[float]                      # the clicked point (x1, x2)
    activations: list[list[float]]          # the input features, then every layer's outputs, the last the prediction
    forward_seconds: float                  # one forward pass of this point (median over rounds)
    step_seconds: float                     # one training step (batch forward, backward, update), on a copy
    step: int                               # the session's step the network is at


class SweepMessage(BaseModel):
    """A sweep's progress (server/sweep.py): "started", then a "cell" as each cell finishes (in the
    order they finish), then "done" with the summary (its ``cancelled`` says whether it ran out)."""

    type: Literal["sweep"]
    id: int                                 # the session's sweeps are numbered from 1
    event: Literal["started", "cell", "done"]
    axes: dict[str, list[Any]]              # axis -> values, in the grid's order (a cell's index is row-major)
    seeds: int
    epochs: int
    cells: int                              # in all
    done: int                               # finished so far
    elapsed_s: float
    left_s: Optional[float]                 # a guess of the time left
    cell: Optional[dict[str, Any]] = None   # event "cell": index, setting, config (a set_config patch), seeds,
                                            # mean, spread, diverged (engine.sweep's cell, docs/sweep.md)
    summary: Optional[dict[str, Any]] = None  # event "done": best, cells, of, seeds, epochs, cancelled, time_s


ServerMessage = Annotated[Union[Hello, ConfigMessage, DatasetMessage, Frame, Status, Error, Landscape,
                                Exploration, Pad, Sample, NextChar, Inference, SweepMessage,
                                UploadProgress, CsvTable, CsvData, File],
                          Field(discriminator="type")]
SERVER_TYPES = ["hello", "config", "dataset", "frame", "status", "error", "landscape", "exploration", "pad",
                "sample", "next_char", "inference", "sweep",
                "upload_progress", "csv_table", "csv_data", "file"]


server_adapter = TypeAdapter(ServerMessage)


