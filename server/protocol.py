"""The wire protocol, defined once: every message both ways, the limits, the binary layouts.

Text messages are JSON objects with a ``type``. Client -> server messages are verbs; server ->
client messages are nouns. Grids travel as binary websocket messages whose layout is declared
here (``BINARY_LAYOUTS``) and mirrored, checked by a test, in static/protocol.js.
"""
import struct
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from engine import activations as _act, datasets as _ds, features as _feat, losses as _loss
from engine import network as _net, optimizers as _opt, regularizers as _reg

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
    hidden: Optional[Annotated[list[Annotated[int, Field(ge=1, le=L["max_neurons"])]],
                               Field(max_length=L["max_hidden_layers"])]] = None
    activation: Optional[Name(_act.ACTIVATIONS)] = None
    output: Optional[Literal[("",) + tuple(_act.OUTPUT_ACTIVATIONS)]] = None
    loss: Optional[Literal[("",) + tuple(_loss.LOSSES)]] = None
    init: Optional[Name(_net.INITIALISERS)] = None
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


ClientMessage = Annotated[
    Union[SetConfig, Play, Pause, Step, Reset, Regenerate, SetWeight, SetSpeed, SetView, Ack, SetLandscape,
          Explore],
    Field(discriminator="type"),
]
CLIENT_TYPES = ["set_config", "play", "pause", "step", "reset", "regenerate", "set_weight",
                "set_speed", "set_view", "ack", "set_landscape", "explore"]
client_adapter = TypeAdapter(ClientMessage)


# -- server -> client: nouns -----------------------------------------------------------------------
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


class ConfigMessage(BaseModel):
    type: Literal["config"]
    config: dict[str, Any]
    applied: Literal["live", "rebuild", "none", "initial"]


class DatasetMessage(BaseModel):
    type: Literal["dataset"]
    kind: Literal["classification", "regression", "multiclass"]
    train: list[list[float]]                 # [x1, x2, label] in training order
    test: list[list[float]]


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


class Status(BaseModel):
    type: Literal["status"]
    state: Literal["running", "paused", "diverged"]
    step: int
    hint: Optional[str] = None              # an i18n key, e.g. "hint_lower_learning_rate"


class Error(BaseModel):
    type: Literal["error"]
    field: str                              # what was wrong ("message" when it is the whole thing)
    message: str                            # what was wrong and what is allowed


class Landscape(BaseModel):
    """A live slice: its surface follows as a binary "surface" message with seq ``surface_seq``."""

    type: Literal["landscape"]
    mode: Literal["random", "pca", "weights"]
    x: list[float]                          # the grid's axis values (columns)
    y: list[float]                          # (rows)
    center: list[float]                     # where the weights are now, in these coordinates
    loss_center: Optional[float]
    path: list[list[Optional[float]]]       # recent positions projected on the plane
    explained: Optional[list[float]]        # pca: share of the trajectory's variance per axis
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


ServerMessage = Annotated[Union[Hello, ConfigMessage, DatasetMessage, Frame, Status, Error, Landscape, Exploration],
                          Field(discriminator="type")]
SERVER_TYPES = ["hello", "config", "dataset", "frame", "status", "error", "landscape", "exploration"]
server_adapter = TypeAdapter(ServerMessage)


# -- binary layouts --------------------------------------------------------------------------------
# every binary message starts with this little-endian header, then float32 values
HEADER = struct.Struct("<4sHHIHH")       # magic, layout version, kind, seq, count, resolution
MAPS_MAGIC = b"LSMP"
BINARY_LAYOUTS = {
    "header": {"format": "<4sHHIHH", "bytes": HEADER.size,
               "fields": ["magic", "version", "kind", "seq", "count", "resolution"]},
    "kinds": {
        "maps": {"kind": 1, "version": 1,
                 "body": "float32[count][resolution][resolution] at node_resolution: every node's "
                         "output over the input grid [-6, 6]^2: input features, hidden neurons layer "
                         "by layer, outputs; row r is x2 = -6 + 12 r/(R-1), column c is x1 likewise"},
        "output": {"kind": 3, "version": 1,
                   "body": "float32[count][resolution][resolution] at grid_resolution: the output "
                           "node(s) only, for the decision boundary; same grid orientation as maps"},
        "surface": {"kind": 2, "version": 1,
                    "body": "float32[count][resolution][resolution]: loss-landscape grids"},
    },
    "magic": MAPS_MAGIC.decode(),
}
KIND_MAPS, KIND_SURFACE, KIND_OUTPUT = 1, 2, 3


def pack_grids(kind: int, seq: int, grids) -> bytes:
    """Header + float32 body for grids (count, R, R)."""
    import numpy as np
    count, res = grids.shape[0], grids.shape[1]
    body = np.ascontiguousarray(grids, dtype="<f4")
    return b"".join([HEADER.pack(MAPS_MAGIC, 1, kind, seq, count, res), memoryview(body).cast("B")])


def unpack_grids(data: bytes):
    import numpy as np
    magic, version, kind, seq, count, res = HEADER.unpack_from(data)
    body = np.frombuffer(data, dtype="<f4", offset=HEADER.size).reshape(count, res, res)
    return {"magic": magic, "version": version, "kind": kind, "seq": seq, "count": count,
            "resolution": res}, body


def schema() -> dict:
    return {
        "protocol_version": PROTOCOL_VERSION,
        "client": client_adapter.json_schema(),
        "server": server_adapter.json_schema(),
        "limits": LIMITS,
        "binary_layouts": BINARY_LAYOUTS,
    }


# parsing and its error messages live in validation.py; they are part of the protocol's surface
from .validation import ProtocolError, parse_client  # noqa: E402,F401
