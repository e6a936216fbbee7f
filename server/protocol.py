"""The wire protocol, defined once: every message both ways, the limits, the binary layouts.

Text messages are JSON objects with a ``type``. Client -> server messages are verbs; server ->
client messages are nouns. Grids travel as binary websocket messages whose layout is declared
here (``BINARY_LAYOUTS``) and mirrored, checked by a test, in static/protocol.js.
"""
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from engine import activations as _act, datasets as _ds, features as _feat, losses as _loss
from engine.sweep import axes as _sweep_axes
from engine import config as _cfg, inits as _inits, optimizers as _opt, regularizers as _reg, text as _text

PROTOCOL_VERSION = 1

# -- limits the server enforces -------------------------------------------------------------------
LIMITS = {
    "max_hidden_layers": 8,
    "max_neurons": 32,
    "max_points": 5000,
    "min_grid_resolution": 10,
    "max_grid_resolution": 128,
    "max_steps_per_request": 10_000,
    "max_steps_per_second": 1_000_000,
    "max_message_bytes": 65_536,
    "max_batch_size": 1000,
    "max_landscape_resolution": 81,
    "max_explore_steps": 2000,
    "max_walkers": 200,
    "max_crowd_models": 64,
    # the work budget of one session (see docs/protocol.md, "Work budget")
    "max_step_work": 4_000_000,            # batch size x parameters of one training step
    "max_frame_work": 6_000_000,           # grid points x (parameters + nodes) per frame
    "max_slice_work": 200_000_000,         # grid points x training points x parameters per live slice
    "max_explore_work": 200_000_000,       # model-steps x batch x parameters per crowd of networks
    "max_rebuilds_per_second": 5,          # set_config/regenerate rebuilds; more wait their turn
    "max_restore_step": 2**31 - 1,
    "min_pad_side": 28,                    # the digits drawing pad's canvas, pixels a side
    "max_pad_side": 200,                   # (200 x 200 uint8 in base64 fits the message limit)
    # the text task (issue 10)
    "max_text_hidden": _cfg.MAX_TEXT["hidden"],  # a text model's hidden size (points: max_neurons)
    "max_text_step_work": 1_000_000_000,  # batch x seq_len x (gates x hidden^2 + 2 x hidden x 256) per step
    "max_prompt_chars": 2000,              # predict_next.prompt
    "max_sample_every": 100_000,           # set_samples.every
    "max_sample_length": 1000,             # set_samples.length
    # sweeps (server/sweep.py, docs/protocol.md "Sweeps")
    "max_sweep_models": 120,               # cells x seeds
    "max_sweep_work": 24_000,              # cells x seeds x epochs
    "max_sweep_seeds": 10,
    "max_sweep_epochs": 2000,
    "max_sweep_values": 12,                # values per axis
    "max_sweeps_running": 2,               # at once in one server process, over all its sessions
    # uploads in parts (server/uploads.py, docs/protocol.md "Data in, model out")
    "max_upload_bytes": 4_000_000,         # a whole upload, UTF-8: 10,000 CSV rows, a 2 MB text, a run
    "max_upload_parts": 1024,
    "max_upload_chunk": 60_000,            # characters of one part's data (the message stays <= 64 KiB)
}
L = LIMITS

