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
    surfaces: list[str]                     # explore.surface's names
    slices: list[str]                       # set_landscape.mode's names but "off"
    errors: dict[str, dict[str, str]]       # error code -> {"en": phrase, "zh": 中文} with {params}
    settings: dict[str, dict[str, str]]     # a setting's wire name -> {"en": label, "zh": 标签}


class ConfigMessage(BaseModel):
    type: Literal["config"]
    config: dict[str, Any]
    applied: Literal["live", "rebuild", "none", "restored"]


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


ServerMessage = Annotated[Union[Hello, ConfigMessage, DatasetMessage, Frame, Status, Error, Landscape, Exploration],
                          Field(discriminator="type")]
SERVER_TYPES = ["hello", "config", "dataset", "frame", "status", "error", "landscape", "exploration"]
server_adapter = TypeAdapter(ServerMessage)


