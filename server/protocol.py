"""The wire protocol, defined once: every message both ways, the limits, the binary layouts.

Text messages are JSON objects with a ``type``. Client -> server messages are verbs; server ->
client messages are nouns. Grids travel as binary websocket messages whose layout is declared
here (``BINARY_LAYOUTS``) and mirrored, checked by a test, in static/protocol.js.
"""
from typing import Annotated, Literal, Optional, Union

from pydantic import ConfigDict, Field, TypeAdapter

from engine import activations as _act, datasets as _ds, features as _feat, losses as _loss
from engine import config as _cfg, inits as _inits, optimizers as _opt, regularizers as _reg, text as _text
from engine.landscape import surfaces as _surf

# the limits the server enforces, the strict base of every verb, and the verbs of the workspaces
# beyond the playground live in their own modules: all part of this protocol, re-exported here
from .wirebase import LIMITS, L, Name, Strict  # noqa: F401
from .workspace_verbs import (CancelSweep, Download, Infer, PredictNext, ReadPad, SetSamples,
                              StartSweep, Upload, UseCsv)

PROTOCOL_VERSION = 1


# the landscape's names (hello carries both lists): explore's surfaces, the exact two-parameter
# models first, then the classic test surfaces; the live slice's modes ("off" is its absence)
SURFACES = ["house", "neuron", *_surf.SURFACES]
SLICES = ["random", "pca", "weights"]


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
    mode: Name(["off", *SLICES])
    weights: Optional[Annotated[list[WeightRef], Field(min_length=2, max_length=2)]] = None
    span: Optional[Annotated[float, Field(gt=0, le=20, allow_inf_nan=False)]] = None
    resolution: Optional[Annotated[int, Field(ge=11, le=L["max_landscape_resolution"])]] = None
    frozen: Optional[bool] = None
    seed: Optional[Annotated[int, Field(ge=0, le=2**31 - 1)]] = None
    recenter: Optional[Literal["leave", "always"]] = None      # the view follows the weights: when they leave it, or always


Coordinate = Annotated[float, Field(ge=-1e3, le=1e3, allow_inf_nan=False)]
Rate = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]


class Explore(Strict):
    """A one-off landscape: an exact or classic surface with a descent path, a race of optimisers,
    a crowd of walkers, or a crowd of networks like this session's trained together."""

    type: Literal["explore"]
    mode: Literal["path", "race", "crowd", "networks"] = "path"
    surface: Name(SURFACES) = "house"
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