Name = lambda names: Literal[tuple(names)]  # noqa: E731  a Literal built from a registry's keys


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ConfigPatch(Strict):
    """A partial training configuration: any subset of engine.Config's fields."""

    dataset: Optional[Name(_ds.DATASETS)] = None
    points: Optional[Annotated[int, Field(ge=0, le=L["max_points"])]] = None
    noise: Optional[Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False)]] = None
    train_ratio: Optional[Annotated[float, Field(ge=0.1, le=0.9, allow_inf_nan=False)]] = None
    classes: Optional[Annotated[int, Field(ge=_ds.MIN_CLASSES, le=_ds.MAX_CLASSES)]] = None
    features: Optional[Annotated[list[Name(_feat.FEATURES)], Field(min_length=1, max_length=7)]] = None
    hidden: Optional[Annotated[list[Annotated[int, Field(ge=1, le=L["max_text_hidden"])]],
                               Field(max_length=L["max_hidden_layers"])]] = None
    activation: Optional[Name(_act.ACTIVATIONS)] = None
    output: Optional[Literal[("",) + tuple(_act.OUTPUT_ACTIVATIONS)]] = None
    loss: Optional[Literal[("",) + tuple(_loss.LOSSES)]] = None
    init: Optional[Name(_inits.INITS)] = None
    optimizer: Optional[Name(_opt.OPTIMIZERS)] = None
    learning_rate: Optional[Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]] = None
    momentum: Optional[Annotated[float, Field(ge=0, le=0.999, allow_inf_nan=False)]] = None
    beta1: Optional[Annotated[float, Field(ge=0, le=0.999, allow_inf_nan=False)]] = None
    beta2: Optional[Annotated[float, Field(ge=0, le=0.99999, allow_inf_nan=False)]] = None
    schedule: Optional[Name(_opt.SCHEDULES)] = None
    batch_size: Optional[Annotated[int, Field(ge=1, le=L["max_batch_size"])]] = None
    shuffle: Optional[bool] = None
    regularization: Optional[Name(_reg.REGULARIZATIONS)] = None
    reg_rate: Optional[Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]] = None
    l1_freeze: Optional[bool] = None
    seed: Optional[Annotated[int, Field(ge=0, le=2**31 - 1)]] = None
    playground: Optional[bool] = None
    clip: Optional[Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)]] = None
    augment: Optional[bool] = None
    model: Optional[Name(_text.MODELS)] = None
    seq_len: Optional[Annotated[int, Field(ge=1, le=_cfg.MAX_TEXT["seq_len"])]] = None
    context: Optional[Annotated[int, Field(ge=1, le=_cfg.MAX_TEXT["context"])]] = None
    embed: Optional[Annotated[int, Field(ge=1, le=_cfg.MAX_TEXT["embed"])]] = None


# -- client -> server: verbs -----------------------------------------------------------------------
class SetConfig(Strict):
    type: Literal["set_config"]
    config: ConfigPatch


class Play(Strict):
    type: Literal["play"]


class Pause(Strict):
    type: Literal["pause"]


class Step(Strict):
    type: Literal["step"]
    n: Annotated[int, Field(ge=1, le=L["max_steps_per_request"])] = 1


class Reset(Strict):
    type: Literal["reset"]


class Regenerate(Strict):
    type: Literal["regenerate"]
    seed: Optional[Annotated[int, Field(ge=0, le=2**31 - 1)]] = None


class SetWeight(Strict):
    """W[layer][to, from] = value, or the bias b[layer][to] when ``from`` is null."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
    type: Literal["set_weight"]
    layer: Annotated[int, Field(ge=0, le=L["max_hidden_layers"])]
    to: Annotated[int, Field(ge=0, le=L["max_neurons"])]
    from_: Optional[Annotated[int, Field(ge=0, le=L["max_neurons"])]] = Field(None, alias="from")
    value: Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]


class SetSpeed(Strict):
    """Training speed in steps per second; 0 means as fast as the machine allows."""

    type: Literal["set_speed"]
    steps_per_second: Annotated[float, Field(ge=0, le=L["max_steps_per_second"], allow_inf_nan=False)]


class SetView(Strict):
    """What the page wants drawn: the resolution of the output map (grid_resolution) and of every
    node's thumbnail (node_resolution), whether to send maps, and flow control: with flow = N > 0
    the server keeps at most N frames unacknowledged (the page sends ``ack`` per frame it drew)."""

    type: Literal["set_view"]
    grid_resolution: Optional[Annotated[int, Field(ge=L["min_grid_resolution"], le=L["max_grid_resolution"])]] = None
    node_resolution: Optional[Annotated[int, Field(ge=4, le=L["max_grid_resolution"])]] = None
    maps: Optional[bool] = None
    flow: Optional[Annotated[int, Field(ge=0, le=8)]] = None


class Ack(Strict):
    """One frame drawn (only with flow control on: see set_view.flow)."""

    type: Literal["ack"]


class WeightRef(Strict):
    """One parameter: W[layer][to, from], or the bias b[layer][to] when ``from`` is null."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
    layer: Annotated[int, Field(ge=0, le=L["max_hidden_layers"])]
    to: Annotated[int, Field(ge=0, le=L["max_neurons"])]
    from_: Optional[Annotated[int, Field(ge=0, le=L["max_neurons"])]] = Field(None, alias="from")


