"""The wire protocol, client -> server: the verbs of the workspaces beyond the playground (digits,
text, lessons, sweeps, files in and out). Part of the protocol: protocol.py re-exports them and
puts them in ClientMessage; each is handled by its feature module's HANDLERS."""
from typing import Annotated, Literal, Optional, Union

from pydantic import Field

from engine import text as _text
from engine.sweep import axes as _sweep_axes

from .wirebase import L, Name, Strict


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