class SetLandscape(Strict):
    """The live loss-landscape slice through this session's network, refreshed while it trains."""

    type: Literal["set_landscape"]
    mode: Literal["off", "random", "pca", "weights"]
    weights: Optional[Annotated[list[WeightRef], Field(min_length=2, max_length=2)]] = None
    span: Optional[Annotated[float, Field(gt=0, le=20, allow_inf_nan=False)]] = None
    resolution: Optional[Annotated[int, Field(ge=11, le=L["max_landscape_resolution"])]] = None
    frozen: Optional[bool] = None
    seed: Optional[Annotated[int, Field(ge=0, le=2**31 - 1)]] = None


Coordinate = Annotated[float, Field(ge=-1e3, le=1e3, allow_inf_nan=False)]
Rate = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]


class Explore(Strict):
    """A one-off landscape: an exact or classic surface with a descent path, a race of optimisers,
    a crowd of walkers, or a crowd of networks like this session's trained together."""

    type: Literal["explore"]
    mode: Literal["path", "race", "crowd", "networks"] = "path"
    surface: Literal["house", "neuron", "quadratic", "rosenbrock", "beale", "himmelblau", "saddle",
                     "rastrigin"] = "house"
    optimizer: Name(_opt.OPTIMIZERS) = "sgd"
    learning_rate: Optional[Rate] = None
    rates: Optional[dict[Name(_opt.OPTIMIZERS), Rate]] = None
    momentum: Annotated[float, Field(ge=0, le=0.999, allow_inf_nan=False)] = 0.9
    start: Optional[Annotated[list[Coordinate], Field(min_length=2, max_length=2)]] = None
    steps: Annotated[int, Field(ge=1, le=L["max_explore_steps"])] = 200
    condition: Annotated[float, Field(ge=1, le=1000, allow_inf_nan=False)] = 10.0
    walkers: Annotated[int, Field(ge=1, le=L["max_walkers"])] = 100
    models: Annotated[int, Field(ge=1, le=L["max_crowd_models"])] = 16
    resolution: Annotated[int, Field(ge=11, le=L["max_landscape_resolution"])] = 61
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 1


Weight = Annotated[float, Field(allow_inf_nan=False)]


class RunLayer(Strict):
    W: Annotated[list[Annotated[list[Weight], Field(max_length=L["max_neurons"] + 8)]],
                 Field(min_length=1, max_length=L["max_neurons"] + 8)]
    b: Annotated[list[Weight], Field(min_length=1, max_length=L["max_neurons"] + 8)]


class RunFile(Strict):
    """The engine's run file (docs/engine.md) as the page keeps it: config and the current weights
    (the data is regenerated from the config: it is never sent back)."""

    version: Literal[1]
    config: ConfigPatch
    weights: Annotated[list[RunLayer], Field(min_length=1, max_length=L["max_hidden_layers"] + 1)]


class Restore(Strict):
    """A run the page saw, offered back after a reconnect, a reload or a restarted server: the
    session continues from it (step, epoch and weights; the optimiser's state starts afresh)."""

    type: Literal["restore"]
    run: RunFile
    step: Annotated[int, Field(ge=0, le=L["max_restore_step"])]
    epoch: Annotated[int, Field(ge=0, le=L["max_restore_step"])] = 0


class ReadPad(Strict):
    """The digits drawing pad: a grayscale canvas (ink bright, uint8, row by row, base64) that the
    network reads; answered by a ``pad`` message (server/digits.py)."""

    type: Literal["read_pad"]
    width: Annotated[int, Field(ge=L["min_pad_side"], le=L["max_pad_side"])]
    height: Annotated[int, Field(ge=L["min_pad_side"], le=L["max_pad_side"])]
    pixels: Annotated[str, Field(max_length=4 * ((L["max_pad_side"] ** 2 + 2) // 3))]
    id: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class PredictNext(Strict):
    """Text: the model's probability of each possible next character after `prompt` (at
    `temperature`, default the samples'), answered by next_char."""

    type: Literal["predict_next"]
    prompt: Annotated[str, Field(max_length=L["max_prompt_chars"])]
    temperature: Optional[Annotated[float, Field(ge=0, le=_text.sampling.MAX_TEMPERATURE, allow_inf_nan=False)]] = None


class SetSamples(Strict):
    """Text: a sample every `every` iterations, `length` characters at `temperature` (0: greedy)."""

    type: Literal["set_samples"]
    every: Optional[Annotated[int, Field(ge=1, le=L["max_sample_every"])]] = None
    temperature: Optional[Annotated[float, Field(ge=0, le=_text.sampling.MAX_TEMPERATURE, allow_inf_nan=False)]] = None
    length: Optional[Annotated[int, Field(ge=1, le=L["max_sample_length"])]] = None


class Infer(Strict):
    """Lesson 12 (server/lessons.py): one forward pass of a point of the input plane through the
    session's network, answered with every layer's activations and the measured times of a forward
    pass and of a training step (the step timed on a copy: the session's run does not move)."""

    type: Literal["infer"]
    point: Annotated[list[Annotated[float, Field(ge=-6, le=6, allow_inf_nan=False)]], Field(min_length=2, max_length=2)]


SweepValues = Annotated[list[Union[Annotated[int, Field(ge=0, le=100_000)],
                                  Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)], str]],
                        Field(min_length=1, max_length=L["max_sweep_values"])]


class StartSweep(Strict):
    """A grid search over the session's current config: one to three axes (engine.sweep.AXES) with
    their values, times seeds, each cell trained for epochs (docs/sweep.md, docs/protocol.md)."""

    type: Literal["start_sweep"]
    axes: Annotated[dict[Name(_sweep_axes.AXES), SweepValues], Field(min_length=1, max_length=3)]
    seeds: Annotated[int, Field(ge=1, le=L["max_sweep_seeds"])] = 1
    epochs: Annotated[int, Field(ge=1, le=L["max_sweep_epochs"])] = 50


class CancelSweep(Strict):
    type: Literal["cancel_sweep"]


class Upload(Strict):
    """One part of a file the page sends (websocket messages are at most 64 KiB): parts 0..parts-1
    in order, assembled per session, then used by purpose (server/uploads.py)."""

    type: Literal["upload"]
    purpose: Literal["csv", "run", "text"]
    name: Annotated[str, Field(max_length=200)]
    part: Annotated[int, Field(ge=0, lt=L["max_upload_parts"])]
    parts: Annotated[int, Field(ge=1, le=L["max_upload_parts"])]
    data: Annotated[str, Field(max_length=L["max_upload_chunk"])]


class UseCsv(Strict):
    """Train on the uploaded table: one or two input columns, the label column, the task."""

    type: Literal["use_csv"]
    x: Annotated[list[Annotated[str, Field(max_length=200)]], Field(min_length=1, max_length=2)]
    y: Annotated[str, Field(max_length=200)]
    task: Literal["auto", "classification", "regression"] = "auto"
    standardize: bool = False
    train_ratio: Optional[Annotated[float, Field(ge=0.1, le=0.9, allow_inf_nan=False)]] = None


class Download(Strict):
    """A file of this session: the run file, the network as ONNX or NumPy code, the HTML report."""

    type: Literal["download"]
    what: Literal["run", "onnx", "numpy", "report"]
    lang: Literal["en", "zh"] = "en"


ClientMessage = Annotated[
    Union[SetConfig, Play, Pause, Step, Reset, Regenerate, SetWeight, SetSpeed, SetView, Ack, SetLandscape,
          Explore, Restore, ReadPad, PredictNext, SetSamples, Infer, StartSweep, CancelSweep,
          Upload, UseCsv, Download],
    Field(discriminator="type"),
]
CLIENT_TYPES = ["set_config", "play", "pause", "step", "reset", "regenerate", "set_weight", "set_speed",
                "set_view", "ack", "set_landscape", "explore", "restore", "read_pad", "predict_next",
                "set_samples", "infer", "start_sweep", "cancel_sweep", "upload", "use_csv", "download"]
client_adapter = TypeAdapter(ClientMessage)


# -- server -> client nouns and the binary layouts: their own modules, part of this protocol -------
from .binary import (BINARY_LAYOUTS, HEADER, KIND_MAPS, KIND_OUTPUT, KIND_SAMPLES, KIND_SURFACE,  # noqa: E402,F401
                     KIND_WEIGHT_IMAGES, MAPS_MAGIC, pack_samples,
                     pack_grids, unpack_grids)
from .nouns import SERVER_TYPES, ServerMessage, server_adapter  # noqa: E402,F401


def schema() -> dict:
    return {
        "protocol_version": PROTOCOL_VERSION,
        "client": client_adapter.json_schema(),
        "server": server_adapter.json_schema(),
        "limits": LIMITS,
        "binary_layouts": BINARY_LAYOUTS,
    }


